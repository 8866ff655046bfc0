package chat.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import chat.server.LogRecorder;
import chat.server.core.MessageKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the real writer and store. SQLite's {@code max_page_count} makes the file
 * full at its present size, and SQLite then fails a commit that needs one more page with
 * SQLITE_FULL, the error a full disk gives: the failure is logged at ERROR, the messages of that
 * commit are lost, the writer goes on taking messages, and saving resumes once there is room.
 */
class HistoryFullDiskTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long NOW = 1_800_000_000_000L;
    /** Larger than a page: such a message always needs pages the full file does not have. */
    private static final String PAGE_AND_MORE = "x".repeat(8192);

    @TempDir
    Path dir;

    private LogRecorder logs;
    private SqliteHistoryStore store;
    private HistoryWriter writer;
    private long nextId;

    @BeforeEach
    void start() throws HistoryException {
        logs = LogRecorder.attach(HistoryWriter.class);
        store = SqliteHistoryStore.open(dir, 10);
        writer = new HistoryWriter(store, new HistoryWriter.Options(10_000, 0, 10, 0, 3_600_000), () -> NOW);
    }

    @AfterEach
    void stop() {
        writer.close();
        store.close();
        logs.detach();
    }

    private long submit(String target, String text) {
        long id = ++nextId;
        assertThat(writer.submit(new StoredMessage(id, NOW, target, target, "alice", "alice@host", null,
                MessageKind.TEXT, text, Map.of()))).as("taken by the writer").isTrue();
        return id;
    }

    @Test
    void aFullDiskIsLoggedAtErrorTheWriterGoesOnAndSavingResumesWhenThereIsRoom() throws Exception {
        long saved = submit("#dev", "before the disk filled");
        await().atMost(PATIENCE).until(() -> writer.committedId() == saved);

        store.limitPages(1); // raised by SQLite to the pages the file has now: not one more
        for (int i = 0; i < 20; i++) {
            submit("#new" + i, PAGE_AND_MORE);
        }
        await().atMost(PATIENCE).until(() -> writer.failed() == 20);

        assertThat(writer.healthy()).isFalse();
        assertThat(writer.committedId()).isEqualTo(saved);
        assertThat(logs.at(Level.ERROR)).first().asString().contains("could not save").contains("chat goes on")
                .contains(dir.resolve(SqliteHistoryStore.FILE_NAME).toString()).contains("full");

        store.limitPages(1 << 20);
        long after = submit("#dev", "once there is room again");
        await().atMost(PATIENCE).until(() -> writer.committedId() == after);

        assertThat(writer.healthy()).isTrue();
        assertThat(writer.failed()).as("only what came while the disk was full is lost").isEqualTo(20);
        assertThat(logs.at(Level.INFO)).anyMatch(line -> line.contains("saving works again"));
        assertThat(store.read(HistoryQuery.latest("#dev", 10))).extracting(StoredMessage::text)
                .containsExactly("before the disk filled", "once there is room again");
        assertThat(store.read(HistoryQuery.latest("#new0", 10))).isEmpty();
    }
}
