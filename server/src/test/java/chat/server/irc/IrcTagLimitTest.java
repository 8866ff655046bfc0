package chat.server.irc;

import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import org.junit.jupiter.api.Test;

/** A client's tags may take 4,096 bytes, the '@' and the space after them included (IRCv3). */
class IrcTagLimitTest {

    private final IrcHarness server = new IrcHarness();

    @Test
    void tagsUpToTheLimitAreRelayedAndOneByteMoreIs417() {
        Client alice = server.irc("alice", "message-tags");
        Client bob = server.irc("bob", "message-tags");
        alice.send("JOIN #t");
        bob.send("JOIN #t");
        server.settle();

        String atLimit = "@foo=bar;+baz=" + "a".repeat(4081) + " TAGMSG #t";
        assertThat(atLimit.indexOf("TAGMSG")).isEqualTo(4096);
        alice.send(atLimit);
        assertThat(alice.take()).isEmpty();
        assertThat(bob.take()).singleElement().satisfies(line -> {
            IrcMessage relayed = IrcMessage.parse(line);
            assertThat(relayed.command()).isEqualTo("TAGMSG");
            assertThat(relayed.tags()).containsEntry("+baz", "a".repeat(4081)).doesNotContainKey("foo");
        });

        alice.send("@foo=bar;+baz=" + "a".repeat(4082) + " TAGMSG #t");
        assertThat(alice.take()).containsExactly(server("417 alice :Input line was too long"));
        assertThat(bob.take()).isEmpty();
    }
}
