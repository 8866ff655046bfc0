package chat.server.net;

import java.io.IOException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server's own background threads (the history writer and reader, TLS handshake work,
 * password checks, the metrics publisher) below the loop on a server that has one CPU.
 *
 * <p>On one CPU a busy background thread takes the loop's core for a scheduler slice at a time.
 * The history writer commits in groups, and in a 100-receiver latency run it held the core for
 * 1-6 ms at a stretch while the loop had messages to deliver; at nice 19 its runs came in
 * pieces under 1 ms, mostly while the loop waited. Each such thread lowers itself as it starts,
 * when {@link #NICE_PROPERTY} asks (the launcher does on one CPU); with more CPUs they run beside
 * the loop and keep its priority.
 *
 * <p>Below the loop, such work waits for the loop: with the loop busy all the time, the history
 * queue may fill (its drops are counted and logged) and a login may wait for its password check.
 * The loop's deliveries come first.
 */
public final class BackgroundThreads {

    /** The system property that asks for it: the nice value for background threads, 1-19. */
    public static final String NICE_PROPERTY = "chat.background-nice";

    private static final Logger log = LoggerFactory.getLogger(BackgroundThreads.class);
    /** One warning for a failure to lower, not one per thread. */
    private static final AtomicBoolean warned = new AtomicBoolean();

    private BackgroundThreads() {
    }

    /** Daemon threads called {@code name}, each running below the loop as asked. */
    public static ThreadFactory named(String name) {
        return task -> daemon(task, name);
    }

    /** Daemon threads called {@code prefix-1}, {@code prefix-2}..., each running below the loop as asked. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> daemon(task, prefix + "-" + count.incrementAndGet());
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(belowLoop(task), name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * {@code task}, preceded by lowering the thread that runs it to the nice value
     * {@link #NICE_PROPERTY} asks for, if any. Give it to the background thread's constructor.
     */
    public static Runnable belowLoop(Runnable task) {
        return () -> {
            lowerCurrentThread();
            task.run();
        };
    }

    /**
     * What {@link #NICE_PROPERTY} asks for, as a line for the start log, or null when it is not
     * set. Says so when the value is out of range or the JNI library cannot be loaded.
     */
    public static String describeRequested() {
        int nice;
        try {
            nice = ThreadNice.requested(NICE_PROPERTY);
        } catch (IllegalArgumentException e) {
            return "background threads: " + e.getMessage() + "; they keep the loop's priority";
        }
        if (nice == 0) {
            return null;
        }
        return EpollNative.isAvailable() ? "background threads (history, TLS handshakes, password checks, metrics) at nice " + nice
                : "background threads: no JNI library (" + EpollNative.unavailableReason()
                        + "); they keep the loop's priority";
    }

    /** Lowers the calling thread as asked; a failure is logged once and changes nothing else. */
    static void lowerCurrentThread() {
        int nice;
        try {
            nice = ThreadNice.requested(NICE_PROPERTY);
        } catch (IllegalArgumentException e) {
            return; // said once at start, by describeRequested
        }
        if (nice == 0) {
            return;
        }
        try {
            ThreadNice.set(ThreadNice.currentThreadId(), nice);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            if (warned.compareAndSet(false, true)) {
                log.warn("cannot lower {} below the loop ({}); background threads keep its priority",
                        Thread.currentThread().getName(), e.toString());
            }
        }
    }
}
