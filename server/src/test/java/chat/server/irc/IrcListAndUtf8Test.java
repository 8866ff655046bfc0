package chat.server.irc;

import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** LIST with the ELIST filters, and UTF8ONLY's refusal of other encodings. */
class IrcListAndUtf8Test {

    private final IrcHarness server = new IrcHarness();

    private Set<String> listed(Client client, String filter) {
        client.send("LIST " + filter);
        return client.take().stream().map(IrcMessage::parse).filter(m -> m.command().equals("322"))
                .map(m -> m.param(1)).collect(Collectors.toSet());
    }

    @Test
    void listFiltersByCreationTimeInMinutes() {
        Client alice = server.irc("alice");
        alice.send("JOIN #chan1");
        server.loop.advanceMillis(2 * 60_000 + 1_000);
        alice.send("JOIN #chan2");
        server.loop.advanceMillis(60_000);
        server.settle();

        assertThat(listed(alice, "C>2")).containsExactly("#chan1");
        assertThat(listed(alice, "C<2")).containsExactly("#chan2");
        assertThat(listed(alice, "C<0")).isEmpty();
        assertThat(listed(alice, "C>0")).containsExactlyInAnyOrder("#chan1", "#chan2");
        assertThat(listed(alice, "C<10")).containsExactlyInAnyOrder("#chan1", "#chan2");
        assertThat(listed(alice, "C<10,*2")).containsExactly("#chan2");
        assertThat(listed(alice, "C<x")).as("not a number").isEmpty();
    }

    @Test
    void listFiltersByTopicTimeAndAChannelWithoutATopicPassesNeither() {
        Client alice = server.irc("alice");
        alice.send("JOIN #chan1", "JOIN #chan2", "JOIN #quiet", "TOPIC #chan1 :First channel");
        server.loop.advanceMillis(2 * 60_000 + 1_000);
        alice.send("TOPIC #chan2 :Second channel");
        server.loop.advanceMillis(60_000);
        server.settle();

        assertThat(listed(alice, "T>2")).containsExactly("#chan1");
        assertThat(listed(alice, "T<2")).containsExactly("#chan2");
        assertThat(listed(alice, "T<0")).isEmpty();
        assertThat(listed(alice, "T>0")).containsExactlyInAnyOrder("#chan1", "#chan2");
        assertThat(listed(alice, "T<10")).containsExactlyInAnyOrder("#chan1", "#chan2");
        assertThat(listed(alice, "")).contains("#quiet");
    }

    @Test
    void listFiltersByMaskByNonMatchingMaskAndByMembers() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #chan1", "JOIN #chan2");
        bob.send("JOIN #chan2");
        Client carol = server.irc("carol");
        server.settle();

        assertThat(listed(carol, "*an1")).containsExactly("#chan1");
        assertThat(listed(carol, "#ch*")).containsExactlyInAnyOrder("#chan1", "#chan2");
        assertThat(listed(carol, "!*an1")).containsExactly("#chan2");
        assertThat(listed(carol, ">1")).containsExactly("#chan2");
        assertThat(listed(carol, "<2")).containsExactly("#chan1");
        assertThat(listed(carol, "#c*,>1")).containsExactly("#chan2");
        assertThat(listed(carol, "#nonexistent")).isEmpty();
        assertThat(listed(carol, ">x")).as("a filter that is not a number matches nothing").isEmpty();
    }

    @Test
    void invalidUtf8GetsFailWithTheCommand() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.sendRaw("PRIVMSG bob :hi\u00aa\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(alice.take()).containsExactly(server("FAIL PRIVMSG INVALID_UTF8 :Message rejected: this server takes UTF-8 only"));
        assertThat(bob.take()).isEmpty();
        alice.send("PRIVMSG bob :café");
        assertThat(bob.take()).singleElement().asString().endsWith(" PRIVMSG bob :café");
    }
}
