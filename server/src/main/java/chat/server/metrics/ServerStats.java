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
    private final long bytesIn;
    private final long linesIn;
    private final long deliveries;
    private final long bytesOut;
    private final long writes;
    private final long floodPauses;
    private final long accepted;
    private final long refused;
    private final long[] closed;
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
        this.bytesIn = traffic.bytesIn();
        this.linesIn = traffic.linesIn();
        this.deliveries = traffic.linesQueued();
        this.bytesOut = traffic.bytesOut();
        this.writes = traffic.writes();
        this.floodPauses = traffic.floodPauses();
        this.accepted = traffic.accepted();
        this.refused = traffic.refused();
        this.closed = new long[CloseReason.values().length];
        for (CloseReason reason : CloseReason.values()) {
            closed[reason.ordinal()] = traffic.closed(reason);
        }
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

    public long bytesIn() {
        return bytesIn;
    }

    public long linesIn() {
        return linesIn;
    }

    /** Lines queued to clients: a message to N members counts N. */
    public long deliveries() {
        return deliveries;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public long writes() {
        return writes;
    }

    public long floodPauses() {
        return floodPauses;
    }

    public long accepted() {
        return accepted;
    }

    public long refused() {
        return refused;
    }

    public long disconnects(CloseReason reason) {
        return closed[reason.ordinal()];
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
