package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Token arithmetic with a hand-driven clock. */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aFullBucketAllowsTheBurstThenMakesTheNextLineWait() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue(); // the burst: three lines at once
        assertThat(bucket.tryTake(0)).isFalse(); // the fourth waits
        assertThat(bucket.hasToken(0)).isFalse();
        assertThat(bucket.nanosUntilNextToken(0)).isEqualTo(SECOND / 10);
    }

    @Test
    void aRefusedTakeTakesNothing() {
        TokenBucket bucket = new TokenBucket(10, 1, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(SECOND / 20)).isFalse(); // half a token: no debt piles up
        }
        assertThat(bucket.tryTake(SECOND / 10)).isTrue();
    }

    @Test
    void tokensComeBackAtTheRateAndNeverPastTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
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
        TokenBucket bucket = new TokenBucket(10, 1, 0);
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
        TokenBucket bucket = new TokenBucket(10, 5, 0);
        int refused = 0;
        for (int i = 0; i < 100; i++) {
            if (!bucket.tryTake(i * SECOND / 11)) {
                refused++;
            }
        }
        assertThat(refused).isBetween(1, 20);
    }
}
