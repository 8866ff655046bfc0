package chat.bench;

import chat.server.history.HistoryException;
import chat.server.history.HistoryOptions;
import chat.server.history.HistoryWriter;
import chat.server.history.SqliteHistoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chat-bench history-writer}: how many messages a second the server's history writer
 * commits to its SQLite file, sustained. In this process, no socket: the server's own
 * {@link HistoryWriter} over its own {@link SqliteHistoryStore}, in a fresh temporary data
 * directory per round (removed after it), with the server's settings unless told otherwise;
 * {@link WriterLoad} submits messages as the loop would, backing off when the queue is near full.
 *
 * <p>Each round: warm up, then measure the messages committed during the window (from the
 * writer's committed id, which counts them, as ids go 1, 2, 3...), the writer thread's CPU time,
 * and through {@link TimedStore} the commits and retention passes inside the window. The default
 * window holds two passes (the writer runs one {@code --prune-interval} after the last ended),
 * each keeping every room to {@code --history-size}: once the rooms are full, every message
 * committed replaces an older one (in the store's rings, by the upsert itself; in a layout that
 * deletes, by a later pass), so a sustained rate pays for both. Passes run in steps on the
 * writer's thread, with what is due committed between them, and the producer backs off where a
 * loop would drop. What is queued when the window ends, and a pass under way, are finished
 * before the next round, unmeasured. The database's size at the end says whether retention
 * kept up.
 */
@Command(name = "history-writer", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "History writer throughput: messages committed per second into SQLite, sustained, in-process.")
final class HistoryWriterCommand implements Callable<Integer> {

    /** The writer's thread, by the name the server gives it (HistoryWriter.THREAD_NAME). */
    static final String WRITER_THREAD = "chat-history-writer";

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the rounds' temporary data directories go (default: the system's temporary directory).")
    Path parent = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--rooms", paramLabel = "N", description = "Rooms the messages are spread over (default: ${DEFAULT-VALUE}).")
    int rooms = 50;

    @Option(names = "--size", paramLabel = "BYTES", description = "Bytes of text per message (default: ${DEFAULT-VALUE}).")
    int size = 100;

    @Option(names = "--rate", paramLabel = "MSG_PER_S",
            description = "Messages per second, paced; 0 submits as fast as the writer takes them (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds, each on a fresh database (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Submitting before measuring (default: ${DEFAULT-VALUE}).")
    double warmupSeconds = 5;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Measuring window; the default holds two of the server's retention passes (default: ${DEFAULT-VALUE}).")
    double durationSeconds = 300;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS",
            description = "After the window, longest wait for the writer to commit what is queued (default: ${DEFAULT-VALUE}).")
    double drainSeconds = 900;

    @Option(names = "--sync", paramLabel = "MILLIS",
            description = "The writer's longest wait before a commit, as --history-sync (default: ${DEFAULT-VALUE}).")
    long syncMillis = HistoryOptions.DEFAULT_SYNC_MILLIS;

    @Option(names = "--history-size", paramLabel = "MESSAGES",
            description = "Messages kept per room; retention trims to this (default: ${DEFAULT-VALUE}).")
    int historySize = HistoryOptions.DEFAULT_SIZE;

    @Option(names = "--prune-interval", paramLabel = "MILLIS",
            description = "How often the writer applies retention, as the server does (default: ${DEFAULT-VALUE}).")
    long pruneIntervalMillis = HistoryOptions.PRUNE_INTERVAL_MILLIS;

    @Option(names = "--max-queued", paramLabel = "MESSAGES",
            description = "The writer's queue limit; the producer backs off at 90 %% of it (default: ${DEFAULT-VALUE}).")
    int maxQueued = HistoryOptions.MAX_QUEUED;

    @Option(names = "--keep", description = "Keep each round's data directory (default: removed after the round).")
    boolean keep;

    /**
     * What one round measured.
     *
     * @param backOffNanos time in the window the producer waited at the high water mark, where a
     *     loop would have dropped what was said meanwhile
     * @param behind paced runs: messages due by the window's end and not yet submitted
     */
    record Round(long committed, long windowNanos, long writerCpuNanos, long processCpuNanos, TimedStore.Snapshot store,
            long backOffs, long backOffNanos, long behind, long maxPending, long dropped, long failed, long refused,
            long databaseBytes) {

        double perSecond() {
            return committed * 1e9 / windowNanos;
        }

        /** Writer thread CPU per committed message, in microseconds; -1 when unknown. */
        double writerMicrosEach() {
            return writerCpuNanos < 0 || committed == 0 ? -1 : writerCpuNanos / 1e3 / committed;
        }

        double writerCpuPct() {
            return writerCpuNanos < 0 ? -1 : writerCpuNanos * 100.0 / windowNanos;
        }

        double processCpuPct() {
            return processCpuNanos < 0 ? -1 : processCpuNanos * 100.0 / windowNanos;
        }

        /** This round with what is known once the writer has closed. */
        Round closed(long dropped, long failed, long databaseBytes) {
            return new Round(committed, windowNanos, writerCpuNanos, processCpuNanos, store, backOffs, backOffNanos,
                    behind, maxPending, dropped, failed, refused, databaseBytes);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || durationSeconds <= 0 || warmupSeconds < 0 || rate < 0 || maxQueued < 10) {
            throw new IllegalArgumentException("--rounds and --duration must be positive, --warmup and --rate not"
                    + " negative, --max-queued at least 10");
        }
        new WriterLoad(rooms, size); // checks --rooms and --size before anything is written
        long highWater = highWater(maxQueued);
        System.out.printf(Locale.ROOT, "history-writer: %d-byte messages over %d rooms, %s, history size %d, sync %d ms,"
                        + " prune every %d ms, queue limit %d (producer backs off at %d), %d rounds of %.1f s after %.1f s,"
                        + " in %s%n",
                size, rooms, rate == 0 ? "as fast as the writer commits" : rate + " msg/s", historySize, syncMillis,
                pruneIntervalMillis, maxQueued, highWater, rounds, durationSeconds, warmupSeconds, parent);
        double[] perSecond = new double[rounds];
        double[] micros = new double[rounds];
        long dropped = 0;
        long failed = 0;
        long backOffs = 0;
        for (int r = 0; r < rounds; r++) {
            Round round = round(highWater);
            perSecond[r] = round.perSecond();
            micros[r] = round.writerMicrosEach();
            dropped += round.dropped() + round.refused();
            failed += round.failed();
            backOffs += round.backOffs();
            System.out.println("round " + (r + 1) + ": " + describe(round, rate > 0));
        }
        Spread rates = Spread.of(perSecond);
        Spread cpu = Spread.of(micros);
        System.out.println("committed messages/s, median (min-max; per round): " + rates.text("%.0f"));
        System.out.println("writer thread CPU per message, us: " + cpu.text("%.2f"));
        System.out.printf(Locale.ROOT, "RESULT mode=history-writer rooms=%d size=%d rate=%d rounds=%d duration_s=%.0f"
                        + " committed_per_s=%.0f committed_per_s_min=%.0f committed_per_s_max=%.0f per_round=%s"
                        + " writer_us_each=%.2f back_offs=%d dropped=%d failed=%d%n",
                rooms, size, rate, rounds, durationSeconds, rates.median(), rates.min(), rates.max(), rates.joined("%.0f"),
                cpu.median(), backOffs, dropped, failed);
        return dropped == 0 && failed == 0 ? 0 : 3;
    }

    /** Where the producer stops and waits: 90 % of the writer's limit, so it never meets the limit itself. */
    static long highWater(int maxQueued) {
        return Math.max(1, maxQueued - maxQueued / 10);
    }

    private Round round(long highWater) throws HistoryException, IOException {
        Path dir = Files.createTempDirectory(parent, "chat-history-bench-");
        try {
            TimedStore store = new TimedStore(SqliteHistoryStore.open(dir, historySize));
            try {
                HistoryWriter writer = new HistoryWriter(store, new HistoryWriter.Options(maxQueued, syncMillis, historySize,
                        TimeUnit.DAYS.toMillis(HistoryOptions.DEFAULT_DAYS), pruneIntervalMillis), System::currentTimeMillis);
                WriterLoad load = new WriterLoad(rooms, size);
                Round measured;
                try {
                    measured = measure(writer, store, load, highWater);
                } finally {
                    drain(writer, store, load.submitted());
                    writer.close();
                }
                return measured.closed(writer.dropped(), writer.failed(), databaseBytes(dir));
            } finally {
                store.close();
            }
        } finally {
            if (keep) {
                System.out.println("kept " + dir);
            } else {
                deleteRecursively(dir);
            }
        }
    }

    private Round measure(HistoryWriter writer, TimedStore store, WriterLoad load, long highWater) {
        long writerThread = threadId(WRITER_THREAD);
        long start = System.nanoTime();
        PacingSchedule schedule = rate > 0 ? new PacingSchedule(start, rate, 1) : null;
        load.submitUntil(writer, start + nanos(warmupSeconds), Long.MAX_VALUE, schedule, highWater);
        long committed0 = writer.committedId();
        TimedStore.Snapshot store0 = store.snapshot();
        long writerCpu0 = threadCpuNanos(writerThread);
        long processCpu0 = ProcessProbe.ownCpuNanos();
        long backOff0 = load.backOffNanos();
        long backOffs0 = load.backOffs();
        long t0 = System.nanoTime();
        load.submitUntil(writer, t0 + nanos(durationSeconds), Long.MAX_VALUE, schedule, highWater);
        long committed1 = writer.committedId();
        long t1 = System.nanoTime();
        long behind = schedule == null ? 0 : Math.max(0, schedule.dueCount(t1) - load.submitted());
        long writerCpu1 = threadCpuNanos(writerThread);
        long processCpu1 = ProcessProbe.ownCpuNanos();
        TimedStore.Snapshot store1 = store.snapshot();
        return new Round(committed1 - committed0, t1 - t0,
                writerCpu0 < 0 || writerCpu1 < 0 ? -1 : writerCpu1 - writerCpu0,
                processCpu0 < 0 || processCpu1 < 0 ? -1 : processCpu1 - processCpu0,
                store1.minus(store0), load.backOffs() - backOffs0, load.backOffNanos() - backOff0, behind,
                load.maxPending(), 0, 0, load.refused(), 0);
    }

    /**
     * Waits, unmeasured, until the writer has committed everything submitted (or lost it in a
     * failed commit), so that close() has nothing left to wait for and no retention pass of this
     * round runs into the next: HistoryWriter.close() gives up after 10 s, and a pass after a
     * minute at full speed takes about as long again.
     */
    private void drain(HistoryWriter writer, TimedStore store, long submitted) {
        long deadline = System.nanoTime() + nanos(drainSeconds);
        while (writer.pending() > 0 || store.pruning() || writer.committedId() < submitted && writer.failed() == 0) {
            if (System.nanoTime() - deadline > 0) {
                System.out.println("the writer still had " + writer.pending() + " messages waiting after " + drainSeconds
                        + " s");
                return;
            }
            LockSupport.parkNanos(10_000_000);
        }
    }

    static String describe(Round r, boolean paced) {
        TimedStore.Snapshot s = r.store();
        return String.format(Locale.ROOT, "%.0f messages/s committed over %.1f s (%d); writer thread %.0f %% of a core,"
                        + " %.2f us per message, process %.0f %%; %d commits of %.0f messages on average, %.1f s in"
                        + " commits, longest %.0f ms; %d prunes, %.1f s, %d deleted; producer backed off %d times, %.1f s in"
                        + " all%s, at most %d waiting%s; dropped %d, failed %d, refused %d; database %.0f MiB",
                r.perSecond(), r.windowNanos() / 1e9, r.committed(), r.writerCpuPct(), r.writerMicrosEach(),
                r.processCpuPct(), s.commits(), s.meanBatch(), s.commitNanos() / 1e9, s.longestCommitNanos() / 1e6,
                s.prunes(), s.pruneNanos() / 1e9, s.pruned(), r.backOffs(), r.backOffNanos() / 1e9,
                paced ? " (a loop at this rate would have dropped meanwhile)" : " (as fast as possible: by design)",
                r.maxPending(),
                r.behind() > 0 ? ", " + r.behind() + " messages behind schedule at the end" : "", r.dropped(),
                r.failed(), r.refused(), r.databaseBytes() / 1048576.0);
    }

    /** The id of the live thread called {@code name}, -1 when there is none. */
    static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals(name))
                .mapToLong(Thread::getId)
                .max()
                .orElse(-1);
    }

    private static long threadCpuNanos(long id) {
        return id < 0 ? -1 : ManagementFactory.getThreadMXBean().getThreadCpuTime(id);
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    /** The database, its write-ahead log and shared-memory index: everything the store left in {@code dir}. */
    private static long databaseBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.out.println("could not remove " + dir + ": " + e);
        }
    }
}
