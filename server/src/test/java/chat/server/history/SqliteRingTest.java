package chat.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import chat.server.LogRecorder;
import chat.server.core.MessageKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring layout against a real file: a target keeps its newest messages without a prune, the
 * next slot survives a restart, a changed {@code --history-size} is fitted at open, and a file of
 * schema version 1 is brought into rings keeping each target's newest messages and the ids.
 */
class SqliteRingTest {

    @TempDir
    Path dir;

    private final List<SqliteHistoryStore> opened = new ArrayList<>();
    private LogRecorder ringLog;
    private LogRecorder schemaLog;

    @BeforeEach
    void recordLogs() {
        ringLog = LogRecorder.attach(SqliteRing.class);
        schemaLog = LogRecorder.attach(SqliteSchema.class);
    }

    @AfterEach
    void closeStores() {
        opened.forEach(SqliteHistoryStore::close);
        ringLog.detach();
        schemaLog.detach();
    }

    private SqliteHistoryStore open(int slots) throws HistoryException {
        SqliteHistoryStore store = SqliteHistoryStore.open(dir, slots);
        opened.add(store);
        return store;
    }

    private static StoredMessage said(long id, String room) {
        return new StoredMessage(id, 1000 * id, HistoryTargets.room(room), room, "alice", "alice@host", null,
                MessageKind.TEXT, "line " + id, Map.of());
    }

    private static List<StoredMessage> said(long first, long last, String room) {
        return LongStream.rangeClosed(first, last).mapToObj(id -> said(id, room)).toList();
    }

    private static List<Long> ids(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::id).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private List<Long> latest(SqliteHistoryStore store, String target) throws HistoryException {
        return ids(store.read(HistoryQuery.latest(target, 1000)));
    }

