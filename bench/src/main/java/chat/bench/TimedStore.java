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
 * field each is enough for the commit counters; a prune's bookkeeping is under this object's
 * lock, with {@link #snapshot}) and read from any thread; a {@link Snapshot} taken while the
 * writer works may be one commit behind in one of its fields.
 */
final class TimedStore implements HistoryStore {

    /**
     * The counters at one moment; {@link #minus} gives what happened between two. A prune under
     * way counts in {@code prunes} and with its time so far in {@code pruneNanos} (a retention
     * pass can take a minute), its deletions only once it is done.
     */
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
    /** Prunes begun, the one under way included. */
    private volatile long prunes;
    private volatile long pruned;
    /** Time in prunes that have ended. */
    private volatile long pruneNanos;
    /** System.nanoTime() when the prune under way began; 0 when none is. */
    private volatile long pruningSince;

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
        synchronized (this) {
            prunes++;
            pruningSince = start;
        }
        long deleted = 0;
        try {
            deleted = store.prune(olderThan, trimmed, keepPerTarget);
            return deleted;
        } finally {
            long took = System.nanoTime() - start;
            synchronized (this) { // with snapshot(): a prune's time is counted once, ended or under way
                pruned += deleted;
                pruneNanos += took;
                pruningSince = 0;
            }
        }
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
    public void delete(String target, long id) throws HistoryException {
        store.delete(target, id);
    }

    @Override
    public long lastId() throws HistoryException {
        return store.lastId();
    }

    @Override
    public void close() {
        store.close();
    }

    /** True while a prune is under way. */
    boolean pruning() {
        return pruningSince != 0;
    }

    synchronized Snapshot snapshot() {
        long since = pruningSince;
        long ongoing = since == 0 ? 0 : Math.max(0, System.nanoTime() - since);
        return new Snapshot(commits, committed, commitNanos, longestCommitNanos, prunes, pruned, pruneNanos + ongoing);
    }

    @Override
    public String toString() {
        return "timed " + store;
    }
}
