package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's PINGs to silent IRC clients, on harness time. */
class IrcPingTest {

    private static final int INTERVAL_SECONDS = 60;
    private final IrcHarness server = new IrcHarness(List.of(), null, INTERVAL_SECONDS);

    @Test
    void aSilentClientIsPingedAfterTheIntervalAndLetGoAfterAnother() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #a");
        bob.send("JOIN #a");
        server.settle();
        alice.take();

        server.loop.advanceMillis(INTERVAL_SECONDS * 1000L);
        assertThat(bob.take()).containsExactly("PING :irc.test");
        assertThat(alice.take()).containsExactly("PING :irc.test");
        alice.send("PONG :irc.test"); // alice answers, bob does not

        server.loop.advanceMillis(INTERVAL_SECONDS * 1000L);
        assertThat(bob.take()).containsExactly("ERROR :Closing link: Ping timeout: 120 seconds");
        assertThat(alice.take()).anyMatch(l -> l.endsWith(" QUIT :Ping timeout: 120 seconds")
                && l.startsWith(":" + IrcHarness.ircPrefix("bob")));
    }

    @Test
    void aClientThatAnswersIsPingedAgainButNeverLetGo() {
        Client alice = server.irc("alice");
        for (int round = 0; round < 5; round++) {
            server.loop.advanceMillis(INTERVAL_SECONDS * 1000L);
            assertThat(alice.take()).containsExactly("PING :irc.test");
            alice.send("PONG :irc.test");
        }
        assertThat(server.core.user("alice")).isNotNull();
    }

    @Test
    void aClientThatTalksIsNeverPinged() {
        Client alice = server.irc("alice");
        for (int round = 0; round < 5; round++) {
            server.loop.advanceMillis(INTERVAL_SECONDS * 1000L / 2);
            alice.send("LUSERS");
            alice.take();
        }
        server.loop.advanceMillis(INTERVAL_SECONDS * 1000L / 2);
        assertThat(alice.take()).isEmpty();
    }
}
