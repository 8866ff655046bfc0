package chat.server.metrics;

import chat.server.core.ChatCore;
import chat.server.history.HistoryWriter;
import chat.server.net.ConnectionCensus;
import chat.server.net.EventLoop;
import chat.server.net.TcpServer;
import chat.server.net.TrafficCounters;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Copies the loop's figures into an immutable {@link ServerStats}, on the loop thread, and hands
 * the latest one to other threads through one volatile field. This is the only way counters
 * leave the loop: the loop keeps plain fields (no atomics on the message path), and other
 * threads only ever see a finished snapshot, at most about a second old.
 *
 * <p>{@link #publish} and {@link #sampleNow} run on the loop thread; {@link #latest} on any.
 */
public final class StatsRecorder {

    private final EventLoop loop;
    private final List<TcpServer> listeners;
    private final ChatCore core;
    /** The history writer; null when history is not written to disk. */
    private final HistoryWriter historyWriter;
    private final LongSupplier wallClock;
    /** Loop clock at start, for the uptime. */
    private final long startNanos;
    /** The latest published snapshot; null until the first. Written by the loop, read by anyone. */
    private volatile ServerStats latest;

    public StatsRecorder(EventLoop loop, List<TcpServer> listeners, ChatCore core, HistoryWriter historyWriter,
            LongSupplier wallClock) {
        this.loop = loop;
        this.listeners = List.copyOf(listeners);
        this.core = core;
        this.historyWriter = historyWriter;
        this.wallClock = wallClock;
        this.startNanos = loop.nanoTime();
    }

    /**
     * Takes a snapshot and publishes it. Loop thread only.
     *
     * @param taskLagNanos how long the task that calls this waited in the loop's queue
     */
    public ServerStats publish(long taskLagNanos) {
        ServerStats stats = sample(latest, taskLagNanos);
        latest = stats;
        return stats;
    }

    /**
     * A snapshot now, for the stats command, without publishing it: the busy ratio is over the
     * time since the latest published one, and the task lag is that one's. Loop thread only.
     */
    public ServerStats sampleNow() {
        ServerStats previous = latest;
        return sample(previous, previous == null ? -1 : previous.taskLagNanos());
    }

    /** The latest published snapshot, or null before the first. Any thread. */
    public ServerStats latest() {
        return latest;
    }

    private ServerStats sample(ServerStats previous, long taskLagNanos) {
        long now = loop.nanoTime();
        ConnectionCensus census = new ConnectionCensus();
        TrafficCounters traffic = new TrafficCounters();
        for (TcpServer listener : listeners) {
            listener.countConnections(census);
            listener.counters().addTo(traffic);
        }
        long idle = loop.idleNanos();
        long sinceNanos = previous == null ? startNanos : previous.takenNanos();
        long idleBefore = previous == null ? 0 : previous.loopIdleNanos();
        double busy = busyRatio(now - sinceNanos, idle - idleBefore);
        ServerStats.HistoryFigures history = historyWriter == null ? ServerStats.HistoryFigures.NONE
                : new ServerStats.HistoryFigures(historyWriter.pending(), historyWriter.lagMillis(),
                        historyWriter.dropped(), historyWriter.failed());
        return new ServerStats(now, wallClock.getAsLong(), java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(now - startNanos),
                census, core.userCount(), core.roomCount(), core.messagesSaid(), traffic, loop.iterations(), idle, busy,
                taskLagNanos, history);
    }

    /** Busy share of an interval, from its idle part; 0 for an empty interval. */
    static double busyRatio(long intervalNanos, long idleNanos) {
        if (intervalNanos <= 0) {
            return 0;
        }
        return Math.min(1, Math.max(0, 1 - (double) idleNanos / intervalNanos));
    }
}
