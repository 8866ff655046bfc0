package chat.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.core.RegisteredRoom;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts file: a file of schema version 1 (accounts and kept messages, before registered
 * rooms) is upgraded to version 2 on open and keeps its accounts; registered rooms go in and come
 * back whole, changed and dropped; a file of a newer version is refused.
 */
class SqliteAccountStoreTest {

    @TempDir
    Path dir;

    private static final RegisteredRoom DEN = new RegisteredRoom("#Den", "alice", 1_800_000_000_000L,
            List.of("bob", "Carol"), "welcome home", "alice", 1_800_000_100L, "mnt", "sesame", 12,
            List.of("mallory!*@*", "*!*@10.0.0.*"), List.of("mallory!*@10.0.0.1"), List.of("*!friend@*"));

    /** Writes a file as the server before registered rooms did: version 1, one account. */
    private void writeVersion1() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteAccountStore.FILE_NAME));
                Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE accounts (account TEXT PRIMARY KEY, name TEXT NOT NULL,"
                    + " password_hash TEXT NOT NULL, created INTEGER NOT NULL)");
            statement.execute("CREATE TABLE kept_messages (account TEXT NOT NULL, id INTEGER NOT NULL,"
                    + " time INTEGER NOT NULL, sender TEXT NOT NULL, sender_address TEXT, recipient TEXT NOT NULL,"
                    + " kind TEXT NOT NULL, text TEXT NOT NULL, tags TEXT, PRIMARY KEY (account, id)) WITHOUT ROWID");
            statement.execute("INSERT INTO accounts VALUES ('alice', 'Alice', 'hash-of-alice', 42)");
            statement.execute("INSERT INTO kept_messages VALUES ('alice', 7, 43, 'bob', NULL, 'Alice', 'TEXT', 'hi', NULL)");
            statement.execute("PRAGMA user_version = 1");
        }
    }

    private int version() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteAccountStore.FILE_NAME));
                Statement statement = db.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA user_version")) {
            return result.getInt(1);
        }
    }

    @Test
    void aVersion1FileIsUpgradedAndKeepsItsAccountsAndMessages() throws Exception {
        writeVersion1();
        try (SqliteAccountStore store = SqliteAccountStore.open(dir)) {
            assertThat(store.accounts()).containsExactly(new StoredAccount("Alice", "hash-of-alice", 42));
            assertThat(store.keptCounts()).containsEntry("alice", 1);
            assertThat(store.rooms()).isEmpty();
            store.saveRoom(DEN);
        }
        assertThat(version()).isEqualTo(SqliteAccountStore.VERSION).isEqualTo(2);
        try (SqliteAccountStore store = SqliteAccountStore.open(dir)) { // opened again: nothing to upgrade
            assertThat(store.accounts()).hasSize(1);
            assertThat(store.rooms()).containsExactly(DEN);
        }
    }

    @Test
    void registeredRoomsComeBackWholeChangedAndDropped() throws Exception {
        RegisteredRoom bare = new RegisteredRoom("#plain", "bob", 5, List.of(), "", "", 0, "nt", null, 0,
                List.of(), List.of(), List.of());
        try (SqliteAccountStore store = SqliteAccountStore.open(dir)) {
            store.saveRoom(DEN);
            store.saveRoom(bare);
        }
        RegisteredRoom changed = DEN.withOperator("bob", false).withOperator("dave", true);
        try (SqliteAccountStore store = SqliteAccountStore.open(dir)) {
            assertThat(store.rooms()).containsExactlyInAnyOrder(DEN, bare);
            store.saveRoom(changed);
            store.dropRoom("plain");
        }
        try (SqliteAccountStore store = SqliteAccountStore.open(dir)) {
            assertThat(store.rooms()).containsExactly(changed);
            assertThat(store.rooms().get(0).operators()).containsExactly("Carol", "dave");
        }
    }

    @Test
    void aFileOfANewerVersionIsRefused() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteAccountStore.FILE_NAME));
                Statement statement = db.createStatement()) {
            statement.execute("PRAGMA user_version = 3");
        }
        assertThatThrownBy(() -> SqliteAccountStore.open(dir)).isInstanceOf(AccountStoreException.class)
                .hasMessageContaining("schema version is 3");
    }
}
