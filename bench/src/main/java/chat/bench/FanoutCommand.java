package chat.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chat-bench fanout}: R receivers and S senders in one room; the senders send marked
 * messages, as fast as the server takes them (a bounded number in flight) or at a fixed total
 * rate (open loop, evenly paced); the receivers count and time them.
 *
 * <p>Phases: connect and enter, warm up, measure, stop sending, drain until every message is in
 * (or nothing has arrived for a while), report. Only what arrives inside the measuring window
 * counts for throughput and latency; loss counts the whole run.
 *
 * <p>With several ports (the nodes of a cluster) the receivers are spread over them round-robin
 * and the senders all talk to the first; latency and deliveries are reported per server too, so
 * the senders' own node and the others can be told apart.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Fan-out throughput and latency: S senders, R receivers, one room.")
final class FanoutCommand implements Callable<Integer> {

    @Mixin
    Target target = new Target();

    @Option(names = "--room", paramLabel = "ROOM", description = "Room (channel for resp and irc) (default: ${DEFAULT-VALUE}).")
    String room = Protocol.DEFAULT_ROOM;

    @Option(names = "--receivers", paramLabel = "R", description = "Receiving connections (default: ${DEFAULT-VALUE}).")
    int receivers = 1000;

    @Option(names = "--senders", paramLabel = "S", description = "Sending connections (default: ${DEFAULT-VALUE}).")
    int senders = 10;

    @Option(names = "--size", paramLabel = "BYTES",
            description = "Bytes of a message as a native line, LF included; the body is one byte less, in every protocol (default: ${DEFAULT-VALUE}).")
    int size = 64;

    @Option(names = "--rate", paramLabel = "MSG_PER_S",
            description = "Messages per second, all senders together; 0 sends as fast as the server takes them (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--window", paramLabel = "MESSAGES",
            description = "With --rate 0: most messages sent and not yet delivered to every receiver (default: ${DEFAULT-VALUE}).")
    int window = 200;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Sending before measuring starts (default: ${DEFAULT-VALUE}).")
    double warmupSeconds = 2;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Measuring time (default: ${DEFAULT-VALUE}).")
    double durationSeconds = 10;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS",
            description = "After sending stops, longest wait for the rest to arrive (default: ${DEFAULT-VALUE}).")
    double drainSeconds = 15;

    @Option(names = "--setup-timeout", paramLabel = "SECONDS",
            description = "Longest wait for every connection to be in the room (default: ${DEFAULT-VALUE}).")
    double setupSeconds = 120;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } finally {
            target.close(); // the run's TLS context, after its loops closed every connection
        }
    }

    private Integer run() throws Exception {
        if (receivers < 1 || senders < 1 || senders > Marker.MAX_SENDERS) {
            throw new IllegalArgumentException("need 1+ receivers and 1-" + Marker.MAX_SENDERS + " senders");
        }
        if (window < 1 || rate < 0 || durationSeconds <= 0 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--window, --rate, --duration and --warmup must be positive");
        }
        Protocol protocol = target.protocol();
        String roomName = Protocol.roomName(room);
        int bodyLength = size - 1; // the same body for every protocol: a 64-byte native line is 63 bytes and its LF
        List<InetSocketAddress> servers = target.addresses();
        long[] serverPids = target.serverPidList();
        FanoutRun run = new FanoutRun(protocol, receivers, senders, bodyLength, servers.size());
        SourceAddresses sources = new SourceAddresses(SourceAddresses.countFor(receivers + senders, target.sourceIps));
        ClientTls tls = target.tls();
        // Senders talk to the first server, the loops' own; receivers go round-robin over all of them.
        InetSocketAddress first = servers.get(0);
        try (LoadLoop loop = new LoadLoop(first, sources, target.maxConnecting, tls, run);
                LoadLoop sendingLoop = rate > 0 ? new LoadLoop(first, sources, target.maxConnecting, tls, run) : loop) {
            List<BenchConnection> all = new ArrayList<>();
            for (int i = 0; i < receivers; i++) {
                BenchConnection c = member(protocol, roomName, BenchConnection.Role.RECEIVER, i);
                c.goTo(servers, Target.serverOf(i, servers.size()));
                c.nextSequence = new int[senders];
                run.receivers[i] = c;
                all.add(c);
            }
            byte[] template = protocol.messageTemplate(roomName, Protocol.body(bodyLength));
            int markerOffset = protocol.bodyOffset(template, bodyLength);
            for (int s = 0; s < senders; s++) {
                BenchConnection c = protocol.publisherNeedsEntry()
                        ? member(protocol, roomName, BenchConnection.Role.SENDER, s)
                        : new BenchConnection(BenchConnection.Role.SENDER, s, new byte[0], new byte[0]);
                c.sendWith(template.clone(), markerOffset, FanoutRun.SEND_BUFFER_BYTES);
                run.senders[s] = c;
                all.add(c);
            }
            System.out.printf(Locale.ROOT, "fanout: %s%s at %s, %d receivers, %d senders, %d-byte messages, %s, from %d source address(es)%n",
                    protocol.name().toLowerCase(Locale.ROOT), target.tlsSummary(),
                    servers.size() == 1 ? first : servers.size() + " servers " + servers
                            + " (receivers round-robin, senders on the first)", receivers, senders, size,
                    rate == 0 ? "as fast as possible (window " + window + ")" : rate + " msg/s", sources.size());
            run.setUp(loop, all, nanos(setupSeconds));
            run.measure(loop, sendingLoop, rate, window, nanos(warmupSeconds), nanos(durationSeconds), serverPids);
            run.drain(loop, sendingLoop, nanos(drainSeconds));
            run.report(target.label(), target.transport(), size, rate, loop, sendingLoop);
            return run.lostDeliveries() == 0 && loop.lostCount() == 0 && sendingLoop.lostCount() == 0 ? 0 : 3;
        }
    }

    /** A connection that enters {@code room} under a name of its own (IRC needs one nick each). */
    static BenchConnection member(Protocol protocol, String room, BenchConnection.Role role, int id) {
        String name = BenchConnection.name(role, id);
        BenchConnection c = new BenchConnection(role, id, protocol.enterBytes(room, false, name),
                protocol.readyPrefix(room, name));
        c.joinBytes = protocol.joinBytes(room);
        return c;
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    /** For tests and the report: a histogram's percentiles. */
    static LatencyReport latency(Histogram histogram) {
        return LatencyReport.of(histogram);
    }
}
