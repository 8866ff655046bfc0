package chat.server.accounts;

import chat.server.core.MessageKind;
import chat.server.core.Names;
import chat.server.core.RegisteredRoom;
import chat.server.history.StoredMessage;
import chat.server.history.StoredTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts, kept messages and registered rooms in one SQLite file, {@value #FILE_NAME} in the data
 * directory beside the history, on one connection (the store thread's). Write-ahead log and a
 * sync at every commit: a registration or a kept message answered is on the disk. Passwords are
 * kept as their hashes only.
 *
 * <p>The schema's version is SQLite's {@code user_version}; a file of an older version is
 * upgraded when it is opened, one version at a time, each step in one transaction, and said in
 * the log.
 */
public final class SqliteAccountStore implements AccountStore {

    private static final Logger log = LoggerFactory.getLogger(SqliteAccountStore.class);

    public static final String FILE_NAME = "accounts.db";
    /** The schema version this code writes, in SQLite's {@code user_version}; 0 is a new file. */
    static final int VERSION = 2;
    /** Version 1: accounts and the messages kept for them. */
    private static final List<String> SCHEMA_V1 = List.of(
            "CREATE TABLE accounts ("
                    + " account TEXT PRIMARY KEY," // Names.key of the name: one account per nick, in any case
                    + " name TEXT NOT NULL,"
                    + " password_hash TEXT NOT NULL,"
                    + " created INTEGER NOT NULL)",
            "CREATE TABLE kept_messages ("
                    + " account TEXT NOT NULL,"
                    + " id INTEGER NOT NULL,"
                    + " time INTEGER NOT NULL,"
                    + " sender TEXT NOT NULL,"
                    + " sender_address TEXT,"
                    + " recipient TEXT NOT NULL,"
                    + " kind TEXT NOT NULL,"
                    + " text TEXT NOT NULL,"
                    + " tags TEXT,"
                    + " PRIMARY KEY (account, id)) WITHOUT ROWID");
    /** Version 2 adds registered rooms: a row each, their operator accounts and their +b/+e/+I masks. */
    private static final List<String> SCHEMA_V2 = List.of(
            "CREATE TABLE rooms ("
                    + " room TEXT PRIMARY KEY," // Names.key of the name without its #
                    + " name TEXT NOT NULL,"
                    + " founder TEXT NOT NULL," // the account, as registered
                    + " registered INTEGER NOT NULL,"
                    + " topic TEXT NOT NULL,"
                    + " topic_by TEXT NOT NULL,"
                    + " topic_at INTEGER NOT NULL,"
                    + " flags TEXT NOT NULL,"
                    + " room_key TEXT,"
                    + " member_limit INTEGER NOT NULL)",
            "CREATE TABLE room_operators ("
                    + " room TEXT NOT NULL,"
                    + " position INTEGER NOT NULL,"
                    + " account TEXT NOT NULL,"
                    + " PRIMARY KEY (room, position)) WITHOUT ROWID",
            "CREATE TABLE room_masks ("
                    + " room TEXT NOT NULL,"
                    + " list TEXT NOT NULL," // b, e or I
                    + " position INTEGER NOT NULL,"
                    + " mask TEXT NOT NULL,"
                    + " PRIMARY KEY (room, list, position)) WITHOUT ROWID");
    /** The statements that take a file from version {@code i} to {@code i + 1}, at index {@code i}. */
    private static final List<List<String>> UPGRADES = List.of(SCHEMA_V1, SCHEMA_V2);

    private final Path file;
    private final Connection db;

    private SqliteAccountStore(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /**
     * Opens the accounts in {@code dataDir}, creating the directory and the file the first time.
     *
     * @throws AccountStoreException when they cannot be made or opened, or the file is not a
     *     SQLite database of a version this code knows
     */
    public static SqliteAccountStore open(Path dataDir) throws AccountStoreException {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        Connection db = null;
        try {
            Files.createDirectories(dataDir);
            db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement statement = db.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 5000");
                statement.execute("PRAGMA synchronous = FULL");
                try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                    if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
                        throw new SQLException("the file system refused the write-ahead log; use a local disk");
                    }
                }
            }
            db.setAutoCommit(false);
            upgrade(file, db);
            return new SqliteAccountStore(file, db);
        } catch (IOException | SQLException | LinkageError e) {
            if (db != null) {
                try {
                    db.close();
                } catch (SQLException ignored) {
                    // the open failed already; that is what is reported
                }
            }
            throw new AccountStoreException("cannot open accounts " + file + ": " + e.getMessage(), e);
        }
    }

    private static void upgrade(Path file, Connection db) throws SQLException {
        int version;
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery("PRAGMA user_version")) {
            version = result.next() ? result.getInt(1) : 0;
        }
        if (version > VERSION) {
            db.rollback();
            throw new SQLException("its schema version is " + version + ", and this server knows versions up to "
                    + VERSION + "; a newer server wrote it");
        }
        for (int from = version; from < VERSION; from++) {
            try (Statement statement = db.createStatement()) {
                for (String sql : UPGRADES.get(from)) {
                    statement.execute(sql);
                }
                statement.execute("PRAGMA user_version = " + (from + 1));
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            }
            if (version > 0) {
                log.info("accounts {}: schema upgraded from version {} to {}", file, from, from + 1);
            }
        }
        if (version == 0) {
            log.info("accounts {}: created, schema version {}", file, VERSION);
        }
        db.commit();
    }

    @Override
    public synchronized List<StoredAccount> accounts() throws AccountStoreException {
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name, password_hash, created FROM accounts ORDER BY created")) {
            List<StoredAccount> all = new ArrayList<>();
            while (rows.next()) {
                all.add(new StoredAccount(rows.getString(1), rows.getString(2), rows.getLong(3)));
            }
            db.commit();
            return all;
        } catch (SQLException e) {
            throw failed(e, "reading the accounts");
        }
    }

    @Override
    public synchronized Map<String, Integer> keptCounts() throws AccountStoreException {
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT account, count(*) FROM kept_messages GROUP BY account")) {
            Map<String, Integer> counts = new HashMap<>();
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
            db.commit();
            return counts;
        } catch (SQLException e) {
            throw failed(e, "counting the kept messages");
        }
    }

    @Override
    public synchronized void save(StoredAccount account) throws AccountStoreException {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT OR REPLACE INTO accounts (account, name, password_hash, created) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, chat.server.core.Names.key(account.name()));
            insert.setString(2, account.name());
            insert.setString(3, account.passwordHash());
            insert.setLong(4, account.createdMillis());
            insert.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            throw failed(e, "saving account " + account.name());
        }
    }

    @Override
    public synchronized void delete(String accountKey) throws AccountStoreException {
        try (PreparedStatement account = db.prepareStatement("DELETE FROM accounts WHERE account = ?");
                PreparedStatement kept = db.prepareStatement("DELETE FROM kept_messages WHERE account = ?")) {
            account.setString(1, accountKey);
            account.executeUpdate();
            kept.setString(1, accountKey);
            kept.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            throw failed(e, "deleting account " + accountKey);
        }
    }

    @Override
    public synchronized void keep(String accountKey, StoredMessage m) throws AccountStoreException {
        try (PreparedStatement insert = db.prepareStatement("INSERT OR REPLACE INTO kept_messages"
                + " (account, id, time, sender, sender_address, recipient, kind, text, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, accountKey);
            insert.setLong(2, m.id());
            insert.setLong(3, m.time());
            insert.setString(4, m.from());
            insert.setString(5, m.fromAddress());
            insert.setString(6, m.to());
            insert.setString(7, m.kind().name());
            insert.setString(8, m.text());
            insert.setString(9, StoredTags.encode(m.tags()));
            insert.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            throw failed(e, "keeping message " + m.id() + " for " + accountKey);
        }
    }

    @Override
    public synchronized List<StoredMessage> kept(String accountKey) throws AccountStoreException {
        try (PreparedStatement select = db.prepareStatement("SELECT id, time, sender, sender_address, recipient, kind,"
                + " text, tags FROM kept_messages WHERE account = ? ORDER BY id")) {
            select.setString(1, accountKey);
            List<StoredMessage> messages = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String from = rows.getString(3);
                    String to = rows.getString(5);
                    messages.add(new StoredMessage(rows.getLong(1), rows.getLong(2),
                            chat.server.history.HistoryTargets.conversation(from, to), null, from, rows.getString(4), to,
                            MessageKind.valueOf(rows.getString(6)), rows.getString(7), StoredTags.decode(rows.getString(8))));
                }
            }
            db.commit();
            return messages;
        } catch (SQLException | IllegalArgumentException e) {
            throw failed(e, "reading the messages kept for " + accountKey);
        }
    }

    @Override
    public synchronized void forgetKept(String accountKey, long lastId) throws AccountStoreException {
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM kept_messages WHERE account = ? AND id <= ?")) {
            delete.setString(1, accountKey);
            delete.setLong(2, lastId);
            delete.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            throw failed(e, "forgetting the messages kept for " + accountKey);
        }
    }

    @Override
    public synchronized List<RegisteredRoom> rooms() throws AccountStoreException {
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT room, name, founder, registered, topic, topic_by,"
                        + " topic_at, flags, room_key, member_limit FROM rooms ORDER BY registered");
                PreparedStatement operators = db.prepareStatement(
                        "SELECT account FROM room_operators WHERE room = ? ORDER BY position");
                PreparedStatement masks = db.prepareStatement(
                        "SELECT mask FROM room_masks WHERE room = ? AND list = ? ORDER BY position")) {
            List<RegisteredRoom> all = new ArrayList<>();
            while (rows.next()) {
                String room = rows.getString(1);
                all.add(new RegisteredRoom(rows.getString(2), rows.getString(3), rows.getLong(4),
                        column(operators, room), rows.getString(5), rows.getString(6), rows.getLong(7),
                        rows.getString(8), rows.getString(9), rows.getInt(10), column(masks, room, "b"),
                        column(masks, room, "e"), column(masks, room, "I")));
            }
            db.commit();
            return all;
        } catch (SQLException e) {
            throw failed(e, "reading the registered rooms");
        }
    }

    /** The first column of {@code select}'s rows, run with {@code params}. */
    private static List<String> column(PreparedStatement select, String... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            select.setString(i + 1, params[i]);
        }
        List<String> values = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    @Override
    public synchronized void saveRoom(RegisteredRoom r) throws AccountStoreException {
        String room = Names.key(Names.bareRoomName(r.name()));
        try (PreparedStatement insert = db.prepareStatement("INSERT OR REPLACE INTO rooms (room, name, founder, registered,"
                + " topic, topic_by, topic_at, flags, room_key, member_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement operator = db.prepareStatement(
                        "INSERT INTO room_operators (room, position, account) VALUES (?, ?, ?)");
                PreparedStatement mask = db.prepareStatement(
                        "INSERT INTO room_masks (room, list, position, mask) VALUES (?, ?, ?, ?)")) {
            deleteRoom(room); // then all it keeps is written again: the lists are short
            insert.setString(1, room);
            insert.setString(2, r.name());
            insert.setString(3, r.founder());
            insert.setLong(4, r.registeredMillis());
            insert.setString(5, r.topic());
            insert.setString(6, r.topicSetBy());
            insert.setLong(7, r.topicSetAt());
            insert.setString(8, r.flags());
            insert.setString(9, r.key());
            insert.setInt(10, r.limit());
            insert.executeUpdate();
            for (int i = 0; i < r.operators().size(); i++) {
                operator.setString(1, room);
                operator.setInt(2, i);
                operator.setString(3, r.operators().get(i));
                operator.executeUpdate();
            }
            for (char list : chat.server.core.ModeChange.LISTS.toCharArray()) {
                List<String> masks = r.masks(list);
                for (int i = 0; i < masks.size(); i++) {
                    mask.setString(1, room);
                    mask.setString(2, String.valueOf(list));
                    mask.setInt(3, i);
                    mask.setString(4, masks.get(i));
                    mask.executeUpdate();
                }
            }
            db.commit();
        } catch (SQLException e) {
            throw failed(e, "saving registered room " + r.name());
        }
    }

    @Override
    public synchronized void dropRoom(String roomKey) throws AccountStoreException {
        try {
            deleteRoom(roomKey);
            db.commit();
        } catch (SQLException e) {
            throw failed(e, "dropping registered room " + roomKey);
        }
    }

    /** Deletes a room's rows, in the transaction under way. */
    private void deleteRoom(String roomKey) throws SQLException {
        for (String table : List.of("rooms", "room_operators", "room_masks")) {
            try (PreparedStatement delete = db.prepareStatement("DELETE FROM " + table + " WHERE room = ?")) {
                delete.setString(1, roomKey);
                delete.executeUpdate();
            }
        }
    }

    private AccountStoreException failed(Exception e, String doing) {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the first failure is the one to report
        }
        return new AccountStoreException("accounts " + file + ": " + doing + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            log.warn("closing accounts {}: {}", file, e.getMessage());
        }
    }
}
