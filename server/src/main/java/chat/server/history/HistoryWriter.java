package chat.server.history;

import chat.server.net.BackgroundThreads;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves history on a thread of its own, {@value #THREAD_NAME}, so the loop never waits for a disk.
 *
 * <p>The loop hands each message to {@link #submit}, which only queues it: a lock-free queue, a
 * counter, and a wake-up when the queue stops being empty. The writer commits in groups: when
 * the oldest waiting message has waited {@code syncMillis}, or at once when {@value #MAX_BATCH}
 * are waiting, as one transaction; a commit costs one disk sync however many it holds. So a
 * process killed outright loses at most what waited for the next commit, while under load the
 * batches grow and the syncs stay few. With {@code syncMillis} 0 a commit starts as soon as
 * anything waits, and what arrives during it forms the next batch.
 *
 * <p>A failed commit (a full disk, a broken file) is logged, its messages are dropped and
 * counted, and the writer goes on with the next batch: chat never stops for history. Between
 * commits, every {@code pruneIntervalMillis}, it applies retention.
 *
 * <p>Threads: {@link #submit} from the loop thread only (one producer); the counters from any
 * thread; {@link #close} once, after the loop has stopped submitting. The store is the caller's
 * to close afterwards.
 */
public final class HistoryWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);

    static final String THREAD_NAME = "chat-history-writer";
    /** Most messages in one commit; this many waiting are committed without waiting for the time. */
    public static final int MAX_BATCH = 4_096;
    /** At most one line per this interval about dropped messages, and one about failures. */
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The longest a retention step should hold the writer; what waits is committed between steps. */
    static final long PRUNE_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long {@link #close} waits for the last commit. */
    static final long CLOSE_TIMEOUT_MILLIS = 10_000;
    /** Longer intervals are taken as this (about 73 years), so deadlines never overflow. */
    private static final long MAX_INTERVAL_NANOS = Long.MAX_VALUE / 4;

    /**
     * @param maxQueued most messages waiting; past it, new ones are dropped
     * @param syncMillis longest a message waits for its commit (0: commit at once)
     * @param historySize messages kept per room or conversation
     * @param retentionMillis messages older than this are forgotten (0: kept however old)
     * @param pruneIntervalMillis how often retention runs
     */
    public record Options(int maxQueued, long syncMillis, int historySize, long retentionMillis,
            long pruneIntervalMillis) {

        public Options {
            if (maxQueued < 1 || syncMillis < 0 || historySize < 1 || retentionMillis < 0 || pruneIntervalMillis < 1) {
                throw new IllegalArgumentException("history writer options out of range: " + this);
            }
        }
    }

    private final HistoryStore store;
    private final Options options;
    /** Now in epoch milliseconds, as message times are: where retention's cut-off comes from. */
    private final LongSupplier clock;
    private final long syncNanos;
    private final long pruneNanos;
    private final Thread thread;

    /** Submitted and not yet taken by the writer. */
    private final Queue<StoredMessage> queue = new ConcurrentLinkedQueue<>();
    /** Messages to forget (redactions), each once it is committed: a delete must not run before its insert. */
    private final Queue<Redaction> redactions = new ConcurrentLinkedQueue<>();
    /** Redactions waiting for their message's commit; writer thread only. */
    private final List<Redaction> laterRedactions = new ArrayList<>();
    /** The queue's length, counted after the offer: it may trail the queue, and dip below 0, for a moment. */
    private final AtomicLong waiting = new AtomicLong();
    /** System.nanoTime() of the submit that found the queue empty: the oldest waiting message's, or older. */
    private volatile long oldestSubmittedNanos;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long committedId;
    private volatile boolean healthy = true;
    /** Set by close(): commit what is queued, then end. */
    private volatile boolean closing;
    /** Set when the thread ended on an Error: nothing more will be saved. */
    private volatile boolean stopped;

    // Loop thread only: the throttle on the drop warning.
    private boolean dropWarned;
    private long lastDropWarningNanos;
    private long dropsSinceWarning;

    // Writer thread only.
    private final List<StoredMessage> batch = new ArrayList<>(MAX_BATCH);
    /** Targets committed to since the last prune: only they can be over historySize. */
    private final Set<String> touched = new HashSet<>();
    private boolean failureLogged;
    private long lastFailureLogNanos;
    private long failuresSinceLog;

    /** Starts the writer thread. */
    public HistoryWriter(HistoryStore store, Options options, LongSupplier clock) {
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.syncNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(options.syncMillis()), MAX_INTERVAL_NANOS);
        this.pruneNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(options.pruneIntervalMillis()), MAX_INTERVAL_NANOS);
        this.thread = new Thread(BackgroundThreads.belowLoop(this::run), THREAD_NAME);
        // A daemon: the server exits through System.exit after close() has waited for the last
        // commit; a commit stuck on a dead disk must not keep the process from exiting and its
        // supervisor from starting a new one. What close() could not commit is logged.
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues {@code message} for the next commit; never blocks. Loop thread only.
     *
     * @return false when it was dropped: {@code maxQueued} messages were already waiting, or the writer is closed
     */
    public boolean submit(StoredMessage message) {
        if (closing || stopped) {
            drop("the history writer is closed");
            return false;
        }
        long before = waiting.get();
        if (before >= options.maxQueued()) {
            drop(options.maxQueued() + " messages already wait to be saved (the disk is slower than the chat)");
            return false;
        }
        if (before <= 0) {
            oldestSubmittedNanos = System.nanoTime();
        }
        queue.offer(message);
        long after = waiting.incrementAndGet();
        if (after == 1 || after == MAX_BATCH) {
            LockSupport.unpark(thread); // a commit may be due: the first waiting, or a full batch
        }
        return true;
    }

    /** The greatest id this writer has committed; 0 before its first commit. */
    /**
     * Forgets a message once it is committed (a redaction); called on the loop, never blocks.
     * Redactions are few (a user withdrawing a line), so their queue needs no bound of its own
     * beyond the message queue's: each names a message that was submitted.
     */
    public void forget(String target, long id) {
        if (closing) {
            return;
        }
        redactions.add(new Redaction(target, id));
        LockSupport.unpark(thread);
    }

    /** Deletes what was redacted and is committed; the rest waits for its commit. */
    private void forgetCommitted() {
        for (Redaction r; (r = redactions.poll()) != null; ) {
            laterRedactions.add(r);
        }
        if (laterRedactions.isEmpty()) {
            return;
        }
        long committed = committedId;
        for (java.util.Iterator<Redaction> it = laterRedactions.iterator(); it.hasNext(); ) {
            Redaction r = it.next();
            if (r.id() > committed && !queue.isEmpty()) {
                continue; // its insert is still to come
            }
            it.remove();
            try {
                store.delete(r.target(), r.id());
            } catch (HistoryException | RuntimeException e) {
                logFailure("could not forget message " + r.id() + " of " + r.target(), e);
            }
        }
    }

    private record Redaction(String target, long id) {
    }

    public long committedId() {
        return committedId;
    }

    /** Messages waiting for a commit. */
    public long pending() {
        return Math.max(0, waiting.get());
    }

    /**
     * How long the oldest message waiting for a commit has waited, in milliseconds (an upper
     * bound: it is timed from the submit that found the queue empty); 0 when none waits. Reads
     * two volatile fields and takes no lock: safe from the loop and from any thread.
     */
    public long lagMillis() {
        if (pending() == 0) {
            return 0;
        }
        return Math.max(0, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldestSubmittedNanos));
    }

    /** Messages refused by {@link #submit}. */
    public long dropped() {
        return dropped.get();
    }

    /** Messages accepted and then lost in a failed commit. */
    public long failed() {
        return failed.get();
    }

    /** False from a failed commit until one succeeds, and after the writer stopped. */
    public boolean healthy() {
        return healthy && !stopped;
    }

    private void drop(String why) {
        long total = dropped.incrementAndGet();
        dropsSinceWarning++;
        long now = System.nanoTime();
        if (!dropWarned || now - lastDropWarningNanos >= LOG_INTERVAL_NANOS) {
            dropWarned = true;
            lastDropWarningNanos = now;
            log.warn("history: dropped {} messages since the last such line, {} in all: {}", dropsSinceWarning, total,
                    why);
            dropsSinceWarning = 0;
        }
    }

    /** The writer thread: commit when due, prune when due, sleep until the next of them. */
    private void run() {
        long nextPruneNanos = System.nanoTime() + pruneNanos;
        try {
            while (true) {
                Thread.interrupted(); // nobody should; a set flag would turn every park into a spin
                boolean ending = closing; // read first: whatever was queued before close() is seen below
                long now = System.nanoTime();
                if (!ending && now - nextPruneNanos >= 0) {
                    prune();
                    nextPruneNanos = System.nanoTime() + pruneNanos;
                    continue;
                }
                forgetCommitted();
                if (queue.isEmpty()) {
                    if (ending) {
                        return;
                    }
                    LockSupport.parkNanos(this, nextPruneNanos - now);
                    continue;
                }
                long commitDue = oldestSubmittedNanos + syncNanos;
                if (!ending && waiting.get() < MAX_BATCH && now - commitDue < 0) {
                    LockSupport.parkNanos(this, Math.min(commitDue - now, nextPruneNanos - now));
                    continue;
                }
                commit();
            }
        } catch (Error e) {
            stopped = true;
            log.error("history: the writer stopped, nothing more will be saved ({} messages waiting)", pending(), e);
            throw e;
        }
    }

    /** Takes up to a batch from the queue and commits it; a failure costs that batch only. */
    private void commit() {
        batch.clear();
        for (StoredMessage m; batch.size() < MAX_BATCH && (m = queue.poll()) != null; ) {
            batch.add(m);
        }
        waiting.addAndGet(-batch.size());
        try {
            store.append(batch);
        } catch (HistoryException | RuntimeException e) {
            healthy = false;
            failed.addAndGet(batch.size());
            logFailure("could not save " + batch.size() + " messages; they are lost, chat goes on", e);
            return;
        }
        long highest = committedId;
        for (StoredMessage m : batch) {
            highest = Math.max(highest, m.id());
            touched.add(m.target());
        }
        committedId = highest;
        if (!healthy) {
            healthy = true;
            log.info("history: saving works again ({}); {} messages were lost before", store, failed.get());
        }
    }

    /**
     * Retention: forgets what is older than retentionMillis, and trims the touched targets to
     * historySize. In steps, each its own transaction, with the messages whose sync time came
     * committed between them: for a store that trims by deleting, a pass over full rooms deletes
     * as many rows as were written since the last (millions, tens of seconds, at the writer's top
     * rate), and messages must not wait for it, or a kill -9 during a pass would lose far more
     * than --history-sync. (The SQLite store's rings keep targets to historySize as they are
     * written, so there its steps delete only by age.) A step takes as many targets as fit in
     * {@link #PRUNE_STEP_NANOS}, learned from the one before.
     */
    private void prune() {
        long olderThan = options.retentionMillis() == 0 ? HistoryQuery.NONE_BELOW
                : clock.getAsLong() - options.retentionMillis();
        if (olderThan == HistoryQuery.NONE_BELOW && touched.isEmpty()) {
            return;
        }
        List<String> trimmed = List.copyOf(touched);
        touched.clear(); // commits during the pass touch targets for the next one
        long deleted = 0;
        int done = 0;
        int step = 1;
        try {
            do {
                int end = Math.min(trimmed.size(), done + step);
                long started = System.nanoTime();
                // The age cut-off goes with every step; after the first there is nothing left under it.
                deleted += store.prune(olderThan, trimmed.subList(done, end), options.historySize());
                long took = System.nanoTime() - started;
                done = end;
                step = took > PRUNE_STEP_NANOS ? Math.max(1, step / 2) : took < PRUNE_STEP_NANOS / 2 ? Math.min(step * 2, 1 << 16) : step;
                commitWhatIsDue();
            } while (done < trimmed.size());
            if (deleted > 0) {
                log.info("history: forgot {} messages (older than {} ms, or past the last {} of {} busy targets)",
                        deleted, options.retentionMillis(), options.historySize(), trimmed.size());
            } else {
                log.debug("history: nothing to forget ({} busy targets)", trimmed.size());
            }
        } catch (HistoryException | RuntimeException e) {
            touched.addAll(trimmed.subList(done, trimmed.size())); // tried again next time
            logFailure("retention failed; it is tried again in " + options.pruneIntervalMillis() + " ms", e);
        }
    }

    /**
     * Between retention steps: commits what waited its sync time (or a full batch), as the
     * writer's loop would; at most what was waiting when it was called, so a producer faster
     * than the disk cannot keep retention from going on.
     */
    private void commitWhatIsDue() {
        long batches = (waiting.get() + MAX_BATCH - 1) / MAX_BATCH;
        while (batches-- > 0 && !queue.isEmpty()
                && (waiting.get() >= MAX_BATCH || System.nanoTime() - (oldestSubmittedNanos + syncNanos) >= 0)) {
            commit();
        }
    }

    private void logFailure(String what, Exception e) {
        long now = System.nanoTime();
        failuresSinceLog++;
        if (failureLogged && now - lastFailureLogNanos < LOG_INTERVAL_NANOS) {
            return;
        }
        failureLogged = true;
        lastFailureLogNanos = now;
        if (e instanceof HistoryException) {
            // The store's message names the file and the cause; the stack says nothing more.
            log.error("history: {} ({} failures since the last such line): {}", what, failuresSinceLog, e.getMessage());
        } else {
            log.error("history: {} ({} failures since the last such line)", what, failuresSinceLog, e);
        }
        failuresSinceLog = 0;
    }

    /**
     * Commits everything queued, then ends the thread; waits at most {@value #CLOSE_TIMEOUT_MILLIS}
     * ms. Call it once the loop no longer submits (after it stopped, on the shutdown path); the
     * store stays open.
     */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.error("history: {} messages still waiting to be saved after {} ms; they are lost at exit", pending(),
                    CLOSE_TIMEOUT_MILLIS);
        } else if (!queue.isEmpty()) {
            log.error("history: {} messages were not saved: the writer had stopped", pending());
        }
    }
}
