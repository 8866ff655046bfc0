package chat.server.irc;

import static chat.server.irc.IrcHarness.ircPrefix;
import static chat.server.irc.IrcHarness.nativePrefix;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.core.ChatEvent;
import chat.server.core.MessageKind;
import chat.server.irc.IrcHarness.Client;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IRC and native users in one room: each sees the other's doings in its own dialect, and an
 * event's IRC line is encoded once for all its IRC recipients.
 */
class MixedRoomTest {

    private final IrcHarness server = new IrcHarness();
    private Client carol;
    private Client alice;
    private Client bob;

    /** carol is native, alice and bob IRC; all three in #lobby, the native default room. */
    @BeforeEach
    void threeInTheLobby() {
        carol = server.nativeUser("carol");
        alice = server.irc("alice");
        bob = server.irc("bob");
        alice.send("JOIN #lobby");
        bob.send("JOIN #lobby");
        server.settle();
    }

    @Test
    void aLongNativeTopicIsCutToTopiclenForEveryoneAndALongQuitReachesIrcUsersCutTo512Bytes() {
        String topic = "t".repeat(3000);
        carol.send("/topic " + topic);
        String kept = "t".repeat(chat.server.core.ChatCore.MAX_TOPIC_BYTES);
        assertThat(alice.take()).singleElement().satisfies(line -> {
            IrcMessage message = IrcMessage.parse(line);
            assertThat(message.command()).isEqualTo("TOPIC");
            assertThat(message.param(1)).isEqualTo(kept);
        });
        assertThat(carol.take()).containsExactly("[#lobby] -- carol set the topic: " + kept);

        Client dave = server.irc("dave");
        dave.send("JOIN #lobby");
        assertThat(dave.take()).filteredOn(line -> line.contains(" 332 dave #lobby :")).singleElement()
                .satisfies(line -> assertThat(line).endsWith(" :" + kept));
        alice.take();

        carol.send("/quit " + "q".repeat(3000));
        assertThat(alice.take()).singleElement().satisfies(line -> {
            assertThat(line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2).isEqualTo(512);
            assertThat(IrcMessage.parse(line).command()).isEqualTo("QUIT");
        });
    }

    // ---- what a native user sees of IRC users ----

    @Test
    void aNativeUserSeesIrcJoinsPartsAndNickChangesNatively() {
        Client dave = server.irc("dave");
        dave.send("JOIN #lobby");
        assertThat(carol.take()).containsExactly("[#lobby] -- dave joined");

        dave.send("NICK david");
        assertThat(carol.take()).containsExactly("-- dave is now known as david");

        dave.send("PART #lobby :later");
        assertThat(carol.take()).containsExactly("[#lobby] -- david left: later");
    }

    @Test
    void aNativeUserSeesAnIrcQuit() {
        alice.send("QUIT :bye all");
        assertThat(carol.take()).containsExactly("-- alice quit: bye all");
    }

    @Test
    void aNativeUserSeesIrcMessagesNoticesAndPrivateMessages() {
        alice.send("PRIVMSG #lobby :hello", "NOTICE #lobby :heads up", "PRIVMSG carol :psst");
        assertThat(carol.take()).containsExactly(
                "[#lobby] alice: hello",
                "[#lobby] alice: heads up",
                "[pm] alice: psst");
    }

    @Test
    void aCtcpActionReachesANativeUserAsAnAction() {
        alice.send("PRIVMSG #lobby :\u0001ACTION waves\u0001", "PRIVMSG carol :\u0001ACTION winks\u0001");
        assertThat(carol.take()).containsExactly("[#lobby] * alice waves", "[pm] * alice winks");
    }

    @Test
    void ircColourCodesAndEscapesDoNotReachANativeTerminal() {
        alice.send("PRIVMSG #lobby :\u0002bold\u0002 \u000304,01red\u0003 \u001fund\u001f \u001b[2Jclear\u000f");
        String line = carol.take().get(0);
        assertThat(line).doesNotContain("\u001b", "\u0002", "\u0003", "\u001f", "\u000f");
        assertThat(line).isEqualTo("[#lobby] alice: bold red und [2Jclear");

        alice.send("PRIVMSG #lobby :\u00035,12five \u0003,x \u0003123 plain");
        assertThat(carol.take()).as("two digits at most; a comma without a colour before it is text")
                .containsExactly("[#lobby] alice: five ,x 3 plain");
    }

    @Test
    void aNativeUserSeesAnIrcQuitReasonWithoutControlCharacters() {
        alice.send("QUIT :\u000304gone\u001b[0m");
        assertThat(carol.take()).containsExactly("-- alice quit: gone[0m");
    }

