package chat.server.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history database's tables and how a file of any earlier version is brought up to date. The
 * version is SQLite's {@code user_version}, 0 in a new file. Used once, at open, on the writer's
 * connection (auto-commit off).
 */
final class SqliteSchema {

    private static final Logger log = LoggerFactory.getLogger(SqliteSchema.class);

    /**
     * The schema's history: step {@code i} takes a database from version {@code i} to {@code i + 1}
     * (version 0 is a new, empty file), each step in a transaction with its new version, so a
     * database is always at a version the code knows. Add steps; never edit one already released.
     */
    private static final List<Step> UPGRADES = List.of(
            new Step("the messages", List.of(
                    "CREATE TABLE messages ("
                            + " id INTEGER PRIMARY KEY," // the message id is the row id
                            + " target TEXT NOT NULL,"
                            + " time INTEGER NOT NULL," // epoch milliseconds
                            + " room TEXT,"
                            + " sender TEXT NOT NULL,"
                            + " sender_address TEXT,"
                            + " recipient TEXT,"
                            + " kind TEXT NOT NULL," // the MessageKind's name
                            + " text TEXT NOT NULL,"
                            + " tags TEXT)", // StoredTags' form, null for none
                    // Every read of a target, and trimming it to its newest N. The only index: each
                    // one more is paid on every insert and every delete, and the writer both inserts
                    // and (once rooms are full) deletes as fast as people talk. Reads bounded by time
                    // walk a target's rows in id order (ids grow with the clock; a target keeps at
                    // most --history-size rows); retention by age deletes by id range (see prune).
                    "CREATE INDEX messages_by_target_id ON messages (target, id)",
                    // The greatest id ever appended, so ids never go back even when pruning emptied the table.
                    "CREATE TABLE high_water (id INTEGER NOT NULL)",
                    "INSERT INTO high_water VALUES (0)")),
            new Step("each target's messages in a ring of slots (SqliteRing)", List.of(
                    // A message overwrites the oldest of its target in one upsert, so keeping the
                    // newest --history-size needs no delete: at full speed with full rooms, version 1
                    // deleted as many rows as it inserted, and its retention fell behind.
                    "CREATE TABLE ring ("
                            + " target TEXT NOT NULL,"
                            + " slot INTEGER NOT NULL," // 0 to ring_size.slots - 1
                            + " id INTEGER NOT NULL,"
                            + " time INTEGER NOT NULL,"
                            + " room TEXT,"
                            + " sender TEXT NOT NULL,"
                            + " sender_address TEXT,"
                            + " recipient TEXT,"
                            + " kind TEXT NOT NULL,"
                            + " text TEXT NOT NULL,"
                            + " tags TEXT,"
                            + " PRIMARY KEY (target, slot)) WITHOUT ROWID", // the upsert's key is the row's place
                    // Every target's rows, oldest first in slots 0, 1, 2...: a ring of as many slots
                    // as it has rows, until the store fits it to --history-size at open.
                    "INSERT INTO ring SELECT target, row_number() OVER (PARTITION BY target ORDER BY id) - 1, id, time,"
                            + " room, sender, sender_address, recipient, kind, text, tags FROM messages",
                    "UPDATE high_water SET id = max(id, (SELECT coalesce(max(id), 0) FROM messages))",
                    "DROP TABLE messages",
                    "ALTER TABLE ring RENAME TO messages",
                    // Every read of a target, in id order; the newest row says where the next goes.
                    "CREATE INDEX messages_by_target_id ON messages (target, id)",
                    // Retention by age: a range, whatever the targets.
                    "CREATE INDEX messages_by_time ON messages (time)",
                    // How many slots each target's ring has; 0 until the store first fits them.
                    "CREATE TABLE ring_size (slots INTEGER NOT NULL)",
                    "INSERT INTO ring_size VALUES (0)")));
    /** The schema version this code writes. */
    static final int VERSION = UPGRADES.size();

    private SqliteSchema() {
    }

    /** Brings the schema to {@link #VERSION}, one step per transaction. */
    static void upgrade(Path file, Connection writer) throws SQLException, HistoryException {
        int version;
        try (Statement statement = writer.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA user_version")) {
            version = result.next() ? result.getInt(1) : 0;
        }
        if (version > VERSION) {
            writer.rollback();
            throw new HistoryException("cannot open history " + file + ": its schema version is " + version
                    + ", and this server knows versions up to " + VERSION
                    + "; a newer server wrote it: run that version, or move the file away", null);
        }
        for (int from = version; from < VERSION; from++) {
            Step step = UPGRADES.get(from);
            try (Statement statement = writer.createStatement()) {
                for (String sql : step.statements()) {
                    statement.execute(sql);
                }
                statement.execute("PRAGMA user_version = " + (from + 1));
                writer.commit();
            } catch (SQLException e) {
                writer.rollback();
                throw e;
            }
            if (version > 0) {
                log.info("history {}: upgraded to schema version {}: {}", file, from + 1, step.what());
            }
        }
        if (version == 0) {
            log.info("history {}: created, schema version {}", file, VERSION);
        }
        writer.commit(); // ends the read of the version
    }

    /** One version's change: what it brings, for the log, and its statements. */
    private record Step(String what, List<String> statements) {
    }
}
