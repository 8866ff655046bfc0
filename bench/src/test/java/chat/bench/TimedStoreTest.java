package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.history.HistoryQuery;
import chat.server.history.SqliteHistoryStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counting wrapper over the real SQLite store: what it counts, and that it changes nothing. */
class TimedStoreTest {

    @TempDir
    Path dir;

    @Test
    void countsCommitsAndPrunesAndPassesEverythingOn() throws Exception {
        WriterLoad load = new WriterLoad(2, 40);
        try (TimedStore store = new TimedStore(SqliteHistoryStore.open(dir, 100))) {
            TimedStore.Snapshot before = store.snapshot();
            store.append(List.of(load.message(1, 10), load.message(2, 10), load.message(3, 10)));
            store.append(List.of(load.message(4, 10)));
            long deleted = store.prune(0, List.of(load.rooms()), 1);
            TimedStore.Snapshot done = store.snapshot().minus(before);

            assertThat(done.commits()).isEqualTo(2);
            assertThat(done.committed()).isEqualTo(4);
            assertThat(done.meanBatch()).isEqualTo(2.0);
            assertThat(done.prunes()).isEqualTo(1);
            assertThat(deleted).isEqualTo(2); // each of the two rooms keeps its newest
            assertThat(done.pruned()).isEqualTo(2);
            assertThat(done.commitNanos()).isNotNegative();
            assertThat(done.longestCommitNanos()).isLessThanOrEqualTo(done.commitNanos());
            assertThat(store.lastId()).isEqualTo(4);
            assertThat(store.read(HistoryQuery.latest(load.rooms()[0], 10))).extracting(m -> m.id()).containsExactly(4L);
        }
    }

    @Test
    void aPruneUnderWayCountsFromItsStart() throws Exception {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        SqliteHistoryStore sqlite = SqliteHistoryStore.open(dir, 100);
        TimedStore store = new TimedStore(new chat.server.history.HistoryStore() {
            @Override
            public void append(List<chat.server.history.StoredMessage> batch) throws chat.server.history.HistoryException {
                sqlite.append(batch);
            }

            @Override
            public List<chat.server.history.StoredMessage> read(HistoryQuery query) {
                return List.of();
            }

            @Override
            public List<TargetActivity> targets(java.util.Collection<String> t, long a, long b, int limit) {
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
            public long prune(long olderThan, java.util.Collection<String> trimmed, int keep) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 7;
            }

            @Override
            public void close() {
                sqlite.close();
            }
        });
        Thread writer = new Thread(() -> {
            try {
                store.prune(0, List.of(), 1);
            } catch (chat.server.history.HistoryException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        inside.await();
        TimedStore.Snapshot during = store.snapshot();
        assertThat(store.pruning()).isTrue();
        assertThat(during.prunes()).isEqualTo(1);
        assertThat(during.pruned()).isZero();
        release.countDown();
        writer.join();
        TimedStore.Snapshot after = store.snapshot();
        assertThat(store.pruning()).isFalse();
        assertThat(after.pruned()).isEqualTo(7);
        assertThat(after.pruneNanos()).isGreaterThanOrEqualTo(during.pruneNanos());
        store.close();
    }

    @Test
    void anEmptySnapshotDifferenceHasNoBatch() {
        TimedStore.Snapshot zero = new TimedStore.Snapshot(0, 0, 0, 0, 0, 0, 0);
        assertThat(zero.minus(zero).meanBatch()).isZero();
    }
}
