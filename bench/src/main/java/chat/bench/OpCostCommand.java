package chat.bench;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chat-bench op-cost}: the server's CPU time per operation, for operations too small to
 * time one by one. Native protocol only. Runs a closed loop of one kind of operation
 * ({@link JoinPartRun}: a join that replays history and a part; {@link BroadcastRun}: a line said
 * to a room), warms up, then reads the CPU time of the server's event loop thread
 * ({@code chat-loop}, from {@code /proc}) and of the whole process before and after a measured
 * number of operations. Loop time per operation is what the operation costs everyone else on the
 * server; the process time adds the other threads (the history writer, the JIT compiler, the
 * garbage collector).
 *
 * <p>A figure is only as good as the machine is quiet: the report says how much CPU neither the
 * generator nor the server used meanwhile.
 */
@Command(name = "op-cost", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Server CPU per operation (join-part cycles with history replay, or broadcasts), native protocol.")
final class OpCostCommand implements Callable<Integer> {

    /** The server's event loop thread. */
    static final String LOOP_THREAD = "chat-loop";

    enum Op { join, broadcast }

    @Mixin
    Target target = new Target();

    @Option(names = "--op", paramLabel = "OP", required = true,
            description = "join: /join then /part of a room with history, one cycle per operation; broadcast: one"
                    + " line said to a room.")
    Op op;

    @Option(names = "--room", paramLabel = "ROOM", description = "The room (default: ${DEFAULT-VALUE}).")
    String room = "#ops";

    @Option(names = "--kept", paramLabel = "N", description = "join: lines said in the room first, for joins to replay (default: ${DEFAULT-VALUE}).")
    int kept = 20;

    @Option(names = "--members", paramLabel = "N", description = "broadcast: members of the room, the speaker included (default: ${DEFAULT-VALUE}).")
    int members = 20;

    @Option(names = "--in-flight", paramLabel = "N",
            description = "Operations under way at once (join: this many joiners, one cycle each) (default: ${DEFAULT-VALUE}).")
    int inFlight = 1;

    @Option(names = "--size", paramLabel = "BYTES", description = "Bytes of a said line, LF included (default: ${DEFAULT-VALUE}).")
    int size = 64;

    @Option(names = "--warmup-ops", paramLabel = "N", description = "Operations before measuring (default: ${DEFAULT-VALUE}).")
    long warmupOps = 20_000;

    @Option(names = "--ops", paramLabel = "N", description = "Measured operations (default: ${DEFAULT-VALUE}).")
    long ops = 50_000;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest time for each phase (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 300;

    @Override
    public Integer call() throws Exception {
        if (inFlight < 1 || ops < 1 || warmupOps < 0 || ops + warmupOps >= 1L << 32) {
            throw new IllegalArgumentException("--in-flight and --ops must be positive, --warmup-ops not negative, fewer"
                    + " than 2^32 operations in all");
        }
        if (target.protocol() != Protocol.NATIVE || target.tls() != null) {
            throw new IllegalArgumentException("op-cost speaks the native protocol in plaintext only");
        }
        long pid = target.serverPid();
        long loopTid = pid > 0 ? ProcessProbe.threadId(pid, LOOP_THREAD) : -1;
        if (loopTid < 0) {
            throw new IllegalArgumentException("--server-pid must name a running chat server (no thread " + LOOP_THREAD
                    + " in process " + pid + ")");
        }
        String roomName = Protocol.roomName(room);
        OpRun run = op == Op.join ? new JoinPartRun(roomName, kept, inFlight, size - 1)
                : new BroadcastRun(roomName, members, inFlight, size - 1);
        List<BenchConnection> all = run.connections();
        System.out.printf(Locale.ROOT, "op-cost: %s at %s, %s, %d in flight, %d operations after %d to warm up%n",
                op, target.address(), op == Op.join ? kept + " lines kept in " + roomName
                        : members + " members in " + roomName, inFlight, ops, warmupOps);
        try (LoadLoop loop = new LoadLoop(target.address(), new SourceAddresses(1), target.maxConnecting, run)) {
            long deadline = deadline();
            loop.open(all);
            while (run.readyCount() < all.size()) {
                check(loop, run, deadline, "setup: " + run.readyCount() + " of " + all.size() + " in their rooms");
                loop.poll(10);
            }
            run.prepare(loop, deadline());
            drive(loop, run, warmupOps);
            long lines0 = run.lines;
            long replayed0 = run.replayedLines;
            long loopCpu0 = ProcessProbe.threadCpuNanos(pid, loopTid);
            long serverCpu0 = ProcessProbe.cpuNanos(pid);
            long ownCpu0 = ProcessProbe.ownCpuNanos();
            long machine0 = ProcessProbe.machineBusyNanos();
            long t0 = System.nanoTime();
            drive(loop, run, warmupOps + ops);
            long took = System.nanoTime() - t0;
            long loopCpu = ProcessProbe.threadCpuNanos(pid, loopTid) - loopCpu0;
            long serverCpu = ProcessProbe.cpuNanos(pid) - serverCpu0;
            long ownCpu = ProcessProbe.ownCpuNanos() - ownCpu0;
            long machine = ProcessProbe.machineBusyNanos() - machine0;
            report(took, loopCpu, serverCpu, ownCpu, machine, run.lines - lines0, run.replayedLines - replayed0,
                    loop.lostCount());
            return loop.lostCount() == 0 ? 0 : 3;
        }
    }

    /** Runs operations until {@code total} are done in all. */
    private void drive(LoadLoop loop, OpRun run, long total) throws IOException {
        long deadline = deadline();
        run.limit = total;
        run.startMore(loop);
        while (run.done < total) {
            check(loop, run, deadline, run.toString());
            loop.poll(10);
            run.startMore(loop);
        }
    }

    private static void check(LoadLoop loop, OpRun run, long deadline, String what) {
        if (loop.lostCount() > 0) {
            throw new IllegalStateException("connection lost: " + loop.firstFailure() + " (" + what + ")");
        }
        if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("timed out: " + what);
        }
    }

    private long deadline() {
        return System.nanoTime() + (long) (timeoutSeconds * 1e9);
    }

    private void report(long tookNanos, long loopCpu, long serverCpu, long ownCpu, long machine, long lines,
            long replayed, int lost) {
        double seconds = tookNanos / 1e9;
        double loopPct = loopCpu / 1e9 / seconds * 100;
        double serverPct = serverCpu / 1e9 / seconds * 100;
        double ownPct = ownCpu / 1e9 / seconds * 100;
        double otherPct = machine / 1e9 / seconds * 100 - ownPct - serverPct;
        System.out.printf(Locale.ROOT, "%d %s operations in %.2f s: %.0f/s; %.1f lines received and %.1f replayed per"
                        + " operation%n", ops, op, seconds, ops / seconds, (double) lines / ops, (double) replayed / ops);
        System.out.printf(Locale.ROOT, "server CPU per operation: loop thread %.2f us, whole process %.2f us; loop %.0f%%,"
                        + " process %.0f%%, generator %.0f%% of one core; %.0f%% of one core used by neither%n",
                perOp(loopCpu), perOp(serverCpu), loopPct, serverPct, ownPct, otherPct);
        System.out.printf(Locale.ROOT, "RESULT mode=op-cost op=%s label=%s in_flight=%d ops=%d per_s=%.0f"
                        + " loop_us_each=%.3f server_us_each=%.3f lines_each=%.2f replayed_each=%.2f loop_cpu_pct=%.0f"
                        + " server_cpu_pct=%.0f gen_cpu_pct=%.0f other_cpu_pct=%.0f connections_lost=%d%n",
                op, target.label(), inFlight, ops, ops / seconds, perOp(loopCpu), perOp(serverCpu), (double) lines / ops,
                (double) replayed / ops, loopPct, serverPct, ownPct, otherPct, lost);
    }

    private double perOp(long cpuNanos) {
        return cpuNanos / 1e3 / ops;
    }
}