    // ---- what an IRC user sees of native users ----

    @Test
    void anIrcUserSeesNativeUsersWithTheChatUserName() {
        carol.send("hi all", "/me waves", "/msg alice psst");
        assertThat(alice.take()).containsExactly(
                ":" + nativePrefix("carol") + " PRIVMSG #lobby :hi all",
                ":" + nativePrefix("carol") + " PRIVMSG #lobby :\u0001ACTION waves\u0001",
                ":" + nativePrefix("carol") + " PRIVMSG alice :psst");
    }

    @Test
    void anIrcUserSeesNativeNickChangesJoinsPartsAndQuits() {
        carol.send("/nick caroline");
        assertThat(alice.take()).containsExactly(":" + nativePrefix("carol") + " NICK caroline");

        carol.send("/join #other", "/part #lobby");
        assertThat(alice.take()).containsExactly(":" + nativePrefix("caroline") + " PART #lobby");

        alice.send("JOIN #other");
        server.settle();
        carol.send("/quit off to bed");
        assertThat(alice.take()).containsExactly(":" + nativePrefix("caroline") + " QUIT :off to bed");
    }

    @Test
    void aNativeUserIsListedInNamesAndWhois() {
        server.nativeUser("erin");
        alice.send("NAMES #lobby");
        assertThat(alice.take()).containsExactly(
                IrcHarness.server("353 alice = #lobby :@carol alice bob erin"),
                IrcHarness.server("366 alice #lobby :End of /NAMES list"));
        alice.send("WHOIS erin");
        assertThat(alice.take().get(0)).isEqualTo(IrcHarness.server("311 alice erin ~chat 127.0.0.1 * :erin"));
    }

    @Test
    void joinsAndPartsCrossTheDialectsInAFreshRoom() {
        Client erin = server.nativeUser("erin");
        erin.send("/join #quiet");
        server.settle();
        alice.send("JOIN #quiet");
        assertThat(erin.take()).containsExactly("[#quiet] -- alice joined");
        assertThat(alice.take()).contains(IrcHarness.server("353 alice = #quiet :@erin alice"));
        erin.send("/part #quiet");
        assertThat(alice.take()).containsExactly(":" + nativePrefix("erin") + " PART #quiet");
    }

    // ---- one encoding per event ----

    @Test
    void aRoomMessageIsEncodedOnceForAllItsIrcRecipients() {
        Client dave = server.irc("dave");
        dave.send("JOIN #lobby");
        server.settle();
        long before = server.irc.encodings();

        carol.send("to everyone");
        assertThat(server.irc.encodings() - before).isEqualTo(1);
        String expected = ":" + nativePrefix("carol") + " PRIVMSG #lobby :to everyone";
        assertThat(alice.take()).containsExactly(expected);
        assertThat(bob.take()).containsExactly(expected);
        assertThat(dave.take()).containsExactly(expected);

        alice.send("JOIN #second");
        assertThat(server.irc.encodings() - before).as("a join told to its joiner alone").isEqualTo(2);
    }

    @Test
    void sharedLineGivesTheSameArrayForTheSameEventAndANewOneForTheNext() {
        var carolUser = server.core.user("carol");
        ChatEvent first = new ChatEvent.RoomMessage("#lobby", carolUser, "one", MessageKind.TEXT);
        ChatEvent second = new ChatEvent.RoomMessage("#lobby", carolUser, "one", MessageKind.TEXT);

        byte[] line = server.irc.sharedLine(first);
        assertThat(server.irc.sharedLine(first)).isSameAs(line);
        assertThat(new String(line, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(":" + nativePrefix("carol") + " PRIVMSG #lobby :one\r\n");
        byte[] next = server.irc.sharedLine(second);
        assertThat(next).isNotSameAs(line).isEqualTo(line);
        assertThat(server.irc.sharedLine(new ChatEvent.ServerNotice("maintenance")))
                .as("a notice names its recipient, so it has no shared line").isNull();
    }

    @Test
    void aServerNoticeReachesEachIrcUserAddressedToIt() {
        server.core.noticeAll("restarting soon");
        server.loop.iterate(); // flushes what the notice queued
        assertThat(alice.take()).containsExactly(IrcHarness.server("NOTICE alice :restarting soon"));
        assertThat(bob.take()).containsExactly(IrcHarness.server("NOTICE bob :restarting soon"));
        assertThat(carol.take()).containsExactly("-- restarting soon");
    }

    @Test
    void anIrcPrefixCarriesTheUserNameGivenWithUser() {
        alice.send("PRIVMSG #lobby :x");
        assertThat(bob.take()).containsExactly(":" + ircPrefix("alice") + " PRIVMSG #lobby :x");
    }
}
