package chat.bench;

/**
 * When each message of an open-loop, evenly paced run is due: message {@code k} (from 0) is due
 * at {@code start + k * 1e9 / rate} nanoseconds, whatever happened to earlier messages, so a slow
 * server cannot slow the senders down and hide its own latency (no coordinated omission).
 *
 * <p>Computed from {@code k} each time rather than by adding an interval, so rounding never
 * accumulates into drift. Messages go to senders round-robin ({@code k mod senders}), so each
 * sender sends at {@code rate / senders} and the senders interleave evenly.
 *
 * <p>Immutable and thread-safe.
 */
public final class PacingSchedule {

    private final long startNanos;
    /** Messages per second, all senders together. */
    private final long ratePerSecond;
    private final int senders;

    public PacingSchedule(long startNanos, long ratePerSecond, int senders) {
        if (ratePerSecond < 1 || ratePerSecond > 1_000_000_000L) {
            throw new IllegalArgumentException("rate must be 1 to 1e9 messages/s, not " + ratePerSecond);
        }
        if (senders < 1) {
            throw new IllegalArgumentException("need at least one sender, not " + senders);
        }
        this.startNanos = startNanos;
        this.ratePerSecond = ratePerSecond;
        this.senders = senders;
    }

    /** When message {@code k} is due, on the {@code System.nanoTime()} clock. */
    public long dueNanos(long k) {
        // k * 1e9 overflows a long past ~9.2e9 messages; split it to stay exact beyond that.
        long whole = k / ratePerSecond;
        long rest = k % ratePerSecond;
        return startNanos + whole * 1_000_000_000L + rest * 1_000_000_000L / ratePerSecond;
    }

    /** The sender that sends message {@code k}. */
    public int senderOf(long k) {
        return (int) (k % senders);
    }

    /** How many messages are due at or before {@code nowNanos}: the first not yet due. */
    public long dueCount(long nowNanos) {
        long elapsed = nowNanos - startNanos;
        if (elapsed < 0) {
            return 0;
        }
        // Message k is due once floor(k * 1e9 / rate) <= elapsed, that is k * 1e9 < (elapsed + 1) * rate:
        // ceil((elapsed + 1) * rate / 1e9) messages, split in two so the product cannot overflow.
        long whole = (elapsed + 1) / 1_000_000_000L;
        long rest = (elapsed + 1) % 1_000_000_000L;
        return whole * ratePerSecond + (rest * ratePerSecond + 999_999_999L) / 1_000_000_000L;
    }

    public long ratePerSecond() {
        return ratePerSecond;
    }

    public long startNanos() {
        return startNanos;
    }
}
