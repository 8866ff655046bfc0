package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.history.HistoryOptions;
import chat.server.irc.IrcHarness.Client;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** REDACT: who may withdraw which message, who is told, and that history forgets it. */
class IrcRedactTest {

    private static final String[] CAPS = {"message-tags", "echo-message", "batch", "draft/chathistory",
            "draft/message-redaction"};

    private final IrcHarness server = IrcHarness.withHistory(HistoryOptions.inMemory());
    private Client alice;
    private Client bob;

    @BeforeEach
    void aliceOperatesAChannelBobIsIn() {
        alice = server.irc("alice", CAPS);
        alice.send("JOIN #chan");
        bob = server.irc("bob", CAPS);
        bob.send("JOIN #chan");
        server.settle();
    }

    @Test
    void anAuthorWithdrawsItsMessageAndEveryMemberWithTheCapabilityIsTold() {
        Client plain = server.irc("plain", "message-tags");
        plain.send("JOIN #chan");
        server.settle();
        String msgid = said(bob, "oops");
        bob.send("REDACT #chan " + msgid + " :typo");
        String redact = ":bob!~bob@127.0.0.1 REDACT #chan " + msgid + " :typo";
        assertThat(bob.take()).containsExactly(redact);
        assertThat(alice.take()).containsExactly(redact);
        assertThat(plain.take()).isEmpty();

        bob.send("CHATHISTORY LATEST #chan * 10");
        assertThat(bob.take()).noneMatch(l -> l.contains("PRIVMSG"));
    }

    @Test
    void anOperatorWithdrawsAnyonesButAMemberOnlyItsOwn() {
        String alices = said(alice, "from the operator");
        bob.send("REDACT #chan " + alices);
        assertThat(bob.take()).containsExactly(
                ":" + IrcHarness.SERVER + " FAIL REDACT REDACT_FORBIDDEN #chan " + alices + " :You are not allowed to redact this message");
        assertThat(alice.take()).isEmpty();

        String bobs = said(bob, "spam");
        alice.send("REDACT #chan " + bobs + " :spam");
        assertThat(bob.take()).containsExactly(":alice!~alice@127.0.0.1 REDACT #chan " + bobs + " :spam");
    }

    @Test
    void unknownIdsAndChannelsOneIsNotInAreRefused() {
        alice.send("REDACT #chan nonexistent123");
        assertThat(alice.take()).singleElement().asString()
                .startsWith(":" + IrcHarness.SERVER + " FAIL REDACT UNKNOWN_MSGID #chan nonexistent123 :");
        alice.send("REDACT #elsewhere abc");
        assertThat(alice.take()).singleElement().asString()
                .startsWith(":" + IrcHarness.SERVER + " FAIL REDACT INVALID_TARGET #elsewhere :");
    }

    @Test
    void aPrivateMessageIsWithdrawnForBothSides() {
        alice.send("PRIVMSG bob :wrong window");
        String echo = alice.take().get(0);
        bob.take();
        String msgid = echo.substring(echo.indexOf("msgid=") + 6, echo.indexOf(' '));
        alice.send("REDACT bob " + msgid);
        assertThat(alice.take()).containsExactly(":alice!~alice@127.0.0.1 REDACT bob " + msgid);
        assertThat(bob.take()).containsExactly(":alice!~alice@127.0.0.1 REDACT bob " + msgid);
        bob.send("REDACT alice " + msgid);
        assertThat(bob.take()).singleElement().asString().contains("FAIL REDACT UNKNOWN_MSGID");
    }

    /** The msgid of what {@code who} said in #chan, from its echo; everyone's copies are taken. */
    private String said(Client who, String text) {
        who.send("PRIVMSG #chan :" + text);
        String echo = who.take().get(0);
        server.settle();
        List<String> tags = List.of(echo.substring(1, echo.indexOf(' ')).split(";"));
        return tags.stream().filter(t -> t.startsWith("msgid=")).findFirst().orElseThrow().substring(6);
    }
}
