package chat.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chat-bench handshake}: N new connections, a bounded number in flight at once
 * ({@code --max-connecting}: connects and handshakes under way), each closed as soon as the
 * server's first answer arrives; reports connections per second and, per connection, the time
 * to the handshake's end and to the first answer. With {@code --tls} every connection is a full
 * TLS handshake (no resumption; see {@link ClientTls}), so the rate is handshakes per second;
 * without, it is plaintext connects per second, the floor to read it against.
 *
 * <p>A warm-up of {@code --warmup-connections} goes first and is not counted, so that both
 * sides' code is compiled before the measured connections start.
 */
@Command(name = "handshake", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Handshakes (with --tls) or connects per second: N connections, each closed at the server's first answer.")
final class HandshakeCommand implements Callable<Integer> {

    @Mixin
    Target target = new Target();

    @Option(names = "--connections", paramLabel = "N", description = "Measured connections (default: ${DEFAULT-VALUE}).")
    int connections = 5_000;

    @Option(names = "--warmup-connections", paramLabel = "N", description = "Connections before measuring (default: ${DEFAULT-VALUE}).")
    int warmupConnections = 500;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest time for each phase (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 120;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } finally {
            target.close(); // the run's TLS context, after its loops closed every connection
        }
    }

    private Integer run() throws Exception {
        if (connections < 1 || warmupConnections < 0 || timeoutSeconds <= 0) {
            throw new IllegalArgumentException("--connections must be positive, --warmup-connections not negative");
        }
        Protocol protocol = target.protocol();
        ClientTls tls = target.tls();
        SourceAddresses sources = new SourceAddresses(
                SourceAddresses.countFor(connections + warmupConnections, target.sourceIps));
        System.out.printf(Locale.ROOT, "handshake: %s%s at %s, %d connections after %d to warm up, at most %d in flight%n",
                protocol.name().toLowerCase(Locale.ROOT), tls == null ? " (plaintext: connects)" : target.tlsSummary(),
                target.address(), connections, warmupConnections, target.maxConnecting);
        LoadLoop[] holder = new LoadLoop[1];
        HandshakeRun run = new HandshakeRun(c -> holder[0].finish(c));
        try (LoadLoop loop = new LoadLoop(target.address(), sources, target.maxConnecting, tls, run)) {
            holder[0] = loop;
            phase(loop, run, protocol, 0, warmupConnections);
            run.measureFrom(warmupConnections);
            long pid = target.serverPid();
            long ownCpu0 = ProcessProbe.ownCpuNanos();
            long serverCpu0 = pid > 0 ? ProcessProbe.cpuNanos(pid) : -1;
            long machine0 = ProcessProbe.machineBusyNanos();
            long t0 = System.nanoTime();
            phase(loop, run, protocol, warmupConnections, connections);
            long took = System.nanoTime() - t0;
            long ownCpu = ProcessProbe.ownCpuNanos() - ownCpu0;
            long serverCpu = pid > 0 && serverCpu0 >= 0 ? ProcessProbe.cpuNanos(pid) - serverCpu0 : -1;
            long machine = ProcessProbe.machineBusyNanos() - machine0;
            report(run, tls != null, took, ownCpu, serverCpu, machine, loop.lostCount(), loop.firstFailure());
            return loop.lostCount() == 0 ? 0 : 3;
        }
    }

    /** Opens {@code count} probes with ids from {@code firstId} and waits until each is answered or lost. */
    private void phase(LoadLoop loop, HandshakeRun run, Protocol protocol, int firstId, int count) throws IOException {
        if (count == 0) {
            return;
        }
        List<BenchConnection> probes = new ArrayList<>(count);
        for (int i = firstId; i < firstId + count; i++) {
            String name = BenchConnection.name(BenchConnection.Role.PROBE, i);
            probes.add(new BenchConnection(BenchConnection.Role.PROBE, i, protocol.probeBytes(name), new byte[0]));
        }
        int target = run.answered() + loop.lostCount() + count;
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        loop.open(probes);
        while (run.answered() + loop.lostCount() < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "handshakes timed out: %s, %d lost (%s)", run, loop.lostCount(), loop.firstFailure()));
            }
            loop.poll(10);
        }
    }

    private void report(HandshakeRun run, boolean tls, long tookNanos, long ownCpu, long serverCpu, long machine, int lost,
            String firstFailure) {
        int n = run.measuredAnswered();
        double seconds = tookNanos / 1e9;
        double rate = HandshakeRun.perSecond(n, tookNanos);
        double serverPct = serverCpu >= 0 ? serverCpu / 1e9 / seconds * 100 : -1;
        double ownPct = ownCpu / 1e9 / seconds * 100;
        double otherPct = machine / 1e9 / seconds * 100 - ownPct - Math.max(0, serverPct);
        LatencyReport handshake = run.handshakeLatency();
        LatencyReport answer = run.firstAnswerLatency();
        if (run.negotiated() != null) {
            System.out.println("TLS: " + run.negotiated());
        }
        System.out.printf(Locale.ROOT, "%d connections answered in %.2f s: %.0f %s/s; %d lost%s%n", n, seconds, rate,
                tls ? "handshakes" : "connects", lost, lost > 0 ? " (first: " + firstFailure + ")" : "");
        System.out.println((tls ? "connect to handshake done: " : "connect: ") + handshake.summary());
        System.out.println("connect to first answer: " + answer.summary());
        System.out.printf(Locale.ROOT, "CPU per connection: generator %.0f us, server %.0f us; generator %.0f%%, server %.0f%% "
                        + "of one core; %.0f%% of one core used by neither%n",
                HandshakeRun.cpuMicrosEach(ownCpu, n), HandshakeRun.cpuMicrosEach(serverCpu, n), ownPct, serverPct, otherPct);
        System.out.printf(Locale.ROOT, "RESULT mode=handshake label=%s protocol=%s transport=%s gen_tls=%s connections=%d "
                        + "per_s=%.0f %s %s gen_cpu_pct=%.0f server_cpu_pct=%.0f gen_cpu_us_each=%.0f "
                        + "server_cpu_us_each=%.0f other_cpu_pct=%.0f connections_lost=%d%n",
                target.label(), target.protocol().name().toLowerCase(Locale.ROOT), target.transport(),
                tls ? target.tls().provider().optionName() : "none", n, rate,
                handshake.keyValues("hs"), answer.keyValues("answer"), ownPct, serverPct,
                HandshakeRun.cpuMicrosEach(ownCpu, n), HandshakeRun.cpuMicrosEach(serverCpu, n), otherPct, lost);
    }
}
