package chat.server.net;

/**
 * The open connections counted by what they speak, whether over TLS, and whether they have a chat
 * user yet; and the bytes queued for them. Filled by a walk over the connections (on the loop,
 * about once a second), so that opening and closing a connection costs nothing extra.
 *
 * <p>Mutable, loop thread only; its figures are copied into the metrics snapshot.
 */
public final class ConnectionCensus {

    /** What a connection speaks, as far as the census tells them apart. */
    public enum Dialect {
        NATIVE, IRC,
        /** HTTP requests for the web client, before any upgrade. */
        HTTP,
        /** IRC over a WebSocket: the web client, and other web IRC clients. */
        WEBSOCKET,
        /** Not decided yet (the first bytes have not come), or refused (plaintext on a TLS-only port). */
        OTHER;

        /** What a connection detected as {@code detected} is counted as. */
        static Dialect of(DetectedProtocol detected) {
            return switch (detected) {
                case NATIVE -> NATIVE;
                case IRC -> IRC;
                case HTTP -> HTTP;
                case TLS -> OTHER;
            };
        }

        /** Whether connections speaking it can have a chat user. */
        public boolean hasUsers() {
            return this != HTTP && this != OTHER;
        }

        /** The name in metric labels and in the stats command. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int[] connections = new int[Dialect.values().length * 2];
    private final int[] users = new int[Dialect.values().length * 2];
    private long pendingBytes;

    /** Counts one connection. */
    void count(Dialect dialect, boolean tls, boolean user, long pending) {
        int slot = slot(dialect, tls);
        connections[slot]++;
        if (user) {
            users[slot]++;
        }
        pendingBytes += pending;
    }

    private static int slot(Dialect dialect, boolean tls) {
        return dialect.ordinal() * 2 + (tls ? 1 : 0);
    }

    /** Open connections speaking {@code dialect}, over TLS or not. */
    public int connections(Dialect dialect, boolean tls) {
        return connections[slot(dialect, tls)];
    }

    /** Connections speaking {@code dialect}, over TLS or not, that have a chat user. */
    public int users(Dialect dialect, boolean tls) {
        return users[slot(dialect, tls)];
    }

    public int connections() {
        int total = 0;
        for (int n : connections) {
            total += n;
        }
        return total;
    }

    public int users() {
        int total = 0;
        for (int n : users) {
            total += n;
        }
        return total;
    }

    /** Bytes queued for all counted connections and not yet written. */
    public long pendingBytes() {
        return pendingBytes;
    }
}
