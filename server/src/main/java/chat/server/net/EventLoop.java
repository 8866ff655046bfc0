package chat.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poller, one thread: every socket, every chat structure and every timer of the server is
 * touched by this thread only, so nothing on the message path needs a lock.
 *
 * <p>Each iteration reads like a table of contents: wait for readiness and handle the ready sockets
 * (readable before writable, so a reply can go out in the same iteration), run the tasks other
 * threads submitted and those the loop deferred to this iteration, run due timers, then the
 * end-of-iteration hooks (close what was marked, flush what was queued: once per iteration, so
 * many lines to one socket leave in one write). The hooks come last so that nothing queued in
 * the iteration waits for the next wake-up.
 *
 * <p>A task the loop thread submits to itself runs in the <em>next</em> iteration, after that
 * iteration's ready sockets: that is how a connection that has had its share yields to the others.
 * Draining the queue until it is empty would run such a task in the same pass, and a connection
 * that yields would never let anyone else go first.
 *
 * <p>A {@link RuntimeException} from a socket handler, a task or a timer is logged and the loop goes on;
 * an {@link Error} (OutOfMemoryError, StackOverflowError...) leaves the process in a state
 * nobody can vouch for, so it is logged and the loop stops, with {@link #failure()} saying why,
 * so that the process can exit non-zero and a supervisor start a healthy one.
 *
 * <p>Thread-safety: {@link #execute}, {@link #stop}, {@link #failure} and
 * {@link #awaitTermination} may be called from any thread; they reach the loop through a queue
 * and {@link Poller#wakeup()}. Everything else is for the loop thread only.
 */
public final class EventLoop implements Executor {

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    /** Size of the loop's one read buffer: the most taken from one socket per readiness. */
    static final int READ_BUFFER_BYTES = 64 * 1024;
    /**
     * Most timers run per iteration. A storm of connections arms one detection window each, and
     * thousands can fall due together, each then reading and handling its client's first lines:
     * run all at once, they kept the loop from accepting for over a second while the listen
     * queue overflowed (docs/benchmarks.md, "The README launch"). The rest run in the next
     * iterations, with the sockets polled in between.
     */
    static final int MAX_TIMERS_PER_ITERATION = 256;
    /** Size of the loop's one write buffer: the most handed to one socket per write call. */
    static final int WRITE_BUFFER_BYTES = 256 * 1024;

    /** What a socket registered with the loop's poller reports readiness to. */
    public interface ReadyHandler {
        /**
         * The socket is ready for {@code readyOps} ({@link Poller#READ}, {@link Poller#WRITE});
         * must handle its own failures and never throw.
         */
        void onReady(int readyOps);
    }

    private final Poller poller;
    /** Where time comes from, in nanoseconds: System.nanoTime, or a test's hand-driven clock. */
    private final LongSupplier clock;
    /** Work handed over by other threads; drained at each iteration. */
    private final Queue<Runnable> externalTasks = new ConcurrentLinkedQueue<>();
    /** Work the loop thread deferred to the next iteration. */
    private List<Runnable> deferredTasks = new ArrayList<>();
    /** The deferred tasks being run; swapped with {@link #deferredTasks} each iteration. */
    private List<Runnable> runningTasks = new ArrayList<>();
    /** Pending timers, soonest first. */
    private final TimerQueue timers = new TimerQueue();
    /** Run after the ready sockets of each iteration were handled, in order. */
    private final List<Runnable> iterationEndHooks = new ArrayList<>();
    /** Bytes just read from a socket; reused for every read. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    /** A heap copy of {@link #readBuffer}'s content, for decoders that scan arrays. */
    private final byte[] readBytes = new byte[READ_BUFFER_BYTES];
    /** Bytes being written to a socket; reused for every write. */
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    /** Dispatches one ready socket; a field so polling allocates nothing. */
    private final Poller.Dispatch dispatch = this::dispatch;
    private final CountDownLatch terminated = new CountDownLatch(1);

    private volatile boolean stopRequested;
    private volatile Thread thread;
    /** The Error that stopped the loop; null while none did. */
    private volatile Throwable failure;
    private long timerSequence;
    /** Iterations run since start; for metrics. */
    private long iterations;
    /** Nanoseconds spent blocked in select with nothing to do, since start; for the busy ratio. */
    private long idleNanos;
    /** When the current blocking select began, until its first ready key or its return; 0 otherwise. */
    private long waitingSince;

    /** A loop on the best poller this platform has ({@link PollerKind#AUTO}). */
    public EventLoop() {
        this(PollerKind.AUTO);
    }

    /** A loop waiting on a poller of {@code kind}. */
    public EventLoop(PollerKind kind) {
        this(System::nanoTime, kind);
    }

    /** A loop whose timers and time-based limits follow {@code clock} (nanoseconds). */
    EventLoop(LongSupplier clock) {
        this(clock, PollerKind.AUTO);
    }

    EventLoop(LongSupplier clock, PollerKind kind) {
        this.clock = clock;
        initializeIoClassesNow();
        this.poller = kind.open();
    }

    /**
     * The JDK's socket write path initializes a class on first use that opens a file descriptor
     * of its own ({@code FileDispatcherImpl}); if that first use comes while the process is out
     * of descriptors (a connection storm at startup), its initialization fails for good and no
     * JDK channel can ever be written again: the selector's sockets, and with epoll still the
     * JDK's channels the rest of the process uses. Initializing it here, while descriptors are
     * plentiful, removes that trap.
     */
    private static void initializeIoClassesNow() {
        try {
            Class.forName("sun.nio.ch.FileDispatcherImpl", true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            log.debug("could not initialize the JDK's file dispatcher early: {}", e.toString());
        }
    }
    /**
     * What the loop waits on, for the log: "epoll", or "nio" with why epoll is not used when
     * {@link PollerKind#AUTO} fell back to it.
     */
    public String pollerName() {
        return poller.description();
    }

    /** The poller the loop waits on; sockets are registered with it. */
    Poller poller() {
        return poller;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    byte[] readBytes() {
        return readBytes;
    }

    ByteBuffer writeBuffer() {
        return writeBuffer;
    }

    /** Adds a step run at the end of every iteration. Call before {@link #run}. */
    public void addIterationEndHook(Runnable hook) {
        iterationEndHooks.add(hook);
    }

    /** The loop's clock, in nanoseconds; what timers and time-based limits go by. */
    public long nanoTime() {
        return clock.getAsLong();
    }

    /** True when called on the loop thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the loop thread: soon when called from another thread, in the next
     * iteration (after its ready sockets) when called from the loop thread. Safe from any thread.
     */
    @Override
    public void execute(Runnable task) {
        if (inLoop()) {
            deferredTasks.add(task);
        } else {
            externalTasks.add(task);
            poller.wakeup();
        }
    }

    /** Runs {@code task} on the loop after {@code delayMillis}. Loop thread only. */
    public Timer schedule(long delayMillis, Runnable task) {
        Timer timer = new Timer(nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), timerSequence++, task, timers);
        timers.add(timer);
        return timer;
    }

    /** Iterations run since start. Loop thread only. */
    public long iterations() {
        return iterations;
    }

    /**
     * Nanoseconds spent waiting for readiness with nothing to do, since start; the rest of the
     * time the loop was busy. Two clock reads per iteration, none per key. Loop thread only.
     */
    public long idleNanos() {
        return idleNanos;
    }

    /** Timers scheduled and neither run nor cancelled yet. */
    int pendingTimers() {
        return timers.size();
    }

    /** Asks the loop to end after its current iteration. Safe from any thread. */
    public void stop() {
        stopRequested = true;
        poller.wakeup();
    }

    /** The Error that stopped the loop, or null if none did. Safe from any thread. */
    public Throwable failure() {
        return failure;
    }

    /** Waits until {@link #run} has returned. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** The loop itself; returns after {@link #stop} or an Error. Closes the poller on the way out. */
    public void run() {
        thread = Thread.currentThread();
        try {
            while (!stopRequested) {
                runIteration(true);
            }
            if (failure == null) {
                runTasks(takeDeferredTasks());
            }
        } finally {
            try {
                poller.close();
            } catch (RuntimeException e) {
                log.warn("closing the poller failed", e);
            }
            terminated.countDown();
        }
    }

    /**
     * One iteration on the calling thread, which becomes the loop thread; for tests, which
     * drive the loop step by step. {@code block}: wait for readiness or the next timer.
     */
    void runIteration(boolean block) {
        thread = Thread.currentThread();
        iterations++;
        // Taken before the keys are handled: a task a key handler defers (a connection that had
        // its share) waits for the next iteration, with this one's flush in between.
        List<Runnable> deferred = takeDeferredTasks();
        select(block && deferred.isEmpty());
        runTasks(deferred);
        runDueTimers();
        // Last, so whatever keys, tasks and timers queued or closed goes out before the loop
        // blocks again.
        runIterationEndHooks();
    }

    /** What was deferred so far; what is deferred from now on goes to a fresh list. */
    private List<Runnable> takeDeferredTasks() {
        List<Runnable> batch = deferredTasks;
        deferredTasks = runningTasks;
        runningTasks = batch;
        return batch;
    }

    private void runTasks(List<Runnable> batch) {
        Runnable task;
        while ((task = externalTasks.poll()) != null && failure == null) {
            runGuarded(task);
        }
        for (int i = 0; i < batch.size() && failure == null; i++) {
            runGuarded(batch.get(i));
        }
        batch.clear();
    }

    private void runDueTimers() {
        long now = nanoTime();
        Timer timer;
        for (int ran = 0; ran < MAX_TIMERS_PER_ITERATION
                && (timer = timers.peek()) != null && timer.deadline - now <= 0 && failure == null; ran++) {
            timers.poll();
            Runnable task = timer.task;
            timer.task = null;
            runGuarded(task);
        }
    }

    private void select(boolean block) {
        try {
            if (!block || !externalTasks.isEmpty()) {
                poller.poll(0, dispatch);
                return;
            }
            Timer next = timers.peek();
            // Idle from here until the first ready key (keys are handled inside select) or the return.
            waitingSince = nanoTime();
            if (next == null) {
                poller.poll(-1, dispatch);
            } else if (next.deadline - waitingSince <= 0) {
                waitingSince = 0; // timers left over from the last iteration: due already, no wait
                poller.poll(0, dispatch);
            } else {
                long waitNanos = next.deadline - waitingSince;
                long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
                poller.poll(waitMillis, dispatch);
            }
            endWaiting();
        } catch (IOException e) {
            endWaiting();
            // Poller failures are not tied to one connection; log and keep serving.
            log.error("poll failed", e);
        }
    }

    /** The blocking wait is over: what it lasted was idle time. */
    private void endWaiting() {
        if (waitingSince != 0) {
            idleNanos += nanoTime() - waitingSince;
            waitingSince = 0;
        }
    }

    private void dispatch(ReadyHandler handler, int readyOps) {
        endWaiting();
        Object attachment = handler;
        if (failure != null) {
            return;
        }
        try {
            handler.onReady(readyOps);
        } catch (RuntimeException e) {
            // A handler should have caught this itself; never let it end the loop.
            log.error("unhandled failure in {}", attachment, e);
        } catch (Error e) {
            fail(e, attachment);
        }
    }

    private void runIterationEndHooks() {
        for (int i = 0; i < iterationEndHooks.size() && failure == null; i++) {
            runGuarded(iterationEndHooks.get(i));
        }
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("task {} failed", task, e);
        } catch (Error e) {
            fail(e, task);
        }
    }

    /** An Error: nothing on this loop can be trusted any more; stop, and say why. */
    private void fail(Error e, Object where) {
        if (failure == null) {
            failure = e;
            stopRequested = true;
        }
        try {
            log.error("fatal error in {}; stopping the event loop so the process can exit and be restarted",
                    where, e);
        } catch (Throwable ignored) {
            // Out of memory, logging may fail too; the failure is recorded all the same.
        }
    }

    /** A task to run later on the loop; may be cancelled before it runs. Loop thread only. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long sequence;
        /** What to run; null once it ran or was cancelled, so a timer holds nothing alive. */
        private Runnable task;
        /** The queue this timer waits in, to leave it when cancelled. */
        private final TimerQueue queue;
        /** Index in {@link TimerQueue}'s heap; -1 when not queued. */
        int slot = -1;

        Timer(long deadline, long sequence, Runnable task, TimerQueue queue) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
            this.queue = queue;
        }

        /** Removes the timer from the loop's queue; its task will not run. Loop thread only. */
        public void cancel() {
            task = null;
            queue.remove(this);
        }

        /** Nanoseconds until it is due at {@code nowNanos}; 0 or less once it is. */
        public long nanosLeft(long nowNanos) {
            return deadline - nowNanos;
        }

        /** True once the timer ran or was cancelled. */
        public boolean isDone() {
            return task == null;
        }

        @Override
        public int compareTo(Timer other) {
            int byDeadline = Long.compare(deadline - other.deadline, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}
