package chat.server.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector, one thread: every socket, every chat structure and every timer of the server is
 * touched by this thread only, so nothing on the message path needs a lock.
 *
 * <p>Each iteration reads like a table of contents: wait for readiness and handle the ready keys
 * (readable before writable, so a reply can go out in the same iteration), run the tasks other
 * threads submitted, run due timers, then the end-of-iteration hooks (close what was marked,
 * flush what was queued: once per iteration, so many lines to one socket leave in one write).
 * The hooks come last so that nothing queued in the iteration waits for the next wake-up.
 *
 * <p>Thread-safety: {@link #execute}, {@link #stop} and {@link #awaitTermination} may be called
 * from any thread; they reach the loop through a queue and {@link Selector#wakeup()}. Everything
 * else is for the loop thread only.
 */
public final class EventLoop implements Executor {

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    /** Size of the loop's one read buffer: the most taken from one socket per readiness. */
    static final int READ_BUFFER_BYTES = 64 * 1024;
    /** Size of the loop's one write buffer: the most handed to one socket per write call. */
    static final int WRITE_BUFFER_BYTES = 256 * 1024;

    /** What a selection key's attachment must be. */
    public interface ReadyHandler {
        /** The key is ready; must handle its own failures and never throw. */
        void onReady(SelectionKey key);
    }

    private final Selector selector;
    /** Work handed over by other threads; drained at the start of each iteration. */
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Pending timers, soonest first. Loop thread only. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Run after the ready keys of each iteration were handled, in order. */
    private final List<Runnable> iterationEndHooks = new ArrayList<>();
    /** Bytes just read from a socket; reused for every read. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    /** A heap copy of {@link #readBuffer}'s content, for decoders that scan arrays. */
    private final byte[] readBytes = new byte[READ_BUFFER_BYTES];
    /** Bytes being written to a socket; reused for every write. */
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    /** Dispatches one ready key; a field so selecting allocates nothing. */
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private final CountDownLatch terminated = new CountDownLatch(1);

    private volatile boolean stopRequested;
    private volatile Thread thread;
    private long timerSequence;

    public EventLoop() {
        initializeIoClassesNow();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    /**
     * The JDK's socket write path initializes a class on first use that opens a file descriptor
     * of its own ({@code FileDispatcherImpl}); if that first use comes while the process is out
     * of descriptors (a connection storm at startup), its initialization fails for good and no
     * socket can ever be written again. Initializing it here, while descriptors are plentiful,
     * removes that trap.
     */
    private static void initializeIoClassesNow() {
        try {
            Class.forName("sun.nio.ch.FileDispatcherImpl", true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            log.debug("could not initialize the JDK's file dispatcher early: {}", e.toString());
        }
    }

    Selector selector() {
        return selector;
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

    /** True when called on the loop thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, soon. Safe from any thread. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    /** Runs {@code task} on the loop after {@code delayMillis}. Loop thread only. */
    public Timer schedule(long delayMillis, Runnable task) {
        Timer timer = new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis),
                timerSequence++, task);
        timers.add(timer);
        return timer;
    }

    /** Asks the loop to end after its current iteration. Safe from any thread. */
    public void stop() {
        stopRequested = true;
        selector.wakeup();
    }

    /** Waits until {@link #run} has returned. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** The loop itself; returns after {@link #stop}. Closes the selector on the way out. */
    public void run() {
        thread = Thread.currentThread();
        try {
            while (!stopRequested) {
                select();
                runTasks();
                runDueTimers();
                // Last, so whatever keys, tasks and timers queued or closed goes out before
                // the loop blocks again.
                runIterationEndHooks();
            }
            runTasks();
        } finally {
            try {
                selector.close();
            } catch (IOException e) {
                log.warn("closing the selector failed", e);
            }
            terminated.countDown();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runGuarded(task);
        }
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        Timer timer;
        while ((timer = timers.peek()) != null && timer.deadline - now <= 0) {
            timers.poll();
            if (!timer.isCancelled()) {
                runGuarded(timer.task);
            }
        }
    }

    private void select() {
        try {
            if (!tasks.isEmpty()) {
                selector.selectNow(dispatch);
                return;
            }
            Timer next = timers.peek();
            if (next == null) {
                selector.select(dispatch);
            } else {
                long waitNanos = next.deadline - System.nanoTime();
                long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
                selector.select(dispatch, waitMillis);
            }
        } catch (IOException e) {
            // Selector failures are not tied to one connection; log and keep serving.
            log.error("select failed", e);
        }
    }

    private void dispatch(SelectionKey key) {
        Object attachment = key.attachment();
        try {
            ((ReadyHandler) attachment).onReady(key);
        } catch (RuntimeException | Error e) {
            // A handler should have caught this itself; never let it end the loop.
            log.error("unhandled failure in {}", attachment, e);
        }
    }

    private void runIterationEndHooks() {
        for (int i = 0; i < iterationEndHooks.size(); i++) {
            runGuarded(iterationEndHooks.get(i));
        }
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.error("task {} failed", task, e);
        }
    }

    /** A task to run later on the loop; may be cancelled before it runs. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long sequence;
        private final Runnable task;
        private boolean cancelled;

        Timer(long deadline, long sequence, Runnable task) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
        }

        /** Loop thread only. */
        public void cancel() {
            cancelled = true;
        }

        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public int compareTo(Timer other) {
            int byDeadline = Long.compare(deadline - other.deadline, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}
