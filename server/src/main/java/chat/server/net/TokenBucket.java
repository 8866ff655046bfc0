package chat.server.net;

/**
 * Flood control for one connection: {@code ratePerSecond} tokens a second, holding at most
 * {@code burst}. Each line takes one. An empty bucket does not drop anything: the connection
 * stops reading until {@link #nanosUntilNextToken} has passed, and TCP flow control slows the
 * sender.
 *
 * <p>Time is passed in (System.nanoTime values), so the arithmetic is testable without a clock.
 * Not thread-safe: owned by its connection on the event-loop thread.
 */
final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastRefillNanos;

    TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
    }

    /** Takes one token, even the last one; returns whether any is left for the next line. */
    boolean take(long nowNanos) {
        refill(nowNanos);
        tokens -= 1;
        return tokens >= 1;
    }

    /** True when at least one whole token is available. */
    boolean hasToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1;
    }

    /** How long until a whole token is available; 0 if one is. */
    long nanosUntilNextToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / ratePerNano);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            lastRefillNanos = nowNanos;
        }
    }
}