    private Connection sql() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteHistoryStore.FILE_NAME));
    }

    private long rows(String target) throws SQLException {
        try (Connection sql = sql(); PreparedStatement count = sql.prepareStatement(
                "SELECT count(*) FROM messages WHERE target = ?")) {
            count.setString(1, target);
            try (ResultSet result = count.executeQuery()) {
                return result.getLong(1);
            }
        }
    }

    @Test
    void aTargetKeepsItsNewestWithoutAPruneAndReadsSeeThemInOrder() throws Exception {
        SqliteHistoryStore store = open(5);
        store.append(said(1, 7, "#a"));
        store.append(List.of(said(8, "#b")));
        store.append(said(9, 13, "#a")); // the ring wraps twice over two batches

        assertThat(latest(store, "#a")).isEqualTo(range(9, 13));
        assertThat(rows("#a")).as("rows of #a, no prune having run").isEqualTo(5);
        assertThat(latest(store, "#b")).containsExactly(8L);
        assertThat(ids(store.read(HistoryQuery.before("#a", 12, 2)))).containsExactly(10L, 11L);
        assertThat(ids(store.read(HistoryQuery.after("#a", 10, 10)))).containsExactly(11L, 12L, 13L);
        assertThat(ids(store.read(HistoryQuery.after("#a", 0, 2)))).containsExactly(9L, 10L);
        assertThat(store.prune(HistoryQuery.NONE_BELOW, List.of("#a", "#b"), 5)).as("nothing left to trim").isZero();
    }

    @Test
    void aBatchLongerThanTheRingKeepsItsOwnNewest() throws Exception {
        SqliteHistoryStore store = open(4);
        store.append(said(1, 11, "#a"));

        assertThat(latest(store, "#a")).isEqualTo(range(8, 11));
    }

    @Test
    void theNextSlotAfterARestartComesFromTheStoredRows() throws Exception {
        SqliteHistoryStore store = open(5);
        store.append(said(1, 7, "#a"));
        store.close();

        SqliteHistoryStore again = open(5);
        again.append(said(8, 9, "#a"));
        assertThat(latest(again, "#a")).isEqualTo(range(5, 9));

        // The newest forgotten: its slot is the one after the newest left, so it is filled first.
        again.delete("#a", 9);
        again.close();
        SqliteHistoryStore third = open(5);
        third.append(List.of(said(10, "#a")));
        assertThat(latest(third, "#a")).containsExactly(5L, 6L, 7L, 8L, 10L);
        third.append(List.of(said(11, "#a")));
        assertThat(latest(third, "#a")).containsExactly(6L, 7L, 8L, 10L, 11L);
    }

    @Test
    void aFailedCommitLeavesTheRingAsItWas() throws Exception {
        SqliteHistoryStore store = open(3);
        store.append(said(1, 2, "#a"));
        // Each batch fails after #a's message 3 was upserted: in SQLite (text is NOT NULL), then in Java.
        StoredMessage textless = new StoredMessage(4, 4000, "#a", "#a", "alice", null, null, MessageKind.TEXT, null,
                Map.of());
        assertThatThrownBy(() -> store.append(List.of(said(3, "#a"), textless))).isInstanceOf(HistoryException.class);
        StoredMessage kindless = new StoredMessage(4, 4000, "#a", "#a", "alice", null, null, null, "?", Map.of());
        assertThatThrownBy(() -> store.append(List.of(said(3, "#a"), kindless)))
                .isInstanceOf(NullPointerException.class);

        store.append(said(5, 6, "#a"));
        assertThat(latest(store, "#a")).containsExactly(2L, 5L, 6L);
        assertThat(store.lastId()).isEqualTo(6);
    }

    @Test
    void aSmallerHistorySizeKeepsEachTargetsNewestAndSaysWhatItForgot() throws Exception {
        SqliteHistoryStore store = open(5);
        store.append(said(1, 12, "#a"));
        store.append(said(13, 14, "#b"));
        store.close();

        SqliteHistoryStore smaller = open(3);

        assertThat(latest(smaller, "#a")).containsExactly(10L, 11L, 12L);
        assertThat(latest(smaller, "#b")).containsExactly(13L, 14L);
        assertThat(ringLog.at(Level.WARN)).singleElement().asString()
                .contains("changed from 5 to 3").contains("forgot 2 older messages");
        smaller.append(said(15, 16, "#a"));
        assertThat(latest(smaller, "#a")).containsExactly(12L, 15L, 16L);
        assertThat(smaller.lastId()).isEqualTo(16);
    }

    @Test
    void aLargerHistorySizeFillsTheNewSlotsBeforeOverwritingAny() throws Exception {
        SqliteHistoryStore store = open(3);
        store.append(said(1, 7, "#a"));
        store.close();

        SqliteHistoryStore larger = open(5);
        assertThat(latest(larger, "#a")).containsExactly(5L, 6L, 7L);
        assertThat(ringLog.at(Level.INFO)).anyMatch(line -> line.contains("changed from 3 to 5"));
        assertThat(ringLog.at(Level.WARN)).isEmpty();

        larger.append(said(8, 9, "#a"));
        assertThat(latest(larger, "#a")).isEqualTo(range(5, 9));
        larger.append(List.of(said(10, "#a")));
        assertThat(latest(larger, "#a")).isEqualTo(range(6, 10));
    }

    @Test
    void aVersionOneFileIsUpgradedKeepingEachTargetsNewestAndTheIds() throws Exception {
        try (Connection v1 = sql()) {
            VersionOne.create(v1);
            // #a said ids 1-10, #b 11-12, then #c's 13-20 were pruned away (high water 20).
            VersionOne.append(v1, said(1, 10, "#a"));
            VersionOne.append(v1, said(11, 12, "#b"));
            VersionOne.append(v1, said(13, 20, "#c"));
            try (Statement prune = v1.createStatement()) {
                prune.execute("DELETE FROM messages WHERE target = '#c'");
            }
        }

        SqliteHistoryStore store = open(4);

        assertThat(schemaLog.at(Level.INFO)).anyMatch(line -> line.contains("upgraded to schema version 2"));
        assertThat(ringLog.at(Level.INFO)).singleElement().asString()
                .contains("6 messages laid out in rings of 4").contains("6 older ones forgotten");
        assertThat(latest(store, "#a")).isEqualTo(range(7, 10));
        assertThat(latest(store, "#b")).containsExactly(11L, 12L);
        assertThat(latest(store, "#c")).isEmpty();
        assertThat(store.read(HistoryQuery.latest("#a", 1)).get(0)).isEqualTo(said(10, "#a"));
        assertThat(store.lastId()).as("ids go on after the highest ever given").isEqualTo(20);

        store.append(List.of(said(21, "#a"), said(22, "#b")));
        assertThat(latest(store, "#a")).containsExactly(8L, 9L, 10L, 21L);
        assertThat(latest(store, "#b")).containsExactly(11L, 12L, 22L);
        assertThat(store.lastId()).isEqualTo(22);
        try (Connection sql = sql(); Statement statement = sql.createStatement();
                ResultSet version = statement.executeQuery("PRAGMA user_version")) {
            assertThat(version.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void aVersionOneHighWaterBehindItsRowsIsRaisedToThem() throws Exception {
        try (Connection v1 = sql()) {
            VersionOne.create(v1);
            VersionOne.append(v1, said(1, 3, "#a"));
            try (Statement statement = v1.createStatement()) {
                statement.execute("UPDATE high_water SET id = 0");
            }
        }

        assertThat(open(10).lastId()).isEqualTo(3);
    }

    /** Schema version 1 as it was released, and its append, to make the files it wrote. */
    private static final class VersionOne {

        static void create(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, target TEXT NOT NULL,"
                        + " time INTEGER NOT NULL, room TEXT, sender TEXT NOT NULL, sender_address TEXT,"
                        + " recipient TEXT, kind TEXT NOT NULL, text TEXT NOT NULL, tags TEXT)");
                statement.execute("CREATE INDEX messages_by_target_id ON messages (target, id)");
                statement.execute("CREATE TABLE high_water (id INTEGER NOT NULL)");
                statement.execute("INSERT INTO high_water VALUES (0)");
                statement.execute("PRAGMA user_version = 1");
            }
        }

        static void append(Connection connection, List<StoredMessage> batch) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO messages (id, time, target,"
                    + " room, sender, sender_address, recipient, kind, text, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement raise = connection.prepareStatement("UPDATE high_water SET id = max(id, ?)")) {
                for (StoredMessage m : batch) {
                    insert.setLong(1, m.id());
                    insert.setLong(2, m.time());
                    insert.setString(3, m.target());
                    insert.setString(4, m.room());
                    insert.setString(5, m.from());
                    insert.setString(6, m.fromAddress());
                    insert.setString(7, m.to());
                    insert.setString(8, m.kind().name());
                    insert.setString(9, m.text());
                    insert.setString(10, StoredTags.encode(m.tags()));
                    insert.executeUpdate();
                    raise.setLong(1, m.id());
                    raise.executeUpdate();
                }
            }
        }
    }
}
