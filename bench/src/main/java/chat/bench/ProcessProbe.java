package chat.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads what the operating system knows about a process: CPU time used and resident memory, from
 * {@code /proc}; and, for a JVM, asks it to collect garbage and to count its live heap, through
 * {@code jcmd}. Linux only. Stateless; safe from any thread.
 */
final class ProcessProbe {

    /** Clock ticks per second of /proc/PID/stat's times; 100 on every Linux this runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessProbe() {
    }

    /** CPU time (user + system) of this JVM, in nanoseconds. */
    static long ownCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time of the calling thread, in nanoseconds. */
    static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** CPU time (user + system) of process {@code pid}, in nanoseconds; -1 if unreadable. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return parseStatCpuTicks(stat) * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The id of process {@code pid}'s thread called {@code name} ({@code /proc/PID/task/TID/comm}:
     * the JVM gives each thread its Java name there, cut to 15 characters), -1 if there is none
     * or it cannot be read. The server's event loop is {@code chat-loop}.
     */
    static long threadId(long pid, String name) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                if (commOf(task).equals(name)) {
                    return Long.parseLong(task.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** A task's name, or "" when it ended between the listing and the read: the scan goes on. */
    private static String commOf(Path task) {
        try {
            return Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException ended) {
            return "";
        }
    }

    /**
     * CPU time of thread {@code tid} of process {@code pid}, in nanoseconds: the scheduler's own
     * count ({@code schedstat}, to the nanosecond), or where the kernel has none, user + system
     * time from {@code stat} (in clock ticks, 10 ms). -1 if neither can be read.
     */
    static long threadCpuNanos(long pid, long tid) {
        Path task = Path.of("/proc", Long.toString(pid), "task", Long.toString(tid));
        try {
            return parseSchedstatRunNanos(Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException noSchedstat) {
            try {
                return parseStatCpuTicks(Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII))
                        * (1_000_000_000L / TICKS_PER_SECOND);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /** Time on the CPU from a schedstat line: its first field, in nanoseconds. */
    static long parseSchedstatRunNanos(String schedstat) {
        return Long.parseLong(schedstat.trim().split(" +")[0]);
    }

    /** utime + stime from a /proc/PID/stat line: fields 14 and 15, counted after the ")" of the name. */
    static long parseStatCpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * Busy CPU time of the whole machine, all cores together, in nanoseconds: the first line of
     * /proc/stat less idle and iowait. Against this process's and the server's own time it shows
     * whether something else was running during a measurement. -1 if unreadable.
     */
    static long machineBusyNanos() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
            return parseMachineBusyTicks(first) * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** user+nice+system+irq+softirq+steal ticks from the {@code cpu} line of /proc/stat. */
    static long parseMachineBusyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split(" +");
        // cpu user nice system idle iowait irq softirq steal ...
        return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                + Long.parseLong(f[6]) + Long.parseLong(f[7]) + Long.parseLong(f[8]);
    }

    /** Resident set size of process {@code pid} in KiB (VmRSS), -1 if unreadable. */
    static long rssKiB(long pid) {
        try {
            return parseVmRssKiB(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parseVmRssKiB(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split(" +")[0]);
            }
        }
        return -1;
    }

    /** True when process {@code pid} is a JVM (its executable is called java). */
    static boolean isJvm(long pid) {
        try {
            return Path.of("/proc", Long.toString(pid), "exe").toRealPath().getFileName().toString().equals("java");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Live heap bytes of JVM {@code pid} after a full collection: {@code jcmd GC.class_histogram}
     * collects first, then its last line totals every live object. -1 if jcmd failed.
     */
    static long liveHeapBytes(long pid) {
        String out = jcmd(pid, "GC.class_histogram");
        if (out == null) {
            return -1;
        }
        return parseHistogramTotal(out);
    }

    /** The byte total of a class histogram's last line: {@code Total  <instances>  <bytes>}. */
    static long parseHistogramTotal(String histogram) {
        String[] lines = histogram.strip().split("\n");
        String last = lines[lines.length - 1].trim();
        if (!last.startsWith("Total")) {
            return -1;
        }
        String[] fields = last.split(" +");
        return Long.parseLong(fields[fields.length - 1]);
    }

    /** Asks JVM {@code pid} for a full collection; false if jcmd failed. */
    static boolean gc(long pid) {
        return jcmd(pid, "GC.run") != null;
    }

    /**
     * Asks JVM {@code pid} to give the C heap's free memory back to the system (glibc keeps
     * freed blocks, such as the JIT compiler's arenas, resident until trimmed); false if the
     * JVM has no such command (before 17.0.9) or jcmd failed.
     */
    static boolean trimNativeHeap(long pid) {
        return jcmd(pid, "System.trim_native_heap") != null;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        ProcessBuilder builder = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                Long.toString(pid), command).redirectErrorStream(true);
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
