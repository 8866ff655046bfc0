package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Token arithmetic with a hand-driven clock. */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aFullBucketAllowsTheBurstThenPauses() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        assertThat(bucket.take(0)).isTrue();
        assertThat(bucket.take(0)).isTrue();
        assertThat(bucket.take(0)).isFalse(); // third line delivered, none left for a fourth
        assertThat(bucket.hasToken(0)).isFalse();
        assertThat(bucket.nanosUntilNextToken(0)).isEqualTo(SECOND / 10);
    }

    @Test
    void tokensComeBackAtTheRateAndNeverPastTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        bucket.take(0);
        bucket.take(0);
        bucket.take(0);
        assertThat(bucket.hasToken(SECOND / 10 - 1)).isFalse();
        assertThat(bucket.hasToken(SECOND / 10)).isTrue();
        long muchLater = 100 * SECOND;
        assertThat(bucket.take(muchLater)).isTrue();
        assertThat(bucket.take(muchLater)).isTrue();
        assertThat(bucket.take(muchLater)).isFalse(); // refilled to 3, not to 1,000
    }

    @Test
    void aSteadySenderAtTheRateIsNeverPaused() {
        TokenBucket bucket = new TokenBucket(10, 1, 0);
        for (int i = 1; i <= 100; i++) {
            long now = i * SECOND / 10;
            assertThat(bucket.hasToken(now)).isTrue();
            bucket.take(now);
        }
    }
}
