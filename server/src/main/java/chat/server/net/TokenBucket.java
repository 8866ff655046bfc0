package chat.server.net;

/**
 * Flood control for one connection: {@code rate} tokens a second, holding at most {@code burst}.
 * Each line takes one before it is handled. A line that finds the bucket empty is not dropped: it
 * waits, the connection stops reading until {@link #nanosUntilNextToken} has passed, and TCP flow
 * control slows the sender. A sender at or under the rate never waits.
 *
 * <p>Kept as the generic cell rate algorithm's one number, the time at which the bucket would be
 * full again ({@code fullAt}; the bucket is full whenever it lies in the past), rather than as a
 * count of tokens and the time of the last refill: a connection holds one {@code long} instead of
 * an object of its own, and the rate and burst are read from the limits at each line, so a reload
 * applies to every connection at once. Taking a token moves {@code fullAt} one token's interval
 * later; a token is there while {@code fullAt} is at most {@code burst - 1} intervals ahead.
 *
 * <p>Time is passed in (System.nanoTime values), so the arithmetic is testable without a clock.
 */
final class TokenBucket {

    private TokenBucket() {
    }

    /** A full bucket, from {@code nowNanos} on. */
    static long full(long nowNanos) {
        return nowNanos;
    }

    /** Nanoseconds for one token to come back. */
    private static long interval(double ratePerSecond) {
        return Math.max(1, Math.round(1e9 / ratePerSecond));
    }

    /** How far ahead of now {@code fullAt} may be while a whole token is still there. */
    private static long tolerance(double ratePerSecond, int burst) {
        return (burst - 1) * interval(ratePerSecond);
    }

    /** True when at least one whole token is available. */
    static boolean hasToken(long fullAt, long nowNanos, double ratePerSecond, int burst) {
        return fullAt - nowNanos <= tolerance(ratePerSecond, burst);
    }

    /** The bucket after one token is taken; call only when {@link #hasToken}. */
    static long take(long fullAt, long nowNanos, double ratePerSecond) {
        return Math.max(fullAt, nowNanos) + interval(ratePerSecond);
    }

    /** How long until a whole token is available; 0 if one is. */
    static long nanosUntilNextToken(long fullAt, long nowNanos, double ratePerSecond, int burst) {
        return Math.max(0, fullAt - tolerance(ratePerSecond, burst) - nowNanos);
    }
}
