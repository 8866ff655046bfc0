package chat.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The state and phases of one fan-out run, and the receive path: every line a connection gets
 * comes to {@link #onLine}, which proves membership during setup and afterwards checks, counts
 * and times marked messages. The measuring thread only, except for what a fixed-rate run's
 * {@link Pacer} owns while it sends.
 */
final class FanoutRun implements LoadLoop.LineListener {

    /** A sender's buffer of encoded messages not yet taken by its socket. */
    static final int SEND_BUFFER_BYTES = 64 * 1024;
    /** Most messages one sender encodes per pass in as-fast-as-possible mode, so senders interleave. */
    private static final int BATCH = 64;
    /** The drain ends early once nothing has arrived for this long. */
    private static final long QUIET_NANOS = 3_000_000_000L;

    private final Protocol protocol;
    final BenchConnection[] receivers;
    final BenchConnection[] senders;
    private final int bodyLength;
    /** Receive-to-send delay of messages received while measuring. */
    private final Histogram latency = LatencyReport.newHistogram();
    /** The same, per server the receivers are on (the nodes of a cluster; one with one server). */
    private final Histogram[] latencyByServer;
    /** Deliveries received inside the measuring window, per server the receivers are on. */
    private final long[] measuredByServer;
    /** How late each message was sent against its schedule (fixed-rate mode). */
    private final Histogram lateness = LatencyReport.newHistogram();

    private int readyCount;
    /** Marked messages received by receivers, the whole run. */
    private long delivered;
    /** Messages that came in below the sequence number expected: duplicates or reordered. */
    private long outOfOrder;
    /** Sequence numbers skipped over: deliveries that never came, or came late. */
    private long gaps;
    /** Marked messages replayed from history at join: an earlier run's, not counted. */
    private long replayed;
    private long sentTotal;
    /** Deliveries received inside the measuring window. */
    private long measuredDeliveries;
    private long measuredSent;
    private long measureStart = Long.MAX_VALUE;
    private long measureEnd = Long.MAX_VALUE;
    /** Times sending waited because a sender's buffer was full (fixed-rate mode). */
    private long stalls;
    private long lastArrival;
    private long ownCpuAtStart;
    private long ownCpuAtEnd;
    private long threadCpuAtStart;
    private long threadCpuAtEnd;
    /** CPU time of each process named by --server-pid at the window's start and end; -1 where unreadable. */
    private long[] serverCpuAtStart = new long[0];
    private long[] serverCpuAtEnd = new long[0];
    private long machineAtStart;
    private long machineAtEnd;
    private long drainNanos;

    FanoutRun(Protocol protocol, int receivers, int senders, int bodyLength) {
        this(protocol, receivers, senders, bodyLength, 1);
    }

    /** @param servers how many servers the receivers are spread over (their {@code serverIndex} is below it) */
    FanoutRun(Protocol protocol, int receivers, int senders, int bodyLength, int servers) {
        this.protocol = protocol;
        this.receivers = new BenchConnection[receivers];
        this.senders = new BenchConnection[senders];
        this.bodyLength = bodyLength;
        this.latencyByServer = new Histogram[servers];
        for (int i = 0; i < servers; i++) {
            latencyByServer[i] = LatencyReport.newHistogram();
        }
        this.measuredByServer = new long[servers];
    }

    @Override
    public void onLine(BenchConnection c, byte[] bytes, int start, int end, long now) {
        if (!c.ready) {
            if (c.isReadyLine(bytes, start, end)) {
                c.ready = true;
                readyCount++;
            }
            return;
        }
        if (c.role != BenchConnection.Role.RECEIVER) {
            return;
        }
        int at = end - bodyLength;
        if (at < start || !Marker.isAt(bytes, at, end)) {
            return; // join notices, RESP headers and the like
        }
        if (protocol.isReplayed(bytes, start, end)) {
            replayed++; // an earlier run's message, replayed from history as this receiver joined
            return;
        }
        int sender = Marker.sender(bytes, at);
        if (sender >= senders.length) {
            return;
        }
        int sequence = (int) Marker.sequence(bytes, at);
        int expected = c.nextSequence[sender];
        if (sequence == expected) {
            c.nextSequence[sender] = expected + 1;
        } else if (sequence - expected > 0) {
            gaps += sequence - expected;
            c.nextSequence[sender] = sequence + 1;
        } else {
            outOfOrder++;
        }
        c.received++;
        delivered++;
        lastArrival = now;
        if (now - measureStart >= 0 && now - measureEnd < 0) {
            measuredDeliveries++;
            measuredByServer[c.serverIndex]++;
            long took = now - Marker.nanos(bytes, at);
            LatencyReport.record(latency, took);
            LatencyReport.record(latencyByServer[c.serverIndex], took);
        }
    }

    /**
     * Opens every connection and waits until each is in the room: the senders first, then the
     * receivers. The order matters for a chat server, where senders are room members and get
     * each other's lines (Redis publishers subscribe to nothing): a server that writes its newest
     * queued deliveries first, as Redis and ours do, then writes to the last members to join
     * first, and the senders' copies would go out ahead of every receiver's.
     */
    void setUp(LoadLoop loop, List<BenchConnection> all, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        List<BenchConnection> first = new java.util.ArrayList<>();
        List<BenchConnection> then = new java.util.ArrayList<>();
        for (BenchConnection c : all) {
            (c.role == BenchConnection.Role.SENDER ? first : then).add(c);
        }
        for (BenchConnection s : senders) {
            if (!protocol.publisherNeedsEntry()) {
                s.ready = true;
                readyCount++;
            }
        }
        enter(loop, first, readyCount + countNotReady(first), deadline, all.size());
        enter(loop, then, all.size(), deadline, all.size());
        // Let the join notices of the last arrivals pass before timing starts.
        long settle = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() - settle < 0) {
            loop.poll(10);
        }
        System.out.printf(Locale.ROOT, "setup: %d connections in the room%n", readyCount);
    }

    private static boolean allConnected(List<BenchConnection> connections) {
        for (BenchConnection c : connections) {
            if (!c.connected) {
                return false;
            }
        }
        return true;
    }

    private static int countNotReady(List<BenchConnection> connections) {
        int n = 0;
        for (BenchConnection c : connections) {
            if (!c.ready) {
                n++;
            }
        }
        return n;
    }

    /**
     * Opens {@code connections} and waits until {@code readyCount} reaches {@code target} and each
     * of them is connected (a Redis publisher counts as ready before it is: it needs no entry).
     */
    private void enter(LoadLoop loop, List<BenchConnection> connections, int target, long deadline, int total)
            throws IOException {
        loop.open(connections);
        while (readyCount < target || !allConnected(connections)) {
            if (System.nanoTime() - deadline > 0 || loop.lostCount() > 0) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "setup failed: %d of %d connections in the room, %d connected, %d lost (%s)",
                        readyCount, total, loop.connectedCount(), loop.lostCount(), loop.firstFailure()));
            }
            loop.poll(10);
        }
    }

    /**
     * Sends through warm-up and the measuring window. As fast as possible, one thread does
     * everything on {@code loop}. At a fixed rate the senders move to {@code sendingLoop} and a
     * thread of their own (see {@link Pacer}), so that receiving a burst of deliveries never
     * holds back the next message.
     */
    void measure(LoadLoop loop, LoadLoop sendingLoop, long rate, int window, long warmupNanos, long durationNanos,
            long... serverPids) throws IOException {
        long start = System.nanoTime();
        measureBetween(start + warmupNanos, start + warmupNanos + durationNanos);
        Pacer pacer = null;
        if (rate > 0) {
            if (sendingLoop == loop) {
                throw new IllegalArgumentException("a fixed-rate run needs a loop of its own for the senders");
            }
            for (BenchConnection s : senders) {
                sendingLoop.adopt(s);
            }
            pacer = new Pacer(sendingLoop, new PacingSchedule(start, rate, senders.length));
            pacer.start();
        }
        try {
            receiveWhileSending(loop, pacer, window, serverPids);
        } catch (IOException | RuntimeException e) {
            if (pacer != null) {
                pacer.abandon();
            }
            throw e;
        }
        if (pacer != null) {
            pacer.finish();
        }
    }

    /** The measuring thread's part of {@link #measure}: receives, and sends too when there is no pacer. */
    private void receiveWhileSending(LoadLoop loop, Pacer pacer, int window, long[] serverPids) throws IOException {
        boolean measuring = false;
        long windowDeliveries = (long) window * receivers.length;
        while (pacer == null || !pacer.hasFailed()) {
            long now = System.nanoTime();
            if (!measuring && now - measureStart >= 0) {
                measuring = true;
                ownCpuAtStart = ProcessProbe.ownCpuNanos();
                threadCpuAtStart = ProcessProbe.threadCpuNanos();
                serverCpuAtStart = cpuOf(serverPids);
                machineAtStart = ProcessProbe.machineBusyNanos();
            }
            if (now - measureEnd >= 0) {
                break;
            }
            if (pacer == null) {
                sendAsFastAsAllowed(loop, windowDeliveries);
                loop.poll(inFlight() >= windowDeliveries ? 1 : 0);
            } else {
                loop.poll(Math.max(1, Math.min(10, (measureEnd - now) / 1_000_000)));
            }
        }
        ownCpuAtEnd = ProcessProbe.ownCpuNanos();
        threadCpuAtEnd = ProcessProbe.threadCpuNanos();
        serverCpuAtEnd = cpuOf(serverPids);
        machineAtEnd = ProcessProbe.machineBusyNanos();
    }

    /** Sets the measuring window, on the {@code System.nanoTime()} clock: deliveries inside it are timed. */
    void measureBetween(long startNanos, long endNanos) {
        measureStart = startNanos;
        measureEnd = endNanos;
    }

    /** Deliveries received inside the measuring window by receivers on server {@code index}. */
    long measuredOn(int index) {
        return measuredByServer[index];
    }

    /** Latency of those deliveries. */
    LatencyReport latencyOn(int index) {
        return LatencyReport.of(latencyByServer[index]);
    }

    /** Each process's CPU time now, -1 where it cannot be read (0 or less: no process). */
    private static long[] cpuOf(long[] pids) {
        long[] cpu = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            cpu[i] = pids[i] > 0 ? ProcessProbe.cpuNanos(pids[i]) : -1;
        }
        return cpu;
    }

    /**
     * Per cent of one core that each process used over {@code seconds}, from CPU times taken at
     * the window's start and end; -1 for a process that could not be read.
     */
    static double[] cpuPercents(long[] atStart, long[] atEnd, double seconds) {
        double[] pct = new double[Math.min(atStart.length, atEnd.length)];
        for (int i = 0; i < pct.length; i++) {
            pct[i] = atStart[i] >= 0 && atEnd[i] >= 0 ? (atEnd[i] - atStart[i]) / 1e9 / seconds * 100 : -1;
        }
        return pct;
    }

    /** The sum of the readable ones among {@code percents}; -1 when none is. */
    static double sumReadable(double[] percents) {
        double sum = 0;
        boolean any = false;
        for (double p : percents) {
            if (p >= 0) {
                sum += p;
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /** {@code values} formatted with {@code format}, comma-separated, for a RESULT field. */
    static String joined(String format, double... values) {
        StringBuilder text = new StringBuilder();
        for (double v : values) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(String.format(Locale.ROOT, format, v));
        }
        return text.toString();
    }

    /** Counts {@code n} messages sent at {@code now}; those inside the measuring window count for the rate. */
    private void countSent(long now, int n) {
        sentTotal += n;
        if (now - measureStart >= 0 && now - measureEnd < 0) {
            measuredSent += n;
        }
    }

    private long inFlight() {
        return sentTotal * receivers.length - delivered;
    }

    /** As fast as possible: each sender adds a batch while fewer than the window are in flight. */
    private void sendAsFastAsAllowed(LoadLoop loop, long windowDeliveries) {
        for (BenchConnection s : senders) {
            if (s.writeBlocked) {
                continue;
            }
            long room = (windowDeliveries - inFlight()) / receivers.length;
            int fit = s.out.remaining() / s.template.length;
            int n = (int) Math.min(Math.min(room, fit), BATCH);
            if (n <= 0) {
                continue;
            }
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                encode(s, now);
            }
            countSent(now, n);
            loop.flush(s);
        }
    }

    /** Fixed rate: encodes every message now due, in schedule order, then writes. */
    private long sendDue(LoadLoop loop, PacingSchedule schedule, long next, long now) {
        long due = schedule.dueCount(now);
        while (next < due) {
            BenchConnection s = senders[schedule.senderOf(next)];
            if (s.out.remaining() < s.template.length) {
                stalls++;
                break; // that sender's socket is backed up; keep the order and retry next round
            }
            encode(s, now);
            LatencyReport.record(lateness, now - schedule.dueNanos(next));
            countSent(now, 1);
            next++;
        }
        for (BenchConnection s : senders) {
            if (!s.writeBlocked) {
                loop.flush(s);
            }
        }
        return next;
    }

    private static void encode(BenchConnection s, long now) {
        Marker.write(s.template, s.markerOffset, s.id, s.sequence++, now);
        s.out.put(s.template);
    }

    /**
     * After sending stops: waits for what is still on its way, flushing what senders hold
     * through {@code sendingLoop} (the loop their keys are in: {@code loop} unless a fixed-rate
     * run moved them).
     */
    void drain(LoadLoop loop, LoadLoop sendingLoop, long timeoutNanos) throws IOException {
        long start = System.nanoTime();
        long expected = sentTotal * receivers.length;
        lastArrival = start;
        while (delivered - outOfOrder < expected) {
            long now = System.nanoTime();
            if (now - start > timeoutNanos || now - lastArrival > QUIET_NANOS
                    || loop.lostCount() > 0 || sendingLoop.lostCount() > 0) {
                break;
            }
            for (BenchConnection s : senders) {
                if (!s.writeBlocked) {
                    sendingLoop.flush(s);
                }
            }
            if (sendingLoop != loop) {
                sendingLoop.poll(0);
            }
            loop.poll(10);
        }
        drainNanos = System.nanoTime() - start;
    }

    /**
     * The fixed-rate sending thread. One thread that both sends and receives sends late whenever
     * a broadcast's deliveries come in (2-7 ms late at p99 with 1,000 receivers), and messages
     * sent late reach the server bunched, so one waits behind the previous one's fan-out: the
     * tail then measured the generator as much as the server. This thread shares the generator's
     * core with the receiving one, sleeps until the next message is due ({@code parkNanos}, finer
     * than a select timeout's milliseconds) and, having slept, is run as soon as it wakes.
     *
     * <p>While it runs it alone touches the senders, {@code sentTotal}, {@code measuredSent},
     * {@code lateness} and {@code stalls}; the measuring thread reads them after {@link #finish},
     * whose join orders the two.
     */
    private final class Pacer implements Runnable {

        private final LoadLoop loop;
        private final PacingSchedule schedule;
        private final Thread thread = new Thread(this, "bench-pacer");
        /** What ended the thread early, if anything; read by the measuring thread. */
        private volatile Throwable failure;
        /** Set by the measuring thread when it gives up on the run. */
        private volatile boolean abandoned;

        Pacer(LoadLoop loop, PacingSchedule schedule) {
            this.loop = loop;
            this.schedule = schedule;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try {
                long next = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (now - measureEnd >= 0 || abandoned) {
                        return;
                    }
                    next = sendDue(loop, schedule, next, now);
                    loop.poll(0); // what the senders receive, and OP_WRITE for a blocked one
                    long wait = schedule.dueNanos(next) - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(Math.min(wait, measureEnd - System.nanoTime()));
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
            }
        }

        boolean hasFailed() {
            return failure != null;
        }

        /** Stops the thread and waits for it, its own failure ignored: the run failed already. */
        void abandon() {
            abandoned = true;
            LockSupport.unpark(thread);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits for the thread to stop sending (at the end of the measuring window); rethrows its failure. */
        void finish() throws IOException {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the senders finished");
            }
            if (failure instanceof IOException io) {
                throw io;
            } else if (failure instanceof RuntimeException runtime) {
                throw runtime;
            } else if (failure instanceof Error error) {
                throw error;
            }
        }
    }

    /** Cores of the machine, whatever this process's affinity allows. */
    private static int cores() {
        try {
            return (int) java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).stream()
                    .filter(l -> l.matches("cpu\\d+ .*")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    long delivered() {
        return delivered;
    }

    long gaps() {
        return gaps;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long replayed() {
        return replayed;
    }

    int readyCount() {
        return readyCount;
    }

    long lostDeliveries() {
        return sentTotal * receivers.length - (delivered - outOfOrder);
    }

    void report(String label, String transport, int size, long rate, LoadLoop loop, LoadLoop sendingLoop) {
        int connectionsLost = loop.lostCount() + (sendingLoop == loop ? 0 : sendingLoop.lostCount());
        String firstFailure = loop.firstFailure() != null ? loop.firstFailure() : sendingLoop.firstFailure();
        double seconds = (measureEnd - measureStart) / 1e9;
        double deliveriesPerSecond = measuredDeliveries / seconds;
        double ownCpu = (ownCpuAtEnd - ownCpuAtStart) / 1e9 / seconds * 100;
        double threadCpu = (threadCpuAtEnd - threadCpuAtStart) / 1e9 / seconds * 100;
        double[] serverCpus = cpuPercents(serverCpuAtStart, serverCpuAtEnd, seconds);
        double serverCpu = sumReadable(serverCpus); // a cluster's nodes and its Redis together
        double machineCpu = (machineAtEnd - machineAtStart) / 1e9 / seconds * 100;
        // What neither the generator nor the server(s) used: other processes, interrupts, ksoftirqd.
        double otherCpu = machineCpu - ownCpu - Math.max(0, serverCpu);
        LatencyReport lat = LatencyReport.of(latency);
        LatencyReport late = LatencyReport.of(lateness);
        System.out.printf(Locale.ROOT, "measured %.1f s; sent %d messages in all, %.0f/s while measuring%n",
                seconds, sentTotal, measuredSent / seconds);
        System.out.printf(Locale.ROOT, "deliveries: %.0f/s while measuring; %d expected in all, %d received, %d lost, "
                + "%d gaps, %d out of order (drain took %.1f s)%n",
                deliveriesPerSecond, sentTotal * receivers.length, delivered, lostDeliveries(), gaps, outOfOrder, drainNanos / 1e9);
        if (replayed > 0) {
            System.out.println("replayed from history as receivers joined (an earlier run's, not counted): " + replayed);
        }
        System.out.println("latency (send to receive): " + lat.summary());
        if (rate > 0) {
            System.out.println("send lateness (behind schedule): " + late.summary() + ", stalls " + stalls);
        }
        System.out.printf(Locale.ROOT, "generator CPU: %.0f%% of one core (%s %.0f%%)%s%n", ownCpu,
                rate > 0 ? "receiving thread" : "loop thread", threadCpu,
                serverCpu < 0 ? "" : serverCpus.length == 1
                        ? String.format(Locale.ROOT, "; server CPU: %.0f%% of one core", serverCpu)
                        : String.format(Locale.ROOT, "; server processes' CPU: %s%% of one core each, %.0f%% in all",
                                joined("%.0f", serverCpus), serverCpu));
        double[] byServerRate = new double[measuredByServer.length];
        double[] byServerP50 = new double[measuredByServer.length];
        double[] byServerP99 = new double[measuredByServer.length];
        for (int i = 0; i < byServerRate.length; i++) {
            LatencyReport one = LatencyReport.of(latencyByServer[i]);
            byServerRate[i] = measuredByServer[i] / seconds;
            byServerP50[i] = one.p50Micros();
            byServerP99[i] = one.p99Micros();
            if (byServerRate.length > 1) {
                System.out.printf(Locale.ROOT, "receivers on server %d: %.0f deliveries/s, latency %s%n",
                        i + 1, byServerRate[i], one.summary());
            }
        }
        System.out.printf(Locale.ROOT, "machine CPU: %.0f%% of %d cores busy; %.0f%% of one core used by neither generator nor server%n",
                machineCpu, cores(), otherCpu);
        if (connectionsLost > 0) {
            System.out.println("connections lost: " + connectionsLost + ", first: " + firstFailure);
        }
        if (receivers.length > 0 && receivers[0].tls != null) {
            System.out.println("TLS: " + receivers[0].tls.negotiated());
        }
        System.out.printf(Locale.ROOT, "RESULT mode=fanout label=%s protocol=%s transport=%s receivers=%d senders=%d size=%d rate=%d "
                + "deliveries_per_s=%.0f sent=%d lost=%d %s gen_cpu_pct=%.0f gen_thread_cpu_pct=%.0f server_cpu_pct=%.0f "
                + "late_p99_us=%.1f other_cpu_pct=%.0f connections_lost=%d replayed=%d sent_per_s=%.0f servers=%d "
                + "server_cpu_pcts=%s by_server_deliveries_per_s=%s by_server_lat_p50_us=%s by_server_lat_p99_us=%s%n",
                label, protocol.name().toLowerCase(Locale.ROOT), transport, receivers.length, senders.length, size, rate,
                deliveriesPerSecond, sentTotal, lostDeliveries(), lat.keyValues("lat"), ownCpu, threadCpu, serverCpu,
                late.p99Micros(), otherCpu, connectionsLost, replayed, measuredSent / seconds, measuredByServer.length,
                serverCpus.length == 0 ? "-1" : joined("%.0f", serverCpus), joined("%.0f", byServerRate),
                joined("%.1f", byServerP50), joined("%.1f", byServerP99));
    }
}
