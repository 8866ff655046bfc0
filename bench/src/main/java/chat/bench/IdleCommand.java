package chat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
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
 *
 * <p>With {@code --steps K} the connections come in K equal steps, measured after each. The
 * first step's figure includes what the server pays once (code compiled, buffers and tables
 * grown for the first time); the later steps' show what one more connection costs a warmed
 * server, which is what capacity planning needs. Beside each resident-set figure goes the
 * server's own count of live bytes (a JVM's live heap, Redis's {@code used_memory}): what the
 * connections keep, whatever the allocator holds on to from the connection storm.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Memory per idle connection and reach of a broadcast: N connections that join and stay.")
final class IdleCommand implements Callable<Integer> {

    @Mixin
    Target target = new Target();

    @Option(names = "--connections", paramLabel = "N", description = "Idle connections (default: ${DEFAULT-VALUE}).")
    int connections = 10_000;

    @Option(names = "--steps", paramLabel = "K",
            description = "Enter the connections in K equal steps, measuring the server after each (default: ${DEFAULT-VALUE}).")
    int steps = 1;

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

    /** How often, while holding, the counts by broadcast are said again if they changed. */
    private static final double BROADCAST_REPORT_SECONDS = 1;

    private int ready;
    private int reached;
    /** Connections that received each broadcast, by its marker's sending time; kept in arrival order. */
    private final java.util.Map<Long, Integer> byBroadcast = new java.util.LinkedHashMap<>();
    private int roomsEntered;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } finally {
            target.close(); // the run's TLS context, after its loops closed every connection
        }
    }

    private Integer run() throws Exception {
        if (connections < 1 || roomSize < 1 || steps < 1 || steps > connections) {
            throw new IllegalArgumentException("--connections, --room-size and --steps must be positive, steps at most connections");
        }
        Protocol protocol = target.protocol();
        if (protocol == Protocol.IRC) {
            throw new IllegalArgumentException("idle speaks native or resp; irc is for fanout only");
        }
        long[] pids = target.serverPidList();
        boolean[] jvm = new boolean[pids.length];
        for (int p = 0; p < pids.length; p++) {
            jvm[p] = ProcessProbe.isJvm(pids[p]);
        }
        List<InetSocketAddress> servers = target.addresses();
        // Where to ask Redis for its live bytes; our server's live heap is asked instead.
        InetSocketAddress redis = protocol == Protocol.RESP ? servers.get(0) : null;
        int rooms = protocol == Protocol.NATIVE ? (connections + roomSize - 1) / roomSize : 1;
        SourceAddresses sources = new SourceAddresses(SourceAddresses.countFor(connections + 1, target.sourceIps));
        ClientTls tls = target.tls();
        System.out.printf(Locale.ROOT, "idle: %s%s at %s, %d connections in %d room(s), from %d source address(es)%n",
                protocol.name().toLowerCase(Locale.ROOT), target.tlsSummary(),
                servers.size() == 1 ? servers.get(0) : servers.size() + " servers " + servers + " (round-robin)",
                connections, rooms, sources.size());

        // One list per --server-pid; the first is the server of the single-figure fields.
        List<List<Memory>> memory = new ArrayList<>();
        for (int p = 0; p < pids.length; p++) {
            memory.add(new ArrayList<>());
        }
        measureAll(pids, jvm, redis, tls, 0, memory);
        byte[] body = Protocol.body(63);
        BenchConnection announcer = announcer(protocol, rooms, body);
        LoadLoop.LineListener listener = (c, bytes, start, end, now) -> onLine(c, bytes, start, end, body.length);
        try (LoadLoop loop = new LoadLoop(servers.get(0), sources, target.maxConnecting, tls, listener)) {
            byte[][] enter = new byte[rooms][];
            byte[][] readyPrefix = new byte[rooms][];
            for (int r = 0; r < rooms; r++) {
                enter[r] = protocol.enterBytes(roomName(protocol, r), true, null);
                readyPrefix[r] = protocol.readyPrefix(roomName(protocol, r), null);
            }
            double setupTook = 0;
            int opened = 0;
            for (int step = 1; step <= steps; step++) {
                int upTo = (int) ((long) connections * step / steps);
                List<BenchConnection> batch = new ArrayList<>(upTo - opened);
                for (int i = opened; i < upTo; i++) {
                    int r = protocol == Protocol.NATIVE ? i / roomSize : 0;
                    BenchConnection c = new BenchConnection(BenchConnection.Role.IDLE, i, enter[r], readyPrefix[r]);
                    c.goTo(servers, Target.serverOf(i, servers.size()));
                    batch.add(c);
                }
                opened = upTo;
                long t0 = System.nanoTime();
                loop.open(batch);
                int expected = upTo;
                waitFor(loop, () -> ready >= expected, setupSeconds, "entering");
                double took = (System.nanoTime() - t0) / 1e9;
                setupTook += took;
                System.out.printf(Locale.ROOT, "setup: %d connections in after %.1f s%n", ready, took);
                pollFor(loop, settleSeconds);
                measureAll(pids, jvm, redis, tls, ready, memory);
                for (int p = 0; p < pids.length; p++) {
                    List<Memory> m = memory.get(p);
                    System.out.println("  " + (pids.length > 1 ? "process " + pids[p] + ": " : "")
                            + MemoryStep.between(m.get(m.size() - 2), m.get(m.size() - 1)));
                }
            }

            // One broadcast that every idle connection must receive.
            long b0 = System.nanoTime();
            loop.open(List.of(announcer));
            waitFor(loop, () -> reached >= connections, broadcastSeconds, "broadcast");
            double broadcastTook = (System.nanoTime() - b0) / 1e9;
            // Said before holding, so that a script running several generators knows this one is done.
            System.out.printf(Locale.ROOT, "broadcast: all %d reached in %.2f s; holding %.0f s%n", reached, broadcastTook,
                    holdSeconds);
            // Several generators on one room each send a broadcast, and a connection counts as reached
            // by the first that arrives. What each broadcast reached, by its sending time (one
            // monotonic clock for every process on this machine), lets a script add up the processes'
            // counts and tell whether any one broadcast reached every connection of all of them.
            // Said again whenever it changed while holding (the others' broadcasts may come later):
            // the last line counts.
            long holdEnd = System.nanoTime() + (long) (holdSeconds * 1e9);
            String seen = null;
            do {
                pollFor(loop, Math.min(BROADCAST_REPORT_SECONDS, (holdEnd - System.nanoTime()) / 1e9));
                String now = byBroadcast.isEmpty() ? "-" : byBroadcast.entrySet().stream()
                        .map(e -> Long.toHexString(e.getKey()) + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(","));
                if (!now.equals(seen)) {
                    System.out.println("broadcasts seen: " + now);
                    seen = now;
                }
            } while (System.nanoTime() - holdEnd < 0);
            report(memory.isEmpty() ? List.of() : memory.get(0), rooms, setupTook, broadcastTook, loop, pids, memory);
            return reached == connections && loop.lostCount() == 0 ? 0 : 3;
        }
    }

    /**
     * Measures every process of {@code pids} with {@code connections} in, one after the other, and
     * adds each figure to its list. Redis's live bytes come from the first server when the run
     * speaks RESP; a process that is neither a JVM nor that Redis gets its resident set only.
     */
    private static void measureAll(long[] pids, boolean[] jvm, InetSocketAddress redis, ClientTls tls, int connections,
            List<List<Memory>> memory) {
        for (int p = 0; p < pids.length; p++) {
            memory.get(p).add(Memory.of(pids[p], jvm[p], p == 0 ? redis : null, tls, connections));
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
        if (at >= start && Marker.isAt(bytes, at, end)) {
            byBroadcast.merge(Marker.nanos(bytes, at), 1, Integer::sum);
            if (c.received++ == 0) {
                reached++;
            }
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

    private void report(List<Memory> memory, int rooms, double setupTook, double broadcastTook, LoadLoop loop,
            long[] pids, List<List<Memory>> byPid) {
        int n = memory.size();
        MemoryStep whole = n < 2 ? null : MemoryStep.between(memory.get(0), memory.get(n - 1));
        MemoryStep first = n < 2 ? null : MemoryStep.between(memory.get(0), memory.get(1));
        MemoryStep last = n < 2 ? null : MemoryStep.between(memory.get(n - 2), memory.get(n - 1));
        if (whole != null) {
            System.out.println("whole run, from an empty server: " + whole);
            if (steps > 1) {
                System.out.println("first step, from an empty server: " + first);
                System.out.println("last step, a warmed server:       " + last);
            }
        }
        // Every process's whole run, empty to all connections in (per connection of the whole run).
        double[] rssAfter = new double[byPid.size()];
        double[] rssPer = new double[byPid.size()];
        double[] livePer = new double[byPid.size()];
        for (int p = 0; p < byPid.size(); p++) {
            List<Memory> m = byPid.get(p);
            MemoryStep all = MemoryStep.between(m.get(0), m.get(m.size() - 1));
            rssAfter[p] = m.get(m.size() - 1).rssKiB();
            rssPer[p] = all.rssPerConnection();
            livePer[p] = all.livePerConnection();
            if (byPid.size() > 1) {
                System.out.println("process " + pids[p] + ", whole run: " + all);
            }
        }
        System.out.printf(Locale.ROOT, "broadcast reached %d of %d connections in %.2f s%n", reached, connections, broadcastTook);
        System.out.printf(Locale.ROOT, "RESULT mode=idle label=%s transport=%s connections=%d steps=%d rooms=%d rss_before_kib=%d rss_after_kib=%d "
                + "rss_per_conn_bytes=%.0f live_per_conn_bytes=%.0f rss_per_conn_first_bytes=%.0f live_per_conn_first_bytes=%.0f "
                + "rss_per_conn_last_bytes=%.0f live_per_conn_last_bytes=%.0f "
                + "setup_s=%.1f broadcast_reached=%d broadcast_s=%.2f connections_lost=%d servers=%d "
                + "by_pid_rss_after_kib=%s by_pid_rss_per_conn_bytes=%s by_pid_live_per_conn_bytes=%s%n",
                target.label(), target.transport(), connections, steps, rooms,
                whole == null ? -1 : memory.get(0).rssKiB(), whole == null ? -1 : memory.get(n - 1).rssKiB(),
                rss(whole), live(whole), rss(first), live(first), rss(last), live(last),
                setupTook, reached, broadcastTook, loop.lostCount(), target.ports.size(),
                orNone(FanoutRun.joined("%.0f", rssAfter)), orNone(FanoutRun.joined("%.0f", rssPer)),
                orNone(FanoutRun.joined("%.0f", livePer)));
    }

    private static String orNone(String joined) {
        return joined.isEmpty() ? "-1" : joined;
    }

    private static double rss(MemoryStep step) {
        return step == null ? -1 : step.rssPerConnection();
    }

    private static double live(MemoryStep step) {
        return step == null ? -1 : step.livePerConnection();
    }

    /**
     * A server's memory with {@code connections} open: its resident set, and its live bytes (a
     * JVM's live heap after a full collection, Redis's {@code used_memory}; -1 for others).
     */
    record Memory(int connections, long rssKiB, long liveBytes) {
        /** CPU time per half second below which a server counts as at rest: 2 % of a core. */
        private static final long QUIET_NANOS = 10_000_000L;
        /** Longest wait for a server to come to rest before it is measured anyway. */
        private static final long QUIET_DEADLINE_NANOS = 30_000_000_000L;
        /** HotSpot's chunk pool cleaning interval (5 s), and a margin. */
        private static final long CHUNK_POOL_CLEAN_MILLIS = 5_500;

        static Memory of(long pid, boolean jvm, java.net.InetSocketAddress redis, ClientTls tls, int connections) {
            awaitQuiet(pid);
            long live = -1;
            if (jvm) {
                live = ProcessProbe.liveHeapBytes(pid); // collects first
                ProcessProbe.gc(pid);
                // The JIT compiler's scratch memory goes back to the C heap only when the JVM's chunk
                // pool is next cleaned, up to 5 s after the compilation; a trim before that leaves
                // those megabytes (20 MB after the storm's last big compilations, seen as a per-
                // connection cost 1 KiB higher in one run of three) resident for good. A server at
                // rest has passed that point: the trim comes after it.
                sleep(CHUNK_POOL_CLEAN_MILLIS);
                // Without a trim, RSS swings by megabytes with what the JIT compiler freed last.
                ProcessProbe.trimNativeHeap(pid);
                sleep(1000); // let freed memory go back before reading the resident set
            } else if (redis != null) {
                live = RedisInfo.usedMemory(redis, tls);
            }
            return new Memory(connections, ProcessProbe.rssKiB(pid), live);
        }

        /**
         * Waits until the process uses almost no CPU: a JVM whose compiler is still at work on
         * what the storm made hot holds megabytes of the compiler's scratch memory, which a
         * measurement taken then counts (RSS per connection swung by 1.5 KiB between runs, and
         * no trim gives back memory still in use). An idle server at rest is what is measured.
         */
        private static void awaitQuiet(long pid) {
            long deadline = System.nanoTime() + QUIET_DEADLINE_NANOS;
            long before = ProcessProbe.cpuNanos(pid);
            while (before >= 0 && System.nanoTime() - deadline < 0) {
                sleep(500);
                long after = ProcessProbe.cpuNanos(pid);
                if (after - before < QUIET_NANOS) {
                    return;
                }
                before = after;
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What the connections added between two measurements cost, per connection. */
    record MemoryStep(Memory from, Memory to) {
        static MemoryStep between(Memory from, Memory to) {
            if (to.connections() <= from.connections()) {
                throw new IllegalArgumentException("a step must add connections: " + from + " -> " + to);
            }
            return new MemoryStep(from, to);
        }

        int added() {
            return to.connections() - from.connections();
        }

        double rssPerConnection() {
            return (to.rssKiB() - from.rssKiB()) * 1024.0 / added();
        }

        /** Live bytes per connection, or -1 when the server gave no live figure. */
        double livePerConnection() {
            return from.liveBytes() < 0 || to.liveBytes() < 0
                    ? -1 : (to.liveBytes() - from.liveBytes()) / (double) added();
        }

        @Override
        public String toString() {
            String live = livePerConnection() < 0 ? ""
                    : String.format(Locale.ROOT, ", live %d -> %d bytes: %.0f bytes per connection",
                            from.liveBytes(), to.liveBytes(), livePerConnection());
            return String.format(Locale.ROOT, "%d -> %d connections: RSS %d -> %d KiB, %.0f bytes (%.2f KiB) per connection%s",
                    from.connections(), to.connections(), from.rssKiB(), to.rssKiB(),
                    rssPerConnection(), rssPerConnection() / 1024, live);
        }
    }
}
