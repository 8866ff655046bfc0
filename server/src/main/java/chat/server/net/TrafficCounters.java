package chat.server.net;

/**
 * What the connections of one {@link TcpServer} did since it started: plain {@code long} fields
 * that only the loop thread writes, each bumped once per read, line, queued line, write or close,
 * never per byte copied. Nothing here is volatile or atomic: a delivery to a large room costs one
 * increment of a field that stays in the loop core's cache. Other threads never read these
 * fields; they read a copy taken on the loop (the metrics snapshot).
 *
 * <p>The figures are counted whether or not metrics are exported: the operators' stats command
 * shows them too, and a branch to skip an increment would cost as much as the increment.
 *
 * <p>Loop thread only, but for a total made by {@link #addTo} for a snapshot: written once on the
 * loop, then published and only read.
 */
public final class TrafficCounters {

    /** Bytes read from clients (after TLS: the plaintext). */
    long bytesIn;
    /** Lines (frames) received from clients and handed to their dialect. */
    long linesIn;
    /** Lines queued to clients: a message to a room of N members counts N. */
    long linesQueued;
    /** Bytes handed to client transports (before TLS: the plaintext). */
    long bytesOut;
    /** Flushes that wrote something: about one per client per loop iteration it had output. */
    long writes;
    /** Times reading from a client was paused by flood control. */
    long floodPauses;
    /** Connections accepted. */
    long accepted;
    /** Connections refused at accept time by a connection-count limit. */
    long refused;
    /** Closed connections, by {@link CloseReason#ordinal()}. */
    final long[] closed = new long[CloseReason.values().length];

    public long bytesIn() {
        return bytesIn;
    }

    public long linesIn() {
        return linesIn;
    }

    public long linesQueued() {
        return linesQueued;
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

    /** Connections closed for {@code reason}. */
    public long closed(CloseReason reason) {
        return closed[reason.ordinal()];
    }

    /** Adds this listener's figures to {@code total}'s, for a server with several listeners. */
    public void addTo(TrafficCounters total) {
        total.bytesIn += bytesIn;
        total.linesIn += linesIn;
        total.linesQueued += linesQueued;
        total.bytesOut += bytesOut;
        total.writes += writes;
        total.floodPauses += floodPauses;
        total.accepted += accepted;
        total.refused += refused;
        for (int i = 0; i < closed.length; i++) {
            total.closed[i] += closed[i];
        }
    }
}
