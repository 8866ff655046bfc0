package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Token arithmetic with a hand-driven clock. */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** One connection's bucket, as InputFlow keeps it: one number. */
    private static final class Bucket {
        final double rate;
        final int burst;
        long fullAt;

        Bucket(double rate, int burst, long now) {
            this.rate = rate;
            this.burst = burst;
            this.fullAt = TokenBucket.full(now);
        }

        boolean tryTake(long now) {
            if (!TokenBucket.hasToken(fullAt, now, rate, burst)) {
                return false;
            }
            fullAt = TokenBucket.take(fullAt, now, rate);
            return true;
        }

        boolean hasToken(long now) {
            return TokenBucket.hasToken(fullAt, now, rate, burst);
        }

        long nanosUntilNextToken(long now) {
            return TokenBucket.nanosUntilNextToken(fullAt, now, rate, burst);
        }
    }

    @Test
    void aFullBucketAllowsTheBurstThenMakesTheNextLineWait() {
        Bucket bucket = new Bucket(10, 3, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue(); // the burst: three lines at once
        assertThat(bucket.tryTake(0)).isFalse(); // the fourth waits
        assertThat(bucket.hasToken(0)).isFalse();
        assertThat(bucket.nanosUntilNextToken(0)).isEqualTo(SECOND / 10);
        assertThat(bucket.nanosUntilNextToken(SECOND / 10)).isZero();
    }

    @Test
    void aRefusedTakeTakesNothing() {
        Bucket bucket = new Bucket(10, 1, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(SECOND / 20)).isFalse(); // half a token: no debt piles up
        }
        assertThat(bucket.tryTake(SECOND / 10)).isTrue();
    }

    @Test
    void tokensComeBackAtTheRateAndNeverPastTheBurst() {
        Bucket bucket = new Bucket(10, 3, 0);
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake(0)).isTrue();
        }
        assertThat(bucket.hasToken(SECOND / 10 - 1)).isFalse();
        assertThat(bucket.hasToken(SECOND / 10)).isTrue();
        long muchLater = 100 * SECOND;
        assertThat(bucket.tryTake(muchLater)).isTrue();
        assertThat(bucket.tryTake(muchLater)).isTrue();
        assertThat(bucket.tryTake(muchLater)).isTrue();
        assertThat(bucket.tryTake(muchLater)).isFalse(); // refilled to 3, not to 1,000
    }

    @Test
    void aSteadySenderAtTheRateIsNeverMadeToWait() {
        Bucket bucket = new Bucket(10, 1, 0);
        int refused = 0;
        for (int i = 0; i < 100; i++) {
            if (!bucket.tryTake(i * SECOND / 10)) {
                refused++;
            }
        }
        assertThat(refused).isZero();
    }

    @Test
    void aSenderJustOverTheRateWaitsOnceTheBurstIsSpent() {
        Bucket bucket = new Bucket(10, 5, 0);
        int refused = 0;
        for (int i = 0; i < 100; i++) {
            if (!bucket.tryTake(i * SECOND / 11)) {
                refused++;
            }
        }
        assertThat(refused).isBetween(1, 20);
    }

    @Test
    void worksOnAClockThatIsNegative() {
        // System.nanoTime may be any value, negative included: only differences count.
        long start = -5 * SECOND;
        Bucket bucket = new Bucket(10, 2, start);
        assertThat(bucket.tryTake(start)).isTrue();
        assertThat(bucket.tryTake(start)).isTrue();
        assertThat(bucket.tryTake(start)).isFalse();
        assertThat(bucket.tryTake(start + SECOND / 10)).isTrue();
    }
}
