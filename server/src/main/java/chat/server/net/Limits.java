package chat.server.net;

/**
 * The bounds the transport enforces, each with its unit; 0 means "no limit" where noted.
 * Defaults and what a client sees when it hits each one: docs/operations.md.
 *
 * @param maxLineBytes longest line accepted, in bytes on the wire, LF/CR excluded (at least 1)
 * @param maxPendingBytes hard cap on bytes queued for one client; over it, it is disconnected
 *     (0: none)
 * @param softPendingBytes soft cap on bytes queued for one client; staying over it for
 *     {@code softPendingSeconds} disconnects (0: none)
 * @param softPendingSeconds grace period over the soft cap, in seconds
 * @param floodRate lines per second a client may send before reading from it pauses (0: none)
 * @param floodBurst lines a client may send at once before the rate applies
 * @param maxClients most connections at once (0: none)
 * @param maxPerAddress most connections at once from one IP address (0: none)
 * @param idleTimeoutSeconds a client that sends nothing for this long is disconnected (0: never)
 */
public record Limits(
        int maxLineBytes,
        long maxPendingBytes,
        long softPendingBytes,
        int softPendingSeconds,
        double floodRate,
        int floodBurst,
        int maxClients,
        int maxPerAddress,
        int idleTimeoutSeconds) {

    public static final int DEFAULT_MAX_LINE_BYTES = 4096;
    public static final long DEFAULT_MAX_PENDING_BYTES = 1024 * 1024;
    public static final long DEFAULT_SOFT_PENDING_BYTES = 256 * 1024;
    public static final int DEFAULT_SOFT_PENDING_SECONDS = 10;
    public static final double DEFAULT_FLOOD_RATE = 10;
    public static final int DEFAULT_FLOOD_BURST = 20;
    public static final int DEFAULT_MAX_CLIENTS = 10_000;
    public static final int DEFAULT_MAX_PER_ADDRESS = 64;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 0;

    public Limits {
        if (maxLineBytes < 1 || maxLineBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("max line must be 1 byte to 64 MiB, not " + maxLineBytes);
        }
        if (maxPendingBytes < 0 || softPendingBytes < 0 || softPendingSeconds < 0 || floodRate < 0
                || floodBurst < 0 || maxClients < 0 || maxPerAddress < 0 || idleTimeoutSeconds < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (floodRate > 0 && floodBurst < 1) {
            throw new IllegalArgumentException("flood burst must be at least 1 when a flood rate is set");
        }
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_PENDING_BYTES, DEFAULT_SOFT_PENDING_BYTES,
                DEFAULT_SOFT_PENDING_SECONDS, DEFAULT_FLOOD_RATE, DEFAULT_FLOOD_BURST, DEFAULT_MAX_CLIENTS,
                DEFAULT_MAX_PER_ADDRESS, DEFAULT_IDLE_TIMEOUT_SECONDS);
    }

    /** Every limit that would throttle a load test switched off; the line length stays. */
    public static Limits unlimited() {
        return new Limits(DEFAULT_MAX_LINE_BYTES, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public Limits withMaxLineBytes(int bytes) {
        return new Limits(bytes, maxPendingBytes, softPendingBytes, softPendingSeconds, floodRate, floodBurst,
                maxClients, maxPerAddress, idleTimeoutSeconds);
    }

    public Limits withPending(long maxBytes, long softBytes, int softSeconds) {
        return new Limits(maxLineBytes, maxBytes, softBytes, softSeconds, floodRate, floodBurst,
                maxClients, maxPerAddress, idleTimeoutSeconds);
    }

    public Limits withFlood(double rate, int burst) {
        return new Limits(maxLineBytes, maxPendingBytes, softPendingBytes, softPendingSeconds, rate, burst,
                maxClients, maxPerAddress, idleTimeoutSeconds);
    }

    public Limits withConnections(int clients, int perAddress) {
        return new Limits(maxLineBytes, maxPendingBytes, softPendingBytes, softPendingSeconds, floodRate,
                floodBurst, clients, perAddress, idleTimeoutSeconds);
    }

    public Limits withIdleTimeout(int seconds) {
        return new Limits(maxLineBytes, maxPendingBytes, softPendingBytes, softPendingSeconds, floodRate,
                floodBurst, maxClients, maxPerAddress, seconds);
    }
}
