package chat.server.history;

import static chat.server.history.HistoryQuery.NONE_ABOVE;
import static chat.server.history.HistoryQuery.NONE_BELOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.core.MessageKind;
import chat.server.history.HistoryStore.TargetActivity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store against a real file in a temporary directory: every query shape, retention,
 * the schema version, broken files, and a reader next to the writer.
 */
class SqliteHistoryStoreTest {

    /** Messages kept per target: more than any test here writes to one, so only prune trims. */
    private static final int SLOTS = 100;

    @TempDir
    Path dir;

    private final List<SqliteHistoryStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(SqliteHistoryStore::close);
    }

    private SqliteHistoryStore open() throws HistoryException {
        SqliteHistoryStore store = SqliteHistoryStore.open(dir, SLOTS);
        opened.add(store);
        return store;
    }

    /** A room message whose time is a thousand times its id, unless given. */
    private static StoredMessage said(long id, String room) {
        return said(id, 1000 * id, room);
    }

    private static StoredMessage said(long id, long time, String room) {
        return new StoredMessage(id, time, HistoryTargets.room(room), room, "alice", "alice@host", null,
                MessageKind.TEXT, "line " + id, Map.of());
    }

    private static List<Long> ids(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::id).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private Connection sql() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteHistoryStore.FILE_NAME));
    }

    @Test
    void theFirstOpenCreatesTheDirectoryAndAnEmptyHistory() throws Exception {
        dir = dir.resolve("data/history");
        SqliteHistoryStore store = open();

        assertThat(dir.resolve(SqliteHistoryStore.FILE_NAME)).isRegularFile();
        assertThat(store.lastId()).isZero();
        assertThat(store.read(HistoryQuery.latest("#dev", 10))).isEmpty();
        try (Connection sql = sql(); Statement statement = sql.createStatement();
                ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aDeletedMessageIsGoneAndOthersStay() throws Exception {
        SqliteHistoryStore store = open();
        store.append(java.util.List.of(said(1, "#dev"), said(2, "#dev"), said(3, "#ops")));
        store.delete("#dev", 2);
        store.delete("#ops", 1); // another target's id: nothing
        assertThat(store.read(HistoryQuery.latest("#dev", 10))).extracting(StoredMessage::id).containsExactly(1L);
        assertThat(store.read(HistoryQuery.latest("#ops", 10))).extracting(StoredMessage::id).containsExactly(3L);
        assertThat(store.lastId()).isEqualTo(3);
    }

    @Test
    void everyFieldComesBack() throws Exception {
        SqliteHistoryStore store = open();
        StoredMessage room = new StoredMessage(1, 1_700_000_000_123L, "#dev", "#Dev", "Alice", "alice@10.0.0.1",
                null, MessageKind.ACTION, "waves", Map.of("+draft/reply", "0"));
        StoredMessage pm = new StoredMessage(2, 1_700_000_000_456L, HistoryTargets.conversation("Bob", "alice"),
                null, "Bob", null, "alice", MessageKind.NOTICE, "psst", Map.of());
        store.append(List.of(room, pm));

        assertThat(store.read(HistoryQuery.latest("#dev", 5))).containsExactly(room);
        assertThat(store.read(HistoryQuery.latest("alice bob", 5))).containsExactly(pm);
        assertThat(store.lastId()).isEqualTo(2);
    }

    @Test
    void tagsAndTextWithAnyCharacterComeBackAsTheyWere() throws Exception {
        SqliteHistoryStore store = open();
        Map<String, String> tags = Map.of(
                "+a;b", "x=y;z", "+spaces", "one two  three ", "+lines", "first\nsecond\r\nthird",
                "+unicode", "héllo 你好 😀", "+slash\\", "\\;\\=\\", "+empty", "", "=", ";");
        String text = "a;b=c \\ d\nnext line 😀 \u0000 end";
        store.append(List.of(new StoredMessage(7, 7000, "#dev", "#dev", "alice", "a@h", null, MessageKind.TEXT,
                text, tags)));

        StoredMessage back = store.read(HistoryQuery.latest("#dev", 1)).get(0);
        assertThat(back.tags()).isEqualTo(tags);
        assertThat(back.text()).isEqualTo(text);
    }

    @Test
    void readsByIdTakeTheNewestOrTheOldestOfTheRangeAndAnswerOldestFirst() throws Exception {
        SqliteHistoryStore store = open();
        List<StoredMessage> batch = new ArrayList<>();
        for (long id = 1; id <= 20; id++) {
            batch.add(said(id, id % 2 == 0 ? "#even" : "#odd"));
        }
        store.append(batch);

        assertThat(ids(store.read(HistoryQuery.latest("#even", 3)))).containsExactly(16L, 18L, 20L);
        assertThat(ids(store.read(HistoryQuery.latest("#even", 100)))).isEqualTo(List.of(2L, 4L, 6L, 8L, 10L, 12L,
                14L, 16L, 18L, 20L));
        assertThat(ids(store.read(HistoryQuery.before("#even", 16, 3)))).containsExactly(10L, 12L, 14L);
        assertThat(ids(store.read(HistoryQuery.after("#even", 4, 2)))).containsExactly(6L, 8L);
        assertThat(ids(store.read(HistoryQuery.after("#odd", 19, 5)))).isEmpty();
        assertThat(ids(store.read(new HistoryQuery("#odd", 3, 13, NONE_BELOW, NONE_ABOVE, 2, true))))
                .containsExactly(9L, 11L);
        assertThat(ids(store.read(new HistoryQuery("#odd", 3, 13, NONE_BELOW, NONE_ABOVE, 2, false))))
                .containsExactly(5L, 7L);
        assertThat(store.read(HistoryQuery.latest("#none", 5))).isEmpty();
    }

    @Test
    void readsByTimeHonourExclusiveBoundsAlone() throws Exception {
        SqliteHistoryStore store = open();
        store.append(LongStream.rangeClosed(1, 10).mapToObj(id -> said(id, "#dev")).toList());

        // Times are 1000 * id; both bounds exclusive.
        assertThat(ids(store.read(new HistoryQuery("#dev", NONE_BELOW, NONE_ABOVE, NONE_BELOW, 5000, 2, true))))
                .containsExactly(3L, 4L);
        assertThat(ids(store.read(new HistoryQuery("#dev", NONE_BELOW, NONE_ABOVE, 5000, NONE_ABOVE, 2, false))))
                .containsExactly(6L, 7L);
        assertThat(ids(store.read(new HistoryQuery("#dev", NONE_BELOW, NONE_ABOVE, 2000, 9000, 100, false))))
                .isEqualTo(range(3, 8));
        assertThat(ids(store.read(new HistoryQuery("#dev", NONE_BELOW, NONE_ABOVE, 2000, 9000, 3, true))))
                .containsExactly(6L, 7L, 8L);
        assertThat(ids(store.read(new HistoryQuery("#dev", NONE_BELOW, NONE_ABOVE, 4000, 5000, 3, true)))).isEmpty();
    }

    @Test
    void idAndTimeBoundsTogetherBothApply() throws Exception {
        SqliteHistoryStore store = open();
        store.append(LongStream.rangeClosed(1, 10).mapToObj(id -> said(id, "#dev")).toList());

        assertThat(ids(store.read(new HistoryQuery("#dev", 2, 9, 4000, NONE_ABOVE, 10, false))))
                .isEqualTo(range(5, 8));
        assertThat(ids(store.read(new HistoryQuery("#dev", 5, NONE_ABOVE, NONE_BELOW, 8000, 10, true))))
                .containsExactly(6L, 7L);
    }

    @Test
    void aClockThatWentBackStillAnswersInIdOrder() throws Exception {
        SqliteHistoryStore store = open();
        store.append(List.of(said(1, 100, "#dev"), said(2, 300, "#dev"), said(3, 200, "#dev")));

        assertThat(ids(store.read(new HistoryQuery("#dev", NONE_BELOW, NONE_ABOVE, NONE_BELOW, 1000, 2, true))))
                .containsExactly(2L, 3L);
        assertThat(ids(store.read(new HistoryQuery("#dev", NONE_BELOW, NONE_ABOVE, 0, NONE_ABOVE, 3, false))))
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void targetsAreTheActiveOnesNewestFirstWithinTheTimeRange() throws Exception {
        SqliteHistoryStore store = open();
        store.append(List.of(said(1, 5000, "#a"), said(2, 5500, "#a"), said(3, 7000, "#b"), said(4, 9000, "#b"),
                said(5, 6000, "#c"), said(6, 1000, "#d"),
                new StoredMessage(7, 6500, "alice bob", null, "bob", "b@h", "alice", MessageKind.TEXT, "hi",
                        Map.of())));
        List<String> asked = List.of("#a", "#b", "#c", "#d", "alice bob", "#never", "#a");

        assertThat(store.targets(asked, 1000, 9000, 10)).containsExactly(new TargetActivity("#b", 7000),
                new TargetActivity("alice bob", 6500), new TargetActivity("#c", 6000),
                new TargetActivity("#a", 5500));
        assertThat(store.targets(asked, NONE_BELOW, NONE_ABOVE, 2)).containsExactly(new TargetActivity("#b", 9000),
                new TargetActivity("alice bob", 6500));
        assertThat(store.targets(List.of("#a", "#d"), 5500, NONE_ABOVE, 10)).isEmpty();
        assertThat(store.targets(List.of(), NONE_BELOW, NONE_ABOVE, 10)).isEmpty();
    }

    @Test
    void pruneByTimeForgetsTheOlderMessagesOfEveryTarget() throws Exception {
        SqliteHistoryStore store = open();
        store.append(LongStream.rangeClosed(1, 10).mapToObj(id -> said(id, id <= 5 ? "#a" : "#b")).toList());

        assertThat(store.prune(4000, List.of(), 100)).isEqualTo(3); // times 1000, 2000, 3000
        assertThat(ids(store.read(HistoryQuery.latest("#a", 10)))).containsExactly(4L, 5L);
        assertThat(store.prune(7000, List.of(), 100)).isEqualTo(3);
        assertThat(ids(store.read(HistoryQuery.latest("#a", 10)))).isEmpty();
        assertThat(ids(store.read(HistoryQuery.latest("#b", 10)))).isEqualTo(range(7, 10));
        assertThat(store.prune(NONE_BELOW, List.of(), 100)).isZero();
    }

    @Test
    void pruneBySizeKeepsTheNewestOfTheTrimmedTargetsOnly() throws Exception {
        SqliteHistoryStore store = open();
        store.append(LongStream.rangeClosed(1, 30).mapToObj(id -> said(id, "#" + id % 3)).toList());

        assertThat(store.prune(NONE_BELOW, List.of("#0", "#1", "#none"), 4)).isEqualTo(12);
        assertThat(ids(store.read(HistoryQuery.latest("#0", 100)))).containsExactly(21L, 24L, 27L, 30L);
        assertThat(ids(store.read(HistoryQuery.latest("#1", 100)))).containsExactly(19L, 22L, 25L, 28L);
        assertThat(ids(store.read(HistoryQuery.latest("#2", 100)))).hasSize(10);
        assertThat(store.prune(NONE_BELOW, List.of("#2"), 0)).isEqualTo(10);
    }

    @Test
    void lastIdNeverGoesBackEvenWhenPruningEmptiedTheHistory() throws Exception {
        SqliteHistoryStore store = open();
        store.append(List.of(said(41, "#a"), said(42, "#a")));
        assertThat(store.lastId()).isEqualTo(42);

        store.prune(NONE_ABOVE, List.of(), 100);
        assertThat(store.read(HistoryQuery.latest("#a", 10))).isEmpty();
        assertThat(store.lastId()).isEqualTo(42);
        store.close();
        assertThat(open().lastId()).isEqualTo(42);
    }

    @Test
    void theSchemaVersionIsRecordedAndAReopenKeepsEverything() throws Exception {
        SqliteHistoryStore store = open();
        store.append(List.of(said(1, "#a"), said(2, "#a")));
        store.close();
        try (Connection sql = sql(); Statement statement = sql.createStatement();
                ResultSet version = statement.executeQuery("PRAGMA user_version")) {
            assertThat(version.next()).isTrue();
            assertThat(version.getInt(1)).isEqualTo(SqliteSchema.VERSION).isPositive();
        }

        SqliteHistoryStore again = open();
        assertThat(ids(again.read(HistoryQuery.latest("#a", 10)))).containsExactly(1L, 2L);
        again.append(List.of(said(3, "#a")));
        assertThat(again.lastId()).isEqualTo(3);
    }

    @Test
    void aDatabaseFromANewerServerIsRefused() throws Exception {
        open().close();
        try (Connection sql = sql(); Statement statement = sql.createStatement()) {
            statement.execute("PRAGMA user_version = " + (SqliteSchema.VERSION + 1));
        }

        assertThatThrownBy(() -> SqliteHistoryStore.open(dir, SLOTS)).isInstanceOf(HistoryException.class)
                .hasMessageContaining(SqliteHistoryStore.FILE_NAME)
                .hasMessageContaining("schema version is " + (SqliteSchema.VERSION + 1));
    }

    @Test
    void aFileThatIsNotADatabaseIsRefused() throws Exception {
        Files.writeString(dir.resolve(SqliteHistoryStore.FILE_NAME), "this is no database, ".repeat(200),
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> SqliteHistoryStore.open(dir, SLOTS)).isInstanceOf(HistoryException.class)
                .hasMessageContaining(dir.resolve(SqliteHistoryStore.FILE_NAME).toString());
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain"), "x");

        assertThatThrownBy(() -> SqliteHistoryStore.open(notADirectory, SLOTS)).isInstanceOf(HistoryException.class)
                .hasMessageContaining(notADirectory.toString());
    }

    @Test
    void theWriterCommitsWhileAReaderIsInsideItsSnapshot() throws Exception {
        SqliteHistoryStore store = open();
        store.append(List.of(said(1, "#a")));
        try (Connection reader = sql(); Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            try (ResultSet before = statement.executeQuery("SELECT count(*) FROM messages")) {
                assertThat(before.getInt(1)).isEqualTo(1); // the read transaction has begun
            }

            // Without the write-ahead log this commit would wait for the reader and time out.
            store.append(List.of(said(2, "#a")));

            try (ResultSet during = statement.executeQuery("SELECT count(*) FROM messages")) {
                assertThat(during.getInt(1)).as("the reader's snapshot").isEqualTo(1);
            }
            reader.commit();
            try (ResultSet after = statement.executeQuery("SELECT count(*) FROM messages")) {
                assertThat(after.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void theReaderReadsWhileAWriteTransactionIsOpenAndSeesNoneOfIt() throws Exception {
        SqliteHistoryStore store = open();
        store.append(List.of(said(1, "#a")));
        try (Connection writer = sql(); Statement statement = writer.createStatement()) {
            statement.execute("BEGIN IMMEDIATE"); // holds the write lock until the end
            statement.execute("INSERT INTO messages (slot, id, time, target, sender, kind, text)"
                    + " VALUES (1, 2, 2000, '#a', 'bob', 'TEXT', 'uncommitted')");
            statement.execute("UPDATE high_water SET id = 2"); // as an append raises it

            assertThat(ids(store.read(HistoryQuery.latest("#a", 10)))).containsExactly(1L);
            assertThat(store.lastId()).isEqualTo(1);

            statement.execute("COMMIT");
        }
        assertThat(ids(store.read(HistoryQuery.latest("#a", 10)))).containsExactly(1L, 2L);
    }

    @Test
    void aReaderThreadSeesOnlyWholeBatchesWhileTheWriterThreadAppends() throws Exception {
        SqliteHistoryStore store = open();
        int batchSize = 50;
        int batches = 200;
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> reads = CompletableFuture.supplyAsync(() -> {
            int count = 0;
            try {
                while (writing.get() || count == 0) {
                    List<StoredMessage> latest = store.read(HistoryQuery.latest("#a", 3 * batchSize));
                    long last = store.lastId();
                    assertThat(last % batchSize).as("a batch is all or nothing").isZero();
                    if (!latest.isEmpty()) {
                        long newest = latest.get(latest.size() - 1).id();
                        assertThat(newest % batchSize).isZero();
                        assertThat(ids(latest)).isEqualTo(range(newest - latest.size() + 1, newest));
                    }
                    count++;
                }
            } catch (HistoryException e) {
                throw new AssertionError(e);
            }
            return count;
        });
        long id = 0;
        for (int b = 0; b < batches; b++) {
            List<StoredMessage> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                batch.add(said(++id, "#a"));
            }
            store.append(batch);
        }
        writing.set(false);

        assertThat(reads.get()).isPositive();
        assertThat(store.lastId()).isEqualTo((long) batchSize * batches);
    }
}
