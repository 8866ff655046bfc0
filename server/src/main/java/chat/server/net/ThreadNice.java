package chat.server.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux nice value of single threads of this process, and the system properties that ask for
 * one. Setting goes through the server's JNI library ({@code setpriority} with a thread id, which
 * on Linux names that thread alone); lowering a priority needs no privilege, raising it does.
 */
final class ThreadNice {

    private ThreadNice() {
    }

    /**
     * The nice value a system property asks for.
     *
     * @return 1-19; 0 when the property is not set
     * @throws IllegalArgumentException naming the property and the value, when it is not 1-19
     */
    static int requested(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return 0;
        }
        int nice;
        try {
            nice = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            nice = 0;
        }
        if (nice < 1 || nice > 19) {
            throw new IllegalArgumentException(property + " must be 1-19, not '" + value + "'");
        }
        return nice;
    }

    /** Sets {@code nice} on the thread of this process whose Linux thread id is {@code tid}. */
    static void set(int tid, int nice) throws IOException {
        String unavailable = NativeLibraryLoader.load(ThreadNice.class, "chatepoll");
        if (unavailable != null) {
            throw new IOException(unavailable);
        }
        setNice(tid, nice);
    }

    /** The Linux thread id of the calling thread ({@code /proc/thread-self} names it). */
    static int currentThreadId() throws IOException {
        Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
        return Integer.parseInt(self.getFileName().toString());
    }

    /** The nice value of the thread {@code tid} of this process: field 19 of its stat line. */
    static int of(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // The name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[19 - 3]);
    }

    private static native void setNice(int tid, int nice) throws IOException;
}
