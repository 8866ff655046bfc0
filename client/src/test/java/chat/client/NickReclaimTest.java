package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NickReclaimTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(1));
    private static final String TAKEN = "nickname \"Alice\" is taken";

    private static NickReclaim wanting(String nick) {
        NickReclaim reclaim = new NickReclaim(BACKOFF);
        reclaim.restart(nick);
        return reclaim;
    }

    @Test
    void retriesOurNickWithGrowingDelaysThenGivesUp() {
        NickReclaim reclaim = wanting("alice");
        Duration previous = Duration.ZERO;
        for (int attempt = 1; attempt <= NickReclaim.MAX_ATTEMPTS; attempt++) {
            NickReclaim.Decision.RetryAfter retry =
                    assertInstanceOf(NickReclaim.Decision.RetryAfter.class, reclaim.onError(TAKEN));
            assertEquals(attempt, retry.attempt());
            assertEquals("alice", retry.nick());
            if (attempt <= 3) {
                // 1-2 s, 2-4 s, 4-8 s: each range starts where the last one ended
                assertTrue(retry.delay().compareTo(previous) >= 0, retry.delay() + " after " + previous);
            }
            previous = retry.delay();
        }
        assertEquals(new NickReclaim.Decision.GiveUp("alice"), reclaim.onError(TAKEN));
        assertInstanceOf(NickReclaim.Decision.Ignore.class, reclaim.onError(TAKEN)); // given up for good
        assertNull(reclaim.pending("guest-1234"));
    }

    @Test
    void otherRefusalsAndOtherNicksAreNotOurs() {
        NickReclaim reclaim = wanting("alice");
        assertInstanceOf(NickReclaim.Decision.Ignore.class, reclaim.onError("nickname \"bob\" is taken"));
        assertInstanceOf(NickReclaim.Decision.Ignore.class, reclaim.onError("not in #dev"));
        assertInstanceOf(NickReclaim.Decision.Ignore.class, wanting(null).onError(TAKEN));
    }

    @Test
    void aRetryIsSentOnlyWhileStillWantedAndOfItsOwnConnection() {
        NickReclaim reclaim = wanting("alice");
        int generation = ((NickReclaim.Decision.RetryAfter) reclaim.onError(TAKEN)).generation();
        List<String> sent = new ArrayList<>();
        reclaim.askAgain(generation, "guest-1234", sent::add);
        assertEquals(List.of("alice"), sent);
        reclaim.askAgain(generation, "ALICE", sent::add); // ours already, in any case
        assertEquals(1, sent.size());

        reclaim.restart("alice"); // a new connection: retries scheduled for the last one are void
        reclaim.askAgain(generation, "guest-99", sent::add);
        assertEquals(1, sent.size());
        assertEquals("alice", reclaim.pending("guest-99")); // still aimed for by the next target
    }

    @Test
    void theUsersOwnNickEndsItAndIsSentLast() {
        NickReclaim reclaim = wanting("alice");
        int generation = ((NickReclaim.Decision.RetryAfter) reclaim.onError(TAKEN)).generation();
        List<String> sent = new ArrayList<>();
        reclaim.userChoseNick(() -> sent.add("carol"));
        reclaim.askAgain(generation, "guest-1234", sent::add);
        assertEquals(List.of("carol"), sent);
        assertNull(reclaim.pending("guest-1234"));
        assertInstanceOf(NickReclaim.Decision.Ignore.class, reclaim.onError(TAKEN));
    }

    @Test
    void aNickRefusedAsRegisteredIsNotAskedForAgainButLeftToALogin() {
        NickReclaim reclaim = wanting("alice");
        int generation = ((NickReclaim.Decision.RetryAfter) reclaim.onError(TAKEN)).generation();
        // The stale connection is gone at last, but the nick is an account's: waiting cannot help.
        assertEquals(new NickReclaim.Decision.Registered("alice"),
                reclaim.onError("nickname \"Alice\" is registered: /login Alice PASSWORD if it is yours"));
        List<String> sent = new ArrayList<>();
        reclaim.askAgain(generation, "guest-1234", sent::add);
        assertEquals(List.of(), sent);
        assertNull(reclaim.pending("guest-1234"));
        assertInstanceOf(NickReclaim.Decision.Ignore.class, reclaim.onError(TAKEN));
    }

    @Test
    void anotherRegisteredNickIsNotOurs() {
        NickReclaim reclaim = wanting("alice");
        assertInstanceOf(NickReclaim.Decision.Ignore.class,
                reclaim.onError("nickname \"bob\" is registered: /login bob PASSWORD if it is yours"));
        assertInstanceOf(NickReclaim.Decision.Ignore.class,
                wanting(null).onError("nickname \"alice\" is registered: /login alice PASSWORD if it is yours"));
        assertEquals("alice", reclaim.pending("guest-1"));
    }
}
