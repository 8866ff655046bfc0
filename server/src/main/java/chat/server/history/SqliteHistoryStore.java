package chat.server.history;

import chat.server.core.MessageKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History in one SQLite file, {@value #FILE_NAME} in the data directory, through the JDBC driver.
 * Each target's messages are a ring of {@code --history-size} slots ({@link SqliteRing}): a
 * message is one upsert into the slot after its target's newest, so keeping the newest N needs
 * no delete, and retention deletes only what has grown too old.
 *
 * <p>Two connections: one for {@link #append} and {@link #prune} (the writer thread), one for
 * the reads (the reader thread). Each is used under its own lock, so a caller that breaks the
 * one-writer-one-reader rule waits instead of corrupting a connection; the write-ahead log lets
 * the reader read a consistent state while the writer writes, so neither waits for the other.
 *
 * <p>Every failure, at open included (a file that is not SQLite, a newer schema, a full disk), is
 * a {@link HistoryException} naming the file and what was being done.
 */
public final class SqliteHistoryStore implements HistoryStore {

    private static final Logger log = LoggerFactory.getLogger(SqliteHistoryStore.class);

    public static final String FILE_NAME = "history.db";
    /** How long a statement waits for a lock another process holds (a backup, a SQL shell). */
    static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /** The write-ahead log is cut back to this after a checkpoint, so one large prune does not leave a huge file. */
    static final long WAL_SIZE_LIMIT_BYTES = 64L << 20;

    private static final String COLUMNS = "id, time, target, room, sender, sender_address, recipient, kind, text, tags";
    /** Reads name their index: the one on time would serve their time bounds, and scan every target. */
    private static final String BY_TARGET = " FROM messages INDEXED BY messages_by_target_id WHERE target = ?";
    /**
     * One statement per message, whether its slot is empty or holds the target's oldest: the row
     * is updated in place, and only its entries in the indexes on id and time move. (INSERT OR
     * REPLACE, a delete and an insert, measured the same: 10.5 us of writer CPU per message.)
     */
    private static final String UPSERT = "INSERT INTO messages (slot, " + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target, slot) DO UPDATE SET id = excluded.id,"
            + " time = excluded.time, room = excluded.room, sender = excluded.sender,"
            + " sender_address = excluded.sender_address, recipient = excluded.recipient, kind = excluded.kind,"
            + " text = excluded.text, tags = excluded.tags";
    private static final String RAISE_HIGH_WATER = "UPDATE high_water SET id = max(id, ?)";
    /** Retention by age: a range of the index on time. */
    private static final String DELETE_OLDER = "DELETE FROM messages WHERE time < ?";
    private static final String DELETE_ONE = "DELETE FROM messages WHERE target = ? AND id = ?";
    /** Only when asked to keep fewer than the ring holds: the ring alone keeps a target to its slots. */
    private static final String TRIM_TARGET = "DELETE FROM messages WHERE target = ?1 AND id <= "
            + "(SELECT id FROM messages INDEXED BY messages_by_target_id WHERE target = ?1"
            + " ORDER BY id DESC LIMIT 1 OFFSET ?2)";
    private static final String LAST_TIME = "SELECT max(time)" + BY_TARGET + " AND time > ? AND time < ?";
    /** Raised in every append's transaction, so never below the greatest id stored. */
    private static final String LAST_ID = "SELECT id FROM high_water";

    private final Path file;
    /** Appends and prunes; guarded by itself. */
    private final Connection writer;
    private final SqliteRing ring;
    /** Reads; guarded by itself. */
    private final Connection reader;
    /** The four read shapes, by {@link #readShape}. */
    private final PreparedStatement[] reads = new PreparedStatement[4];

    private SqliteHistoryStore(Path file, Connection writer, SqliteRing ring, Connection reader) throws SQLException {
        this.file = file;
        this.writer = writer;
        this.ring = ring;
        this.reader = reader;
        for (int shape = 0; shape < reads.length; shape++) {
            reads[shape] = reader.prepareStatement(readSql(shape));
        }
    }

    /**
     * Opens the history in {@code dataDir}, creating the directory and the file the first time,
     * bringing an older schema up to date, and fitting the rings to {@code slotsPerTarget} when the
     * file's are another size (each target keeps its newest; said in the log).
     *
     * @param slotsPerTarget messages kept per room or conversation ({@code --history-size})
     * @throws HistoryException when the directory or file cannot be made or opened, is not a
     *     SQLite database, or has a schema newer than this code
     */
    public static SqliteHistoryStore open(Path dataDir, int slotsPerTarget) throws HistoryException {
        if (slotsPerTarget < 1) {
            throw new IllegalArgumentException("slotsPerTarget: " + slotsPerTarget);
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new HistoryException("cannot create the history directory " + dataDir.toAbsolutePath() + ": " + e, e);
        }
        Connection writer = null;
        Connection reader = null;
        try {
            writer = connect(file);
            configureWriter(file, writer);
            SqliteSchema.upgrade(file, writer);
            SqliteRing ring = SqliteRing.open(file, writer, slotsPerTarget);
            reader = connect(file);
            configure(reader);
            try (Statement statement = reader.createStatement()) {
                statement.execute("PRAGMA query_only = 1"); // the reader cannot write by mistake
            }
            return new SqliteHistoryStore(file, writer, ring, reader);
        } catch (SQLException | LinkageError e) {
            closeQuietly(reader);
            closeQuietly(writer);
            throw new HistoryException("cannot open history " + file + ": " + e.getMessage()
                    + (e instanceof LinkageError ? " (the SQLite native library did not load; if the temporary"
                            + " directory is mounted noexec, point -Dorg.sqlite.tmpdir elsewhere)" : ""), e);
        } catch (HistoryException | RuntimeException e) {
            closeQuietly(reader);
            closeQuietly(writer);
            throw e;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private static void configure(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
            // FULL syncs the write-ahead log at every commit. The writer commits in groups (at most
            // one commit per --history-sync under light load, 4,096 messages per commit under heavy
            // load), so the sync costs little, and in exchange a power loss or kernel crash loses
            // only what waited for the next commit, as a killed process does. NORMAL would sync
            // only at checkpoints, and a power loss could take back commits of the last minutes.
            statement.execute("PRAGMA synchronous = FULL");
        }
    }

    private static void configureWriter(Path file, Connection writer) throws SQLException, HistoryException {
        configure(writer);
        try (Statement statement = writer.createStatement()) {
            // The first statement that reads the file: a file that is not SQLite fails here.
            try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                String journal = mode.next() ? mode.getString(1) : null;
                if (!"wal".equalsIgnoreCase(journal)) {
                    throw new HistoryException("cannot open history " + file + ": the file system refused the"
                            + " write-ahead log (journal mode " + journal + "); use a local disk", null);
                }
            }
            statement.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT_BYTES);
        }
        writer.setAutoCommit(false);
    }

    @Override
    public void delete(String target, long id) throws HistoryException {
        synchronized (writer) {
            try (PreparedStatement delete = writer.prepareStatement(DELETE_ONE)) {
                delete.setString(1, target);
                delete.setLong(2, id);
                delete.executeUpdate();
                writer.commit();
            } catch (SQLException e) {
                throw rollBack(e, "forgetting message " + id + " of " + target);
            }
        }
    }

    @Override
    public void append(List<StoredMessage> batch) throws HistoryException {
        if (batch.isEmpty()) {
            return;
        }
        synchronized (writer) {
            // Prepared per batch: the driver leaves a statement unusable after some failures (a
            // full disk among them), and one compile per commit is nothing next to its sync.
            try (PreparedStatement upsert = writer.prepareStatement(UPSERT);
                    PreparedStatement raiseHighWater = writer.prepareStatement(RAISE_HIGH_WATER)) {
                long highest = 0;
                for (StoredMessage m : batch) {
                    upsert.setInt(1, ring.claim(m.target()));
                    upsert.setLong(2, m.id());
                    upsert.setLong(3, m.time());
                    upsert.setString(4, m.target());
                    setNullable(upsert, 5, m.room());
                    upsert.setString(6, m.from());
                    setNullable(upsert, 7, m.fromAddress());
                    setNullable(upsert, 8, m.to());
                    upsert.setString(9, m.kind().name());
                    upsert.setString(10, m.text());
                    setNullable(upsert, 11, StoredTags.encode(m.tags()));
                    upsert.executeUpdate(); // at once: the next claim of the target may look for this row
                    highest = Math.max(highest, m.id());
                }
                raiseHighWater.setLong(1, highest);
                raiseHighWater.executeUpdate();
                writer.commit();
            } catch (SQLException e) {
                ring.forgetClaims();
                throw rollBack(e, "appending " + batch.size() + " messages (ids " + batch.get(0).id() + " to "
                        + batch.get(batch.size() - 1).id() + ")");
            } catch (RuntimeException e) { // the rows upserted so far must not go out with the next commit
                ring.forgetClaims();
                rollBackAfter(e);
                throw e;
            }
        }
    }

    /*
     * Every read walks the target's rows on the index (target, id). Bounded by time only, it orders
     * by time, so that the newest or oldest `limit` are right even if the server's clock went
     * back; SQLite then sorts the target's rows, at most --history-size of them, and the answer is
     * put in id order, which is the same order unless the clock went back.
     */
    private static int readShape(HistoryQuery query) {
        boolean idBounded = query.afterId() != HistoryQuery.NONE_BELOW || query.beforeId() != HistoryQuery.NONE_ABOVE;
        boolean timeBounded = query.afterTime() != HistoryQuery.NONE_BELOW
                || query.beforeTime() != HistoryQuery.NONE_ABOVE;
        boolean byTime = timeBounded && !idBounded;
        return (byTime ? 2 : 0) + (query.newest() ? 1 : 0);
    }

    private static String readSql(int shape) {
        String direction = (shape & 1) != 0 ? " DESC" : " ASC";
        String order = (shape & 2) != 0 ? "time" + direction + ", id" + direction : "id" + direction;
        return "SELECT " + COLUMNS + BY_TARGET + " AND id > ? AND id < ? AND time > ? AND time < ?"
                + " ORDER BY " + order + " LIMIT ?";
    }

    @Override
    public List<StoredMessage> read(HistoryQuery query) throws HistoryException {
        int shape = readShape(query);
        List<StoredMessage> messages = new ArrayList<>(Math.min(query.limit(), 1024));
        synchronized (reader) {
            PreparedStatement select = reads[shape];
            try {
                select.setString(1, query.target());
                select.setLong(2, query.afterId());
                select.setLong(3, query.beforeId());
                select.setLong(4, query.afterTime());
                select.setLong(5, query.beforeTime());
                select.setInt(6, query.limit());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        messages.add(message(rows));
                    }
                }
            } catch (SQLException e) {
                throw failure("reading " + query, e);
            }
        }
        if (query.newest()) {
            Collections.reverse(messages);
        }
        if ((shape & 2) != 0) {
            messages.sort(Comparator.comparingLong(StoredMessage::id));
        }
        return messages;
    }

    private StoredMessage message(ResultSet row) throws SQLException, HistoryException {
        long id = row.getLong(1);
        MessageKind kind;
        try {
            kind = MessageKind.valueOf(row.getString(8));
        } catch (IllegalArgumentException e) {
            throw new HistoryException("history " + file + ": message " + id + " has an unknown kind", e);
        }
        try {
            return new StoredMessage(id, row.getLong(2), row.getString(3), row.getString(4), row.getString(5),
                    row.getString(6), row.getString(7), kind, row.getString(9), StoredTags.decode(row.getString(10)));
        } catch (IllegalArgumentException e) {
            throw new HistoryException("history " + file + ": message " + id + " has unreadable tags", e);
        }
    }

    @Override
    public List<TargetActivity> targets(Collection<String> targets, long afterTime, long beforeTime, int limit)
            throws HistoryException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit);
        }
        List<TargetActivity> active = new ArrayList<>();
        synchronized (reader) {
            // One index lookup per target: a user is in tens of rooms, the table may hold millions.
            try (PreparedStatement select = reader.prepareStatement(LAST_TIME)) {
                for (String target : new LinkedHashSet<>(targets)) {
                    select.setString(1, target);
                    select.setLong(2, afterTime);
                    select.setLong(3, beforeTime);
                    try (ResultSet row = select.executeQuery()) {
                        long lastTime = row.next() ? row.getLong(1) : 0;
                        if (!row.wasNull()) {
                            active.add(new TargetActivity(target, lastTime));
                        }
                    }
                }
            } catch (SQLException e) {
                throw failure("reading the activity of " + targets.size() + " targets", e);
            }
        }
        return TargetActivity.newestFirst(active, limit);
    }

    @Override
    public long lastId() throws HistoryException {
        synchronized (reader) {
            try (Statement statement = reader.createStatement(); ResultSet row = statement.executeQuery(LAST_ID)) {
                return row.next() ? row.getLong(1) : 0;
            } catch (SQLException e) {
                throw failure("reading the last message id", e);
            }
        }
    }

    /**
     * Deletes by age through the index on time; trims only when asked to keep fewer than a ring's
     * slots, since a ring never holds more (with {@code keepPerTarget} at {@code --history-size},
     * as the writer asks, the targets cost nothing).
     */
    @Override
    public long prune(long olderThan, Collection<String> trimmed, int keepPerTarget) throws HistoryException {
        if (keepPerTarget < 0) {
            throw new IllegalArgumentException("keepPerTarget: " + keepPerTarget);
        }
        synchronized (writer) {
            try (PreparedStatement older = writer.prepareStatement(DELETE_OLDER)) {
                older.setLong(1, olderThan);
                long deleted = older.executeUpdate();
                if (keepPerTarget < ring.slots()) {
                    try (PreparedStatement trim = writer.prepareStatement(TRIM_TARGET)) {
                        for (String target : new LinkedHashSet<>(trimmed)) {
                            trim.setString(1, target);
                            trim.setInt(2, keepPerTarget);
                            deleted += trim.executeUpdate();
                        }
                    }
                }
                writer.commit();
                return deleted;
            } catch (SQLException e) {
                throw rollBack(e, "pruning messages older than " + olderThan + " and trimming " + trimmed.size()
                        + " targets to " + keepPerTarget);
            }
        }
    }

    /**
     * For tests of a full disk: from now on the writer cannot grow the file past {@code pages}
     * pages (SQLite raises a figure under the file's size to it), and SQLite answers what would
     * need more with SQLITE_FULL, the error a full disk gives.
     */
    void limitPages(long pages) throws SQLException {
        synchronized (writer) {
            try (Statement statement = writer.createStatement()) {
                statement.execute("PRAGMA max_page_count = " + pages);
            }
        }
    }

    /** Closes both connections; the write-ahead log is checkpointed into the file as the last one closes. */
    @Override
    public void close() {
        synchronized (reader) {
            closeQuietly(reader);
        }
        synchronized (writer) {
            closeQuietly(writer);
        }
    }

    @Override
    public String toString() {
        return "history " + file;
    }

    private HistoryException rollBack(SQLException e, String what) {
        rollBackAfter(e);
        return failure(what, e);
    }

    /** Rolls the writer's transaction back after {@code e}, which carries what went wrong on the way. */
    private void rollBackAfter(Exception e) {
        try {
            writer.rollback();
        } catch (SQLException rollback) {
            e.addSuppressed(rollback);
            beginAgain(e);
        }
    }

    /**
     * On some errors, a full disk among them, SQLite has rolled the transaction back itself; the
     * driver's rollback then fails before it begins the next transaction, and every statement
     * after it would commit on its own, so that no commit could succeed again. Begins it here.
     */
    private void beginAgain(Exception e) {
        try (Statement statement = writer.createStatement()) {
            statement.execute("BEGIN");
        } catch (SQLException begin) {
            e.addSuppressed(begin);
        }
    }

    private HistoryException failure(String what, SQLException e) {
        return new HistoryException("history " + file + ": " + what + " failed: " + e.getMessage(), e);
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("closing a history connection: {}", e.getMessage());
        }
    }
}
