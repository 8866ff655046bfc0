package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.core.MessageKind;
import chat.server.history.HistoryQuery;
import chat.server.history.HistoryStore;
import chat.server.history.HistoryWriter;
import chat.server.history.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The writer benchmark's producer, against the server's writer over a store in memory. */
class WriterLoadTest {

    /** Keeps what it is given; each append first waits for {@link #open}, so a test can hold the writer up. */
    private static final class HeldStore implements HistoryStore {
        final List<StoredMessage> kept = new ArrayList<>();
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public synchronized void append(List<StoredMessage> batch) {
            try {
                open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            kept.addAll(batch);
        }

        @Override
        public List<StoredMessage> read(HistoryQuery query) {
            return List.of();
        }

        @Override
        public List<TargetActivity> targets(Collection<String> targets, long afterTime, long beforeTime, int limit) {
            return List.of();
        }

        @Override

        public void delete(String target, long id) {

        }


        @Override
        public long lastId() {
            return 0;
        }

        @Override
        public long prune(long olderThan, Collection<String> trimmed, int keepPerTarget) {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    private static HistoryWriter writer(HistoryStore store, int maxQueued) {
        return new HistoryWriter(store, new HistoryWriter.Options(maxQueued, 0, 1000, 0, 60_000), System::currentTimeMillis);
    }

    @Test
    void messagesAreRoomLinesOfTheAskedSizeRoundRobinOverTheRooms() {
        WriterLoad load = new WriterLoad(50, 100);
        Set<String> rooms = new HashSet<>();
        for (long id = 1; id <= 200; id++) {
            StoredMessage m = load.message(id, 1_000);
            assertThat(m.id()).isEqualTo(id);
            assertThat(m.text().getBytes(StandardCharsets.UTF_8)).hasSize(100);
            assertThat(m.text()).startsWith(id + " ");
            assertThat(m.target()).isEqualTo(m.room()).startsWith("#room");
            assertThat(m.isPrivate()).isFalse();
            assertThat(m.kind()).isEqualTo(MessageKind.TEXT);
            assertThat(m.fromAddress()).isEqualTo(m.from() + "@127.0.0.1");
            rooms.add(m.target());
        }
        assertThat(rooms).hasSize(50).containsExactlyInAnyOrder(load.rooms());
        assertThat(load.message(1, 0).target()).isNotEqualTo(load.message(2, 0).target());
        assertThat(load.message(1, 0).target()).isEqualTo(load.message(51, 0).target());
    }

    @Test
    void aLongIdStillMakesTheTextItsSize() {
        StoredMessage m = new WriterLoad(1, WriterLoad.MIN_TEXT_BYTES).message(Long.MAX_VALUE, 0);
        assertThat(m.text()).hasSize(WriterLoad.MIN_TEXT_BYTES).startsWith(Long.MAX_VALUE + " ");
    }

    @Test
    void tooFewRoomsOrBytesAreRefused() {
        assertThatThrownBy(() -> new WriterLoad(0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WriterLoad(1, WriterLoad.MIN_TEXT_BYTES - 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void submitsUpToTheLimitAndTheWriterCommitsEveryOne() {
        HeldStore store = new HeldStore();
        store.open.countDown();
        HistoryWriter writer = writer(store, 100_000);
        WriterLoad load = new WriterLoad(5, 40);
        load.submitUntil(writer, System.nanoTime() + TimeUnit.MINUTES.toNanos(5), 10_000, null, 90_000);
        writer.close();
        assertThat(load.submitted()).isEqualTo(10_000);
        assertThat(load.refused()).isZero();
        assertThat(writer.dropped()).isZero();
        assertThat(writer.committedId()).isEqualTo(10_000);
        assertThat(store.kept).extracting(StoredMessage::id).doesNotHaveDuplicates().hasSize(10_000);
    }

    @Test
    void aWriterThatFallsBehindMakesTheProducerWaitNotDrop() {
        HeldStore store = new HeldStore(); // holds the writer's first commit until the producer gives up
        HistoryWriter writer = writer(store, 100);
        WriterLoad load = new WriterLoad(5, 40);
        load.submitUntil(writer, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300), 1_000, null,
                HistoryWriterCommand.highWater(100));
        store.open.countDown();
        writer.close();
        assertThat(load.backOffs()).isGreaterThanOrEqualTo(1);
        assertThat(load.submitted()).isLessThan(1_000);
        assertThat(load.maxPending()).isLessThanOrEqualTo(HistoryWriterCommand.highWater(100));
        assertThat(writer.dropped()).isZero();
        assertThat(load.refused()).isZero();
        assertThat(store.kept).hasSize((int) load.submitted());
    }

    @Test
    void aPacedLoadSubmitsNothingBeforeItIsDue() {
        HeldStore store = new HeldStore();
        store.open.countDown();
        HistoryWriter writer = writer(store, 1_000);
        WriterLoad load = new WriterLoad(5, 40);
        long now = System.nanoTime();
        // One message a second, starting in an hour: none is due before the deadline.
        PacingSchedule later = new PacingSchedule(now + TimeUnit.HOURS.toNanos(1), 1, 1);
        load.submitUntil(writer, now + TimeUnit.MILLISECONDS.toNanos(50), 10, later, 900);
        writer.close();
        assertThat(load.submitted()).isZero();
        assertThat(load.backOffs()).isZero();
    }
}
