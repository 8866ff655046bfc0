package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The reconnect schedule, with the random source pinned. */
class BackoffTest {

    /** Always the lowest draw. */
    private static final RandomGenerator LOWEST = () -> 0L;
    /** Always the highest draw (nextDouble just under 1). */
    private static final RandomGenerator HIGHEST = () -> -1L;

    private static List<Long> seconds(Backoff backoff, int attempts) {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            waits.add(backoff.delay(i).toMillis());
        }
        return waits;
    }

    @Test
    void lowestDrawsDoubleFromOneSecondToHalfTheCap() {
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 15000L, 15000L, 15000L), seconds(standard(LOWEST), 7));
    }

    @Test
    void highestDrawsDoubleFromTwoSecondsToTheCap() {
        assertEquals(List.of(2000L, 4000L, 8000L, 16000L, 30000L, 30000L), seconds(standard(HIGHEST), 6));
    }

    @Test
    void everyWaitStaysWithinOneToThirtySecondsWithJitter() {
        Backoff backoff = standard(new SplittableRandom(1234));
        List<Long> firstWaits = new ArrayList<>();
        for (int run = 0; run < 200; run++) {
            for (int attempt : new int[] {0, 1, 3, 7, 40, 1_000, Integer.MAX_VALUE}) {
                Duration wait = backoff.delay(attempt);
                assertTrue(wait.compareTo(Backoff.FIRST) >= 0 && wait.compareTo(Backoff.MAX) <= 0, wait.toString());
            }
            firstWaits.add(backoff.delay(0).toMillis());
        }
        assertTrue(firstWaits.stream().distinct().count() > 50, "jitter spreads the first wait: " + firstWaits);
    }

    private static Backoff standard(RandomGenerator random) {
        return new Backoff(Backoff.FIRST, Backoff.MAX, random);
    }
}
