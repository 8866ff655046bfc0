package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NickReclaimTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(1));
    private static final String TAKEN = "nickname \"Alice\" is taken";

    @Test
    void retriesOurNickWithGrowingDelaysThenGivesUp() {
        NickReclaim reclaim = new NickReclaim("alice", BACKOFF);
        Duration previous = Duration.ZERO;
        for (int attempt = 1; attempt <= NickReclaim.MAX_ATTEMPTS; attempt++) {
            NickReclaim.Decision.RetryAfter retry =
                    assertInstanceOf(NickReclaim.Decision.RetryAfter.class, reclaim.onError(TAKEN));
            assertEquals(attempt, retry.attempt());
            assertEquals("alice", retry.nick());
            if (attempt <= 3) {
                // 1-2 s, 2-4 s, 4-8 s: each range starts where the last one ended
                assertEquals(true, retry.delay().compareTo(previous) >= 0, retry.delay() + " after " + previous);
            }
            previous = retry.delay();
        }
        assertEquals(new NickReclaim.Decision.GiveUp("alice"), reclaim.onError(TAKEN));
        assertInstanceOf(NickReclaim.Decision.Ignore.class, reclaim.onError(TAKEN)); // given up for good
        assertNull(reclaim.nickToAskFor("guest-1234"));
    }

    @Test
    void otherRefusalsAndOtherNicksAreNotOurs() {
        NickReclaim reclaim = new NickReclaim("alice", BACKOFF);
        assertInstanceOf(NickReclaim.Decision.Ignore.class, reclaim.onError("nickname \"bob\" is taken"));
        assertInstanceOf(NickReclaim.Decision.Ignore.class, reclaim.onError("not in #dev"));
        assertInstanceOf(NickReclaim.Decision.Ignore.class, new NickReclaim(null, BACKOFF).onError(TAKEN));
    }

    @Test
    void stopsOnceTheNickIsOursOrTheUserChoseAnother() {
        NickReclaim reclaim = new NickReclaim("alice", BACKOFF);
        reclaim.onError(TAKEN);
        assertEquals("alice", reclaim.nickToAskFor("guest-1234"));
        assertNull(reclaim.nickToAskFor("ALICE")); // ours already, in any case
        reclaim.userChoseNick();
        assertNull(reclaim.nickToAskFor("guest-1234"));
        assertInstanceOf(NickReclaim.Decision.Ignore.class, reclaim.onError(TAKEN));
    }
}
