package chat.server.net;

/**
 * Flood control for one connection: {@code ratePerSecond} tokens a second, holding at most
 * {@code burst}. Each line takes one before it is handled. A line that finds the bucket empty is
 * not dropped: it waits, the connection stops reading until {@link #nanosUntilNextToken} has
 * passed, and TCP flow control slows the sender. A sender at or under the rate never waits.
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

    /**
     * Takes a token for one line if a whole one is there.
     *
     * @return true when the line may go now; false when it must wait (nothing was taken)
     */
    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
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
