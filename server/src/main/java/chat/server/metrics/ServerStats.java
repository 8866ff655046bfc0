package chat.server.metrics;

import chat.server.net.CloseReason;
import chat.server.net.ConnectionCensus;
import chat.server.net.ConnectionCensus.Dialect;
import chat.server.net.TrafficCounters;

/**
 * The server's figures at one moment: taken on the loop thread by {@link StatsRecorder}, then
 * never changed, so any thread may read it (Micrometer's gauges, the stats command, JMX). Counts
 * are since start; ratios and lags are over the interval since the previous snapshot.
 */
public final class ServerStats {

    /** When it was taken, loop clock (nanoseconds); and in wall-clock milliseconds, for its age. */
    private final long takenNanos;
    private final long takenMillis;
    private final long uptimeMillis;
    private final int[] connections;
    private final int[] users;
    private final int usersTotal;
    private final int rooms;
    private final long messages;
    /** The listeners' totals, made for this snapshot on the loop and never written after. */
    private final TrafficCounters traffic;
    private final long sendQueueBytes;
    private final long loopIterations;
    private final long loopIdleNanos;
    /** Share of the last interval the loop was busy (not waiting in select), 0 to 1. */
    private final double loopBusyRatio;
    /** How long the last probe task waited in the loop's task queue, nanoseconds; -1 when none ran. */
    private final long taskLagNanos;
    private final HistoryFigures history;

    /** What the history writer reports; {@link #NONE} when history is not written to disk. */
    public record HistoryFigures(long pending, long lagMillis, long dropped, long failed) {
        public static final HistoryFigures NONE = new HistoryFigures(0, 0, 0, 0);
    }

    ServerStats(long takenNanos, long takenMillis, long uptimeMillis, ConnectionCensus census, int usersTotal, int rooms,
            long messages, TrafficCounters traffic, long loopIterations, long loopIdleNanos, double loopBusyRatio,
            long taskLagNanos, HistoryFigures history) {
        this.takenNanos = takenNanos;
        this.takenMillis = takenMillis;
        this.uptimeMillis = uptimeMillis;
        int slots = Dialect.values().length * 2;
        this.connections = new int[slots];
        this.users = new int[slots];
        for (Dialect d : Dialect.values()) {
            for (int tls = 0; tls < 2; tls++) {
                connections[d.ordinal() * 2 + tls] = census.connections(d, tls == 1);
                users[d.ordinal() * 2 + tls] = census.users(d, tls == 1);
            }
        }
        this.usersTotal = usersTotal;
        this.rooms = rooms;
        this.messages = messages;
        this.traffic = traffic;
        this.sendQueueBytes = census.pendingBytes();
        this.loopIterations = loopIterations;
        this.loopIdleNanos = loopIdleNanos;
        this.loopBusyRatio = loopBusyRatio;
        this.taskLagNanos = taskLagNanos;
        this.history = history;
    }

    public long takenNanos() {
        return takenNanos;
    }

    public long takenMillis() {
        return takenMillis;
    }

    public long uptimeMillis() {
        return uptimeMillis;
    }

    public int connections(Dialect dialect, boolean tls) {
        return connections[dialect.ordinal() * 2 + (tls ? 1 : 0)];
    }

    public int connections() {
        int total = 0;
        for (int n : connections) {
            total += n;
        }
        return total;
    }

    /** Connections of {@code dialect} (TLS or not) with a chat user. */
    public int users(Dialect dialect, boolean tls) {
        return users[dialect.ordinal() * 2 + (tls ? 1 : 0)];
    }

    /** Users the chat core knows. */
    public int users() {
        return usersTotal;
    }

    public int rooms() {
        return rooms;
    }

    /** Messages said (room, private, multiline), each once. */
    public long messages() {
        return messages;
    }

    /**
     * What the connections did: bytes and lines in, lines queued (deliveries: a message to N
     * members counts N), bytes out and writes, flood pauses, accepts and refusals, closes by
     * reason. A total made for this snapshot, so any thread may read it.
     */
    public TrafficCounters traffic() {
        return traffic;
    }

    public long sendQueueBytes() {
        return sendQueueBytes;
    }

    public long loopIterations() {
        return loopIterations;
    }

    public long loopIdleNanos() {
        return loopIdleNanos;
    }

    public double loopBusyRatio() {
        return loopBusyRatio;
    }

    public long taskLagNanos() {
        return taskLagNanos;
    }

    public HistoryFigures history() {
        return history;
    }
}
