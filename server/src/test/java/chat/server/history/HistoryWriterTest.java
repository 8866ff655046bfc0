package chat.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import chat.server.core.MessageKind;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer thread against a store that records what it is given, fails when told, and holds a
 * commit when told: group commit, failures, a full queue, close, and retention.
 */
class HistoryWriterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long HOUR = 3_600_000;
    private static final long NOW = 1_800_000_000_000L;

    /** A store that keeps nothing but a record of its calls. */
    private static final class RecordingStore implements HistoryStore {
        final List<List<StoredMessage>> batches = new CopyOnWriteArrayList<>();
        final List<Long> deleted = new CopyOnWriteArrayList<>();
        final List<Prune> prunes = new CopyOnWriteArrayList<>();
        /** Every append and prune, in order: "append #a #b", "prune #a". */
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** When set, the first prune that trims a target counts this down and waits for pruneGate. */
        volatile CountDownLatch pruneStarted;
        volatile CountDownLatch pruneGate;
        /** Thrown by the next appends, in order. */
        final Queue<Exception> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger appendsStarted = new AtomicInteger();
        /** When set, append waits for it before doing anything. */
        volatile CountDownLatch gate;

        record Prune(long olderThan, List<String> trimmed, int keepPerTarget) {
        }

        @Override
        public void append(List<StoredMessage> batch) throws HistoryException {
            appendsStarted.incrementAndGet();
            CountDownLatch wait = gate;
            if (wait != null) {
                try {
                    wait.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            Exception failure = failures.poll();
            if (failure instanceof HistoryException history) {
                throw history;
            } else if (failure != null) {
                throw (RuntimeException) failure;
            }
            batches.add(List.copyOf(batch));
            calls.add("append" + batch.stream().map(m -> " " + m.room()).reduce("", String::concat));
        }

        @Override
        public long prune(long olderThan, Collection<String> trimmed, int keepPerTarget) {
            prunes.add(new Prune(olderThan, List.copyOf(trimmed), keepPerTarget));
            calls.add("prune" + trimmed.stream().map(t -> " " + t).reduce("", String::concat));
            CountDownLatch started = pruneStarted;
            CountDownLatch wait = pruneGate;
            if (!trimmed.isEmpty() && started != null && started.getCount() > 0) {
                started.countDown();
                try {
                    wait.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return 0;
        }

        long saved() {
            return batches.stream().mapToLong(List::size).sum();
        }

        List<Integer> sizes() {
            return batches.stream().map(List::size).toList();
        }

        @Override
        public List<StoredMessage> read(HistoryQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<TargetActivity> targets(Collection<String> targets, long afterTime, long beforeTime, int limit) {
            throw new UnsupportedOperationException();
        }
        @Override
        public void delete(String target, long id) {
            deleted.add(id);
        }

        @Override
        public long lastId() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private final RecordingStore store = new RecordingStore();
    /** What the writer logs. */
    private chat.server.LogRecorder logs;
    private HistoryWriter writer;
    private long nextId;

    @BeforeEach
    void recordLogs() {
        logs = chat.server.LogRecorder.attach(HistoryWriter.class);
    }

    @AfterEach
    void stop() {
        CountDownLatch gate = store.gate;
        if (gate != null) {
            gate.countDown();
        }
        if (writer != null) {
            writer.close();
        }
        logs.detach();
    }

    private HistoryWriter start(int maxQueued, long syncMillis, long retentionMillis, long pruneIntervalMillis) {
        writer = new HistoryWriter(store, new HistoryWriter.Options(maxQueued, syncMillis, 100, retentionMillis,
                pruneIntervalMillis), () -> NOW);
        return writer;
    }

    private StoredMessage message(String room) {
        long id = ++nextId;
        return new StoredMessage(id, NOW, HistoryTargets.room(room), room, "alice", "alice@host", null,
                MessageKind.TEXT, "line " + id, Map.of());
    }

    private void submit(int count) {
        for (int i = 0; i < count; i++) {
            assertThat(writer.submit(message("#dev"))).isTrue();
        }
    }

    @Test
    void messagesWaitForTheSyncTimeUntilAFullBatchIsWaiting() {
        start(100_000, HOUR, 0, HOUR);
        submit(HistoryWriter.MAX_BATCH - 1);
        assertThat(writer.committedId()).isZero();

        submit(1);
        await().atMost(PATIENCE).until(() -> writer.committedId() == HistoryWriter.MAX_BATCH);

        // Had any message gone before the batch was full, there would be more than one commit.
        assertThat(store.sizes()).containsExactly(HistoryWriter.MAX_BATCH);
        assertThat(writer.pending()).isZero();
        assertThat(writer.healthy()).isTrue();
    }

    /** A redaction of a message still waiting is done after its commit, never before its insert. */
    @Test
    void aMessageIsForgottenOnlyOnceItIsCommitted() {
        start(100_000, HOUR, 0, HOUR);
        submit(3);
        writer.forget("#dev", 2);
        assertThat(store.deleted).isEmpty();

        writer.close(); // commits the three, then forgets the second
        assertThat(store.sizes()).containsExactly(3);
        assertThat(store.deleted).containsExactly(2L);
    }

    @Test
    void aLoneMessageIsCommittedWhenItHasWaitedTheSyncTime() {
        start(100, 20, 0, HOUR);
        submit(1);

        // Not a full batch, and not closed: only the time can have committed it.
        await().atMost(PATIENCE).until(() -> writer.committedId() == 1);
        assertThat(store.sizes()).containsExactly(1);
    }

    @Test
    void withSyncZeroWhatArrivesDuringACommitFormsTheNextBatch() {
        store.gate = new CountDownLatch(1);
        start(100_000, 0, 0, HOUR);
        submit(1);
        await().atMost(PATIENCE).until(() -> store.appendsStarted.get() == 1); // the first commit is under way

        submit(100);
        store.gate.countDown();

        await().atMost(PATIENCE).until(() -> writer.committedId() == 101);
        assertThat(store.sizes()).containsExactly(1, 100);
    }

    @Test
    void aFailedCommitIsLoggedAndLostAndTheWriterGoesOn() {
        start(100, 0, 0, HOUR);
        store.failures.add(new HistoryException("history /data/history.db: appending failed: disk full", null));
        submit(1);
        await().atMost(PATIENCE).until(() -> writer.failed() == 1);
        assertThat(writer.healthy()).isFalse();
        assertThat(logs.at(Level.ERROR)).singleElement().asString().contains("could not save 1 messages")
                .contains("/data/history.db").contains("disk full");

        submit(1);
        await().atMost(PATIENCE).until(() -> writer.committedId() == 2);
        assertThat(writer.healthy()).isTrue();
        assertThat(store.batches).singleElement().satisfies(batch -> assertThat(batch.get(0).id()).isEqualTo(2));
        assertThat(logs.at(Level.INFO)).anyMatch(line -> line.contains("saving works again"));
    }

    @Test
    void aRuntimeExceptionFromTheStoreDoesNotStopTheWriter() {
        start(100, 0, 0, HOUR);
        store.failures.add(new IllegalStateException("a bug in the store"));
        submit(1);
        await().atMost(PATIENCE).until(() -> writer.failed() == 1);
        assertThat(writer.healthy()).isFalse();

        submit(1);
        await().atMost(PATIENCE).until(() -> writer.committedId() == 2);
        assertThat(writer.healthy()).isTrue();
    }

    @Test
    void failuresInARowAreLoggedOncePerInterval() {
        start(100, 0, 0, HOUR);
        for (int i = 0; i < 5; i++) {
            store.failures.add(new HistoryException("history: broken", null));
        }
        for (int i = 1; i <= 5; i++) {
            submit(1);
            long failedSoFar = i;
            await().atMost(PATIENCE).until(() -> writer.failed() == failedSoFar);
        }

        assertThat(logs.at(Level.ERROR)).hasSize(1);
    }

    @Test
    void aFullQueueDropsCountsAndWarnsOnce() {
        start(10, HOUR, 0, HOUR); // nothing is committed while the test runs
        submit(10);

        for (int i = 0; i < 5; i++) {
            assertThat(writer.submit(message("#dev"))).isFalse();
        }

        assertThat(writer.dropped()).isEqualTo(5);
        assertThat(writer.pending()).isEqualTo(10);
        assertThat(logs.at(Level.WARN)).singleElement().asString().contains("dropped 1 messages")
                .contains("10 messages already wait");
    }

    @Test
    void closeSavesEverythingQueued() {
        start(100_000, HOUR, 0, HOUR);
        submit(HistoryWriter.MAX_BATCH + 1000);

        writer.close();

        assertThat(store.saved()).isEqualTo(HistoryWriter.MAX_BATCH + 1000);
        assertThat(writer.committedId()).isEqualTo(HistoryWriter.MAX_BATCH + 1000);
        assertThat(writer.pending()).isZero();
        assertThat(writer.submit(message("#dev"))).as("after close").isFalse();
        assertThat(writer.dropped()).isEqualTo(1);
    }

    @Test
    void retentionPrunesByTimeAndTrimsTheTargetsWrittenSinceTheLastPrune() {
        start(100, 0, 60_000, 10);
        assertThat(writer.submit(message("#a"))).isTrue();
        assertThat(writer.submit(message("#B"))).isTrue();
        await().atMost(PATIENCE).until(() -> writer.committedId() == 2);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(store.prunes.stream()
                .flatMap(p -> p.trimmed().stream())).contains("#a", "#b"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(store.prunes.get(store.prunes.size() - 1).trimmed())
                .as("no target written since").isEmpty());
        assertThat(store.prunes).allSatisfy(p -> {
            assertThat(p.olderThan()).isEqualTo(NOW - 60_000);
            assertThat(p.keepPerTarget()).isEqualTo(100);
        });
    }

    @Test
    void withoutRetentionOnlyWrittenTargetsAreTrimmed() {
        start(100, 0, 0, 10);
        assertThat(writer.submit(message("#a"))).isTrue();

        await().atMost(PATIENCE).until(() -> !store.prunes.isEmpty());
        assertThat(store.prunes).allSatisfy(p -> {
            assertThat(p.olderThan()).isEqualTo(HistoryQuery.NONE_BELOW);
            assertThat(p.trimmed()).containsExactly("#a");
        });
    }

    @Test
    void optionsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new HistoryWriter.Options(0, 1000, 100, 0, 1000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistoryWriter.Options(10, -1, 100, 0, 1000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistoryWriter.Options(10, 1000, 0, 0, 1000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A retention pass is made of steps, and what is due is committed between them: a message
     * submitted while the first step runs is saved before the next step, not after the pass.
     */
    @Test
    void messagesDueDuringARetentionPassAreCommittedBetweenItsSteps() {
        store.pruneStarted = new CountDownLatch(1);
        store.pruneGate = new CountDownLatch(1);
        start(100_000, 0, 0, 1000); // both commits come long before the first pass, a second after the start
        assertThat(writer.submit(message("#a"))).isTrue();
        assertThat(writer.submit(message("#b"))).isTrue();
        await().atMost(PATIENCE).until(() -> writer.committedId() == 2);
        await().atMost(PATIENCE).until(() -> store.pruneStarted.getCount() == 0); // the first step holds the writer

        assertThat(writer.submit(message("#c"))).isTrue();
        store.pruneGate.countDown();
        await().atMost(PATIENCE).until(() -> writer.committedId() == 3);
        await().atMost(PATIENCE).until(() -> store.prunes.stream().filter(p -> !p.trimmed().isEmpty())
                .flatMap(p -> p.trimmed().stream()).distinct().count() >= 2);

        List<String> calls = List.copyOf(store.calls);
        int firstStep = calls.indexOf(calls.stream().filter(c -> c.startsWith("prune #")).findFirst().orElseThrow());
        int saved = calls.indexOf("append #c");
        int secondStep = -1;
        for (int i = firstStep + 1; i < calls.size(); i++) {
            if (calls.get(i).startsWith("prune #")) {
                secondStep = i;
                break;
            }
        }
        assertThat(saved).as("#c saved after the first step, in " + calls).isGreaterThan(firstStep);
        assertThat(secondStep).as("the pass's second step, in " + calls).isGreaterThan(saved);
    }
}
