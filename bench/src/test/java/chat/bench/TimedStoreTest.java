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
        try (TimedStore store = new TimedStore(SqliteHistoryStore.open(dir))) {
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
    void anEmptySnapshotDifferenceHasNoBatch() {
        TimedStore.Snapshot zero = new TimedStore.Snapshot(0, 0, 0, 0, 0, 0, 0);
        assertThat(zero.minus(zero).meanBatch()).isZero();
    }
}
