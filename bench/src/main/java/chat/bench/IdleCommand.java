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
 * {@code chat-bench idle}: N connections that enter a room and stay, for the memory a server
 * holds per connection (its resident set grows by so much, measured after its garbage collector
 * ran), then one broadcast that every connection must receive.
 *
 * <p>Native rooms hold at most {@code --room-size} members: every join is announced to the whole
 * room, so N clients joining one room cost N²/2 notices (1.25 billion for 50,000), which would
 * measure the join storm rather than idle memory. Each client leaves {@code #lobby} at once and
 * joins its own room; the broadcast goes to every room. Redis subscribers all share one channel,
 * as subscribing announces nothing.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Memory per idle connection and reach of a broadcast: N connections that join and stay.")
final class IdleCommand implements Callable<Integer> {

    @Mixin
    Target target = new Target();

    @Option(names = "--connections", paramLabel = "N", description = "Idle connections (default: ${DEFAULT-VALUE}).")
    int connections = 10_000;

    @Option(names = "--room-size", paramLabel = "N",
            description = "Native only: most members per room (default: ${DEFAULT-VALUE}).")
    int roomSize = 500;

    @Option(names = "--settle", paramLabel = "SECONDS",
            description = "Wait after the last connection entered, before measuring (default: ${DEFAULT-VALUE}).")
    double settleSeconds = 2;

    @Option(names = "--hold", paramLabel = "SECONDS", description = "Stay connected this long after measuring (default: ${DEFAULT-VALUE}).")
    double holdSeconds;

    @Option(names = "--setup-timeout", paramLabel = "SECONDS",
            description = "Longest wait for every connection to be in (default: ${DEFAULT-VALUE}).")
    double setupSeconds = 300;

    @Option(names = "--broadcast-timeout", paramLabel = "SECONDS",
            description = "Longest wait for the broadcast to reach everyone (default: ${DEFAULT-VALUE}).")
    double broadcastSeconds = 60;

    private int ready;
    private int reached;
    private int roomsEntered;

    @Override
    public Integer call() throws Exception {
        if (connections < 1 || roomSize < 1) {
            throw new IllegalArgumentException("--connections and --room-size must be positive");
        }
        Protocol protocol = target.protocol();
        long pid = target.serverPid;
        boolean jvm = pid > 0 && ProcessProbe.isJvm(pid);
        int rooms = protocol == Protocol.NATIVE ? (connections + roomSize - 1) / roomSize : 1;
        SourceAddresses sources = new SourceAddresses(SourceAddresses.countFor(connections + 1, target.sourceIps));
        System.out.printf(Locale.ROOT, "idle: %s at %s, %d connections in %d room(s), from %d source address(es)%n",
                protocol.name().toLowerCase(Locale.ROOT), target.address(), connections, rooms, sources.size());

        Memory before = pid > 0 ? Memory.of(pid, jvm) : null;
        byte[] body = Protocol.body(63);
        BenchConnection announcer = announcer(protocol, rooms, body);
        LoadLoop.LineListener listener = (c, bytes, start, end, now) -> onLine(c, bytes, start, end, body.length);
        try (LoadLoop loop = new LoadLoop(target.address(), sources, target.maxConnecting, listener)) {
            List<BenchConnection> all = new ArrayList<>(connections);
            byte[][] enter = new byte[rooms][];
            byte[][] readyPrefix = new byte[rooms][];
            for (int r = 0; r < rooms; r++) {
                enter[r] = protocol.enterBytes(roomName(protocol, r), true);
                readyPrefix[r] = protocol.readyPrefix(roomName(protocol, r));
            }
            for (int i = 0; i < connections; i++) {
                int r = protocol == Protocol.NATIVE ? i / roomSize : 0;
                all.add(new BenchConnection(BenchConnection.Role.IDLE, i, enter[r], readyPrefix[r]));
            }
            long t0 = System.nanoTime();
            loop.open(all);
            waitFor(loop, () -> ready >= connections, setupSeconds, "entering");
            double setupTook = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "setup: %d connections in after %.1f s%n", ready, setupTook);
            pollFor(loop, settleSeconds);
            Memory after = pid > 0 ? Memory.of(pid, jvm) : null;

            // One broadcast that every idle connection must receive.
            long b0 = System.nanoTime();
            loop.open(List.of(announcer));
            waitFor(loop, () -> reached >= connections, broadcastSeconds, "broadcast");
            double broadcastTook = (System.nanoTime() - b0) / 1e9;
            pollFor(loop, holdSeconds);
            report(before, after, rooms, setupTook, broadcastTook, loop);
            return reached == connections && loop.lostCount() == 0 ? 0 : 3;
        }
    }

    private static String roomName(Protocol protocol, int r) {
        return protocol == Protocol.NATIVE ? "#idle" + r : "#idle";
    }

    /** The extra connection that says one marked line in every room, or publishes it once. */
    private static BenchConnection announcer(Protocol protocol, int rooms, byte[] body) {
        Marker.write(body, 0, 0, 0, System.nanoTime());
        StringBuilder text = new StringBuilder();
        String line = new String(body, java.nio.charset.StandardCharsets.US_ASCII);
        if (protocol == Protocol.NATIVE) {
            for (int r = 0; r < rooms; r++) {
                text.append("/join ").append(roomName(protocol, r)).append('\n').append(line).append('\n');
            }
        } else {
            text.append(new String(protocol.messageTemplate("#idle", body), java.nio.charset.StandardCharsets.US_ASCII));
        }
        // It sends everything at once and counts as ready, so no prefix is needed.
        BenchConnection c = new BenchConnection(BenchConnection.Role.ANNOUNCER, 0,
                text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[0]);
        c.ready = true;
        return c;
    }

    private void onLine(BenchConnection c, byte[] bytes, int start, int end, int bodyLength) {
        if (c.role != BenchConnection.Role.IDLE) {
            return;
        }
        if (!c.ready) {
            if (c.isReadyLine(bytes, start, end)) {
                c.ready = true;
                ready++;
            }
            return;
        }
        int at = end - bodyLength;
        if (at >= start && Marker.isAt(bytes, at, end) && c.received++ == 0) {
            reached++;
        }
    }

    private void waitFor(LoadLoop loop, java.util.function.BooleanSupplier done, double seconds, String what)
            throws IOException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0 || loop.lostCount() > 0) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s failed: %d in, %d reached by the broadcast, %d connected, %d lost (%s)",
                        what, ready, reached, loop.connectedCount(), loop.lostCount(), loop.firstFailure()));
            }
            loop.poll(10);
        }
    }

    private static void pollFor(LoadLoop loop, double seconds) throws IOException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() - end < 0) {
            loop.poll(10);
        }
    }

    private void report(Memory before, Memory after, int rooms, double setupTook, double broadcastTook, LoadLoop loop) {
        double rssPer = before == null ? -1 : (after.rssKiB - before.rssKiB) * 1024.0 / connections;
        double heapPer = before == null || before.liveHeapBytes < 0 || after.liveHeapBytes < 0
                ? -1 : (after.liveHeapBytes - before.liveHeapBytes) / (double) connections;
        if (before != null) {
            System.out.printf(Locale.ROOT, "server RSS: %d KiB before, %d KiB with %d connections: %.0f bytes (%.2f KiB) per connection%n",
                    before.rssKiB, after.rssKiB, connections, rssPer, rssPer / 1024);
            if (heapPer >= 0) {
                System.out.printf(Locale.ROOT, "server live heap after full GC: %d -> %d bytes: %.0f bytes per connection%n",
                        before.liveHeapBytes, after.liveHeapBytes, heapPer);
            }
        }
        System.out.printf(Locale.ROOT, "broadcast reached %d of %d connections in %.2f s%n", reached, connections, broadcastTook);
        System.out.printf(Locale.ROOT, "RESULT mode=idle label=%s connections=%d rooms=%d rss_before_kib=%d rss_after_kib=%d "
                + "rss_per_conn_bytes=%.0f heap_per_conn_bytes=%.0f setup_s=%.1f broadcast_reached=%d broadcast_s=%.2f connections_lost=%d%n",
                target.label(), connections, rooms, before == null ? -1 : before.rssKiB, after == null ? -1 : after.rssKiB,
                rssPer, heapPer, setupTook, reached, broadcastTook, loop.lostCount());
    }

    /** A server's memory at one moment, after a full collection when it is a JVM. */
    private record Memory(long rssKiB, long liveHeapBytes) {
        static Memory of(long pid, boolean jvm) {
            long live = -1;
            if (jvm) {
                live = ProcessProbe.liveHeapBytes(pid); // collects first
                ProcessProbe.gc(pid);
                sleep(1000); // let freed memory go back before reading the resident set
            }
            return new Memory(ProcessProbe.rssKiB(pid), live);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
