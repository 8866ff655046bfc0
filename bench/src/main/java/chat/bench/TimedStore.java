package chat.bench;

import chat.server.history.HistoryException;
import chat.server.history.HistoryQuery;
import chat.server.history.HistoryStore;
import chat.server.history.StoredMessage;
import java.util.Collection;
import java.util.List;

/**
 * A {@link HistoryStore} that passes everything to the store it wraps and counts what the
 * writer asked of it: commits (appends), their messages and time, and prunes, their time and
 * what they deleted. For the history writer benchmark, to tell the time spent committing from
 * the time spent applying retention.
 *
 * <p>Threads: the counters are written by the writer thread only (single writer, so a volatile
 * field each is enough) and read from any thread; a {@link Snapshot} taken while the writer
 * works may be one commit behind in one of its fields.
 */
final class TimedStore implements HistoryStore {

    /** The counters at one moment; {@link #minus} gives what happened between two. */
    record Snapshot(long commits, long committed, long commitNanos, long longestCommitNanos, long prunes,
            long pruned, long pruneNanos) {

        Snapshot minus(Snapshot earlier) {
            return new Snapshot(commits - earlier.commits, committed - earlier.committed,
                    commitNanos - earlier.commitNanos, longestCommitNanos, prunes - earlier.prunes,
                    pruned - earlier.pruned, pruneNanos - earlier.pruneNanos);
        }

        /** Messages per commit on average; 0 without a commit. */
        double meanBatch() {
            return commits == 0 ? 0 : (double) committed / commits;
        }
    }

    private final HistoryStore store;
    private volatile long commits;
    private volatile long committed;
    private volatile long commitNanos;
    /** The longest single commit so far (not reset by {@link Snapshot#minus}). */
    private volatile long longestCommitNanos;
    private volatile long prunes;
    private volatile long pruned;
    private volatile long pruneNanos;

    TimedStore(HistoryStore store) {
        this.store = store;
    }

    @Override
    public void append(List<StoredMessage> batch) throws HistoryException {
        long start = System.nanoTime();
        store.append(batch);
        long took = System.nanoTime() - start;
        commits++; // the writer thread only: see the class comment
        committed += batch.size();
        commitNanos += took;
        longestCommitNanos = Math.max(longestCommitNanos, took);
    }

    @Override
    public long prune(long olderThan, Collection<String> trimmed, int keepPerTarget) throws HistoryException {
        long start = System.nanoTime();
        long deleted = store.prune(olderThan, trimmed, keepPerTarget);
        pruneNanos += System.nanoTime() - start;
        prunes++;
        pruned += deleted;
        return deleted;
    }

    @Override
    public List<StoredMessage> read(HistoryQuery query) throws HistoryException {
        return store.read(query);
    }

    @Override
    public List<TargetActivity> targets(Collection<String> targets, long afterTime, long beforeTime, int limit)
            throws HistoryException {
        return store.targets(targets, afterTime, beforeTime, limit);
    }

    @Override
    public long lastId() throws HistoryException {
        return store.lastId();
    }

    @Override
    public void close() {
        store.close();
    }

    Snapshot snapshot() {
        return new Snapshot(commits, committed, commitNanos, longestCommitNanos, prunes, pruned, pruneNanos);
    }

    @Override
    public String toString() {
        return "timed " + store;
    }
}
