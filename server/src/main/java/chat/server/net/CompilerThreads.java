package chat.server.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the JIT's optimizing compiler (HotSpot's C2) below the loop on a server that has one CPU,
 * and leaves its quick compiler (C1) beside it.
 *
 * <p>On one CPU every compilation takes the loop's core. A C2 compilation holds it for
 * milliseconds at a time, long after start, and showed up in every one of the slowest fan-outs
 * of a latency run; at the lowest priority it runs mostly while the loop waits. C1 compiles in a
 * fraction of that and is what takes a fresh server out of the interpreter: with it at the
 * lowest priority too (the JVM's {@code -XX:CompilerThreadPriority} sets both), a loop kept busy
 * by a connection storm left it almost nothing, and 9,000 clients took a fresh server 3.1-4.5 s
 * to enter instead of 1.6-2.2 s.
 *
 * <p>Linux only, through the server's JNI library; the threads are found by the names HotSpot
 * gives them ({@code C2 CompilerThread0}, cut to 15 characters by the kernel). They must exist
 * when this runs: the launcher starts the JVM with {@code -XX:-UseDynamicNumberOfCompilerThreads}
 * so that none is started (at the default priority) later.
 */
public final class CompilerThreads {

    /** The system property that asks for it: the nice value for the C2 threads, 1-19. */
    public static final String NICE_PROPERTY = "chat.jit.c2-nice";
    /** What HotSpot's C2 compiler threads are called, as Linux keeps a thread's name. */
    static final String C2_NAME_PREFIX = "C2 CompilerThre";

    private CompilerThreads() {
    }

    /** What {@link #applyRequested} did: whether it lowered any thread, and a line for the log. */
    public record Outcome(boolean lowered, String description) {
    }

    /**
     * Does what {@link #NICE_PROPERTY} asks, if set.
     *
     * @return what it did, or null when the property is not set
     */
    public static Outcome applyRequested() {
        int nice;
        try {
            nice = ThreadNice.requested(NICE_PROPERTY);
        } catch (IllegalArgumentException e) {
            return new Outcome(false, "JIT: " + e.getMessage() + "; compiler priorities unchanged");
        }
        if (nice == 0) {
            return null;
        }
        try {
            List<Integer> lowered = lower(C2_NAME_PREFIX, nice);
            return lowered.isEmpty() ? new Outcome(false, "JIT: no C2 compiler thread found; compiler priorities unchanged")
                    : new Outcome(true, "JIT: C2 compiler thread(s) " + lowered + " at nice " + nice
                            + ", C1 at the loop's priority");
        } catch (IOException | UnsatisfiedLinkError e) {
            return new Outcome(false, "JIT: cannot lower the C2 compiler threads (" + e.getMessage()
                    + "); they keep the loop's priority");
        }
    }

    /**
     * Sets {@code nice} on every thread of this process whose Linux name starts with
     * {@code namePrefix}.
     *
     * @return their thread ids
     */
    static List<Integer> lower(String namePrefix, int nice) throws IOException {
        List<Integer> lowered = new ArrayList<>();
        for (int tid : threadsNamed(namePrefix)) {
            ThreadNice.set(tid, nice);
            lowered.add(tid);
        }
        return lowered;
    }

    /** The ids of this process's threads whose Linux name starts with {@code namePrefix}. */
    static List<Integer> threadsNamed(String namePrefix) throws IOException {
        List<Integer> found = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8);
                } catch (IOException gone) {
                    continue; // the thread ended while we looked
                }
                if (name.startsWith(namePrefix)) {
                    found.add(Integer.parseInt(task.getFileName().toString()));
                }
            }
        }
        return found;
    }
}
