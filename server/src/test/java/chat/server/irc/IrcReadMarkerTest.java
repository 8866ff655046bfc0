package chat.server.irc;

import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.core.ChatCore;
import chat.server.irc.IrcHarness.Client;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MARKREAD (draft/read-marker): markers only move forward, and come with every JOIN. */
class IrcReadMarkerTest {

    private static final String CAP = "draft/read-marker";

    private final IrcHarness server = new IrcHarness();

    @Test
    void aMarkerIsStarUntilSetThenItsTimeAndItNeverGoesBack() {
        Client alice = server.irc("alice", CAP);
        alice.send("MARKREAD #nowhere");
        assertThat(alice.take()).containsExactly(server("MARKREAD #nowhere *"));
        alice.send("MARKREAD bob timestamp=2019-06-01T12:00:00.000Z");
        assertThat(alice.take()).containsExactly(server("MARKREAD bob timestamp=2019-06-01T12:00:00.000Z"));
        alice.send("MARKREAD BOB timestamp=2019-01-01T00:00:00.000Z");
        assertThat(alice.take()).as("older: the stored one is the answer")
                .containsExactly(server("MARKREAD BOB timestamp=2019-06-01T12:00:00.000Z"));
        alice.send("MARKREAD bob timestamp=2020-01-01T00:00:00Z");
        assertThat(alice.take()).containsExactly(server("MARKREAD bob timestamp=2020-01-01T00:00:00.000Z"));
    }

    @Test
    void badRequestsGetFail() {
        Client alice = server.irc("alice", CAP);
        alice.send("MARKREAD", "MARKREAD #a timestamp=not-a-time", "MARKREAD #a *", "MARKREAD #a 2019-01-01T00:00:00Z");
        assertThat(alice.take()).extracting(l -> String.join(" ", IrcMessage.parse(l).params().subList(0, 2)))
                .containsExactly("MARKREAD NEED_MORE_PARAMS", "MARKREAD INVALID_PARAMS", "MARKREAD INVALID_PARAMS",
                        "MARKREAD INVALID_PARAMS");
    }

    @Test
    void aJoinTellsTheMarkerBeforeTheEndOfNamesToClientsThatAskedForIt() {
        Client alice = server.irc("alice", CAP);
        alice.send("JOIN #test");
        List<String> joined = alice.take();
        assertThat(joined.stream().map(IrcHarness::commandOf).toList()).containsSubsequence("353", "MARKREAD", "366");
        assertThat(joined).contains(server("MARKREAD #test *"));

        alice.send("MARKREAD #test timestamp=2020-03-15T10:00:00.000Z", "PART #test");
        alice.take();
        alice.send("JOIN #Test");
        assertThat(alice.take()).contains(server("MARKREAD #Test timestamp=2020-03-15T10:00:00.000Z"));

        Client plain = server.irc("plain");
        plain.send("JOIN #test");
        assertThat(plain.take()).noneMatch(l -> l.contains("MARKREAD"));
    }

    @Test
    void markersPerUserAreBoundedForgettingTheOldest() {
        Client alice = server.irc("alice", CAP);
        for (int i = 0; i <= ChatCore.MAX_READ_MARKERS; i++) {
            server.core.markRead(server.core.user("alice"), "nick" + i, 1_000L + i);
        }
        alice.send("MARKREAD nick0", "MARKREAD nick1");
        assertThat(alice.take()).containsExactly(server("MARKREAD nick0 *"),
                server("MARKREAD nick1 timestamp=1970-01-01T00:00:01.001Z"));
    }
}
