package chat.client;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * How long to wait before each reconnect attempt: exponential backoff with jitter.
 *
 * <p>Attempt {@code n} (from 0) waits a random time in {@code [c/2, c]}, where
 * {@code c = min(max, 2 * first * 2^n)}: with the defaults 1-2 s, then 2-4 s, 4-8 s, 8-16 s, and
 * from then on 15-30 s. The wait never drops below {@code first} nor exceeds {@code max}. The
 * randomness spreads out the clients that lost the same server at the same moment, so a restarted
 * server is not met by all of them in the same instant.
 *
 * <p>Immutable; thread-safe when its random source is.
 */
final class Backoff {

    /** Shortest wait, before the first attempt. */
    static final Duration FIRST = Duration.ofSeconds(1);
    /** Longest wait between two attempts. */
    static final Duration MAX = Duration.ofSeconds(30);

    /** Doublings after which the ceiling is past any sane {@code max}; keeps the shift from overflowing. */
    private static final int MAX_DOUBLINGS = 30;

    private final long firstMillis;
    private final long maxMillis;
    private final RandomGenerator random;

    Backoff(Duration first, Duration max, RandomGenerator random) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max, got " + first + " and " + max);
        }
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The defaults: 1 s up to 30 s. */
    static Backoff standard() {
        return new Backoff(FIRST, MAX, new SplittableRandom());
    }

    /** The wait before attempt {@code attempt}, counted from 0. */
    Duration delay(int attempt) {
        long ceiling = Math.min(maxMillis, (2 * firstMillis) << Math.min(Math.max(attempt, 0), MAX_DOUBLINGS));
        long floor = ceiling / 2;
        long wait = floor + (long) (random.nextDouble() * (ceiling - floor + 1));
        return Duration.ofMillis(Math.max(firstMillis, Math.min(maxMillis, wait)));
    }
}
