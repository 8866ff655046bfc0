package chat.server.irc;

import static chat.server.irc.IrcHarness.commandOf;
import static chat.server.irc.IrcHarness.ircPrefix;
import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One IRC session over a real core and a hand-driven loop: registration in its orders and
 * failures, the welcome burst, the checks every command goes through, and leaving.
 */
class IrcSessionTest {

    private final IrcHarness server = new IrcHarness();

    // ---- registration ----

    @Test
    void nickThenUserRegistersAndTheBurstStartsWith001() {
        Client alice = server.acceptIrc().send("NICK alice");
        assertThat(alice.take()).as("no welcome before USER").isEmpty();
        assertThat(server.core.user("alice")).isNull();

        alice.send("USER alice 0 * :Alice Liddell");
        assertThat(alice.take().get(0)).isEqualTo(
                server("001 alice :Welcome to the TestNet IRC network, " + ircPrefix("alice")));
        assertThat(server.core.user("alice").identity().realname()).isEqualTo("Alice Liddell");
    }

    @Test
    void userThenNickRegistersToo() {
        Client alice = server.acceptIrc().send("USER alice 0 * :Alice");
        assertThat(alice.take()).isEmpty();

        alice.send("NICK alice");
        assertThat(alice.take().get(0)).startsWith(server("001 alice :Welcome"));
    }

    @Test
    void theRegistrationVerbIsDetectedInAnyCase() {
        Client alice = server.acceptIrc().send("nick alice", "user alice 0 * :Alice");
        assertThat(alice.take().get(0)).startsWith(server("001 alice "));
    }

    @Test
    void capLsWithoutAVersionListsNamesOnly() {
        Client alice = server.acceptIrc().send("CAP LS");
        assertThat(alice.take()).singleElement().asString().contains(" draft/metadata-3 ").doesNotContain("=");
    }

    @Test
    void capLsHoldsRegistrationUntilCapEnd() {
        Client alice = server.acceptIrc().send("CAP LS 302", "NICK alice", "USER alice 0 * :Alice");
        assertThat(alice.take()).containsExactly(
                server("CAP * LS :account-notify account-tag away-notify batch cap-notify draft/chathistory echo-message extended-join extended-monitor invite-notify labeled-response draft/message-redaction draft/multiline=max-bytes=4096,max-lines=100 message-tags "
                        + "draft/metadata-3=before-connect,max-subs=100,max-keys=20,max-value-bytes=300 draft/read-marker multi-prefix setname server-time userhost-in-names"));
        assertThat(server.core.user("alice")).as("not registered while negotiating").isNull();

        alice.send("CAP END");
        assertThat(alice.take().get(0)).startsWith(server("001 alice "));
    }

    @Test
    void capReqOfAKnownCapIsAckedAndListed() {
        Client alice = server.acceptIrc().send("CAP REQ :echo-message userhost-in-names");
        assertThat(alice.take()).containsExactly(server("CAP * ACK :echo-message userhost-in-names"));

        alice.send("CAP LIST");
        assertThat(alice.take()).containsExactly(server("CAP * LIST :echo-message userhost-in-names"));

        alice.send("NICK alice", "USER alice 0 * :Alice");
        assertThat(alice.take()).as("CAP REQ holds registration as LS does").isEmpty();
        alice.send("CAP END");
        assertThat(alice.take().get(0)).startsWith(server("001 alice "));
    }

    @Test
    void capReqWithOneUnknownCapIsNakedWhole() {
        Client alice = server.acceptIrc().send("CAP REQ :echo-message no-such-cap");
        assertThat(alice.take()).containsExactly(server("CAP * NAK :echo-message no-such-cap"));

        alice.send("CAP LIST");
        assertThat(alice.take()).as("nothing of a refused request is enabled")
                .containsExactly(server("CAP * LIST :"));
    }

    @Test
    void aMinusCapDisablesIt() {
        Client alice = server.irc("alice", "echo-message", "multi-prefix");

        alice.send("CAP REQ -echo-message");
        assertThat(alice.take()).containsExactly(server("CAP alice ACK :-echo-message"));
        alice.send("CAP LIST");
        assertThat(alice.take()).containsExactly(server("CAP alice LIST :multi-prefix"));
    }

    @Test
    void aCapSubcommandThatDoesNotExistIs410() {
        Client alice = server.acceptIrc().send("CAP FROB");
        assertThat(alice.take()).containsExactly(server("410 * FROB :Invalid CAP subcommand"));
    }

    // ---- the welcome burst ----

    @Test
    void theWelcomeBurstComesInOrderWithItsParameterShapes() {
        Client alice = server.acceptIrc().send("NICK alice", "USER alice 0 * :Alice");
        List<String> burst = alice.take();

        assertThat(burst.stream().map(IrcHarness::commandOf).toList()).containsExactly(
                "001", "002", "003", "004", "005", "005", "251", "254", "255", "265", "266", "422");
        assertThat(burst.get(1)).isEqualTo(server("002 alice :Your host is irc.test, running version "
                + IrcSession.VERSION));
        assertThat(burst.get(2)).startsWith(server("003 alice :This server was created "));
        assertThat(burst.get(3)).isEqualTo(server("004 alice irc.test " + IrcSession.VERSION + " Biow beIiklmnostv"));
        List<String> tokens = new java.util.ArrayList<>();
        for (String line : burst.subList(4, 6)) {
            IrcMessage isupport = IrcMessage.parse(line);
            assertThat(isupport.params().get(0)).isEqualTo("alice");
            assertThat(isupport.params().size()).as("at most 13 tokens a line").isLessThanOrEqualTo(15);
            assertThat(line).endsWith(" :are supported by this server");
            tokens.addAll(isupport.params().subList(1, isupport.params().size() - 1));
        }
        assertThat(tokens).contains("CASEMAPPING=rfc8265", "CHANTYPES=#", "NETWORK=TestNet", "NICKLEN=32",
                "ELIST=CMNTU", "UTF8ONLY", "WHOX", "TOPICLEN=390", "KICKLEN=390", "AWAYLEN=390");
        assertThat(burst.subList(6, 12)).containsExactly(
                server("251 alice :There are 1 users and 0 invisible on 1 servers"),
                server("254 alice 0 :channels formed"),
                server("255 alice :I have 1 clients and 0 servers"),
                server("265 alice 1 1 :Current local users 1, max 1"),
                server("266 alice 1 1 :Current global users 1, max 1"),
                server("422 alice :MOTD File is missing"));
        assertThat(burst).allSatisfy(line -> assertThat(line.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(510));
    }

    @Test
    void aMotdIsSentBetween375And376() {
        IrcHarness withMotd = new IrcHarness(List.of("Be nice.", "No spam."), null);
        Client alice = withMotd.acceptIrc().send("NICK alice", "USER alice 0 * :Alice");
        List<String> burst = alice.take();

        assertThat(burst.subList(burst.size() - 4, burst.size())).containsExactly(
                server("375 alice :- irc.test Message of the day - "),
                server("372 alice :- Be nice."),
                server("372 alice :- No spam."),
                server("376 alice :End of /MOTD command."));
        assertThat(burst).noneMatch(line -> commandOf(line).equals("422"));
    }

    // ---- PASS ----

    @Test
    void theRightPasswordRegisters() {
        IrcHarness locked = new IrcHarness(List.of(), "s3cret");
        Client alice = locked.acceptIrc().send("PASS s3cret", "NICK alice", "USER alice 0 * :Alice");
        assertThat(alice.take().get(0)).startsWith(server("001 alice "));
    }

    @Test
    void aWrongPasswordIs464ThenErrorAndTheConnectionCloses() {
        IrcHarness locked = new IrcHarness(List.of(), "s3cret");
        Client alice = locked.acceptIrc().send("PASS guess", "NICK alice", "USER alice 0 * :Alice");

        List<String> lines = alice.take();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(server("464 alice :Password incorrect"));
        assertThat(lines.get(1)).startsWith("ERROR :");
        assertThat(alice.isClosed()).isTrue();
        assertThat(locked.core.user("alice")).as("never registered").isNull();
    }

    @Test
    void noPasswordWhenOneIsAskedIs464() {
        IrcHarness locked = new IrcHarness(List.of(), "s3cret");
        Client alice = locked.acceptIrc().send("NICK alice", "USER alice 0 * :Alice");

        assertThat(alice.take().get(0)).isEqualTo(server("464 alice :Password incorrect"));
        assertThat(locked.core.user("alice")).isNull();
    }

    @Test
    void passAfterRegistrationIs462() {
        Client alice = server.irc("alice");
        alice.send("PASS again");
        assertThat(alice.take()).containsExactly(server("462 alice :You may not reregister"));
    }

    // ---- nicks before registration ----

    @Test
    void aTakenNickIs433WithAStarAndRegistrationWaitsForAnotherNick() {
        server.irc("alice");
        Client other = server.acceptIrc().send("NICK alice", "USER other 0 * :Other");

        assertThat(other.take()).containsExactly(server("433 * alice :Nickname is already in use"));
        assertThat(server.core.userCount()).isEqualTo(1);

        other.send("NICK alice2");
        assertThat(other.take().get(0)).startsWith(server("001 alice2 "));
    }

    @Test
    void aNickTakenBetweenNickAndUserIs433WithAStarToo() {
        Client late = server.acceptIrc().send("NICK carol");
        server.irc("carol");

        late.send("USER late 0 * :Late");
        assertThat(late.take()).containsExactly(server("433 * carol :Nickname is already in use"));

        late.send("NICK carol2");
        assertThat(late.take().get(0)).startsWith(server("001 carol2 "));
    }

    @Test
    void anInvalidNickIs432() {
        Client client = server.acceptIrc().send("NICK 9lives");
        assertThat(client.take()).containsExactly(server("432 * 9lives :Erroneous nickname"));
    }

    @Test
    void nickWithoutAParameterIs431() {
        Client client = server.acceptIrc().send("NICK alice", "NICK");
        assertThat(client.take()).containsExactly(server("431 alice :No nickname given"));
    }

    @Test
    void aSecondUserIs462() {
        Client alice = server.irc("alice");
        alice.send("USER again 0 * :Again");
        assertThat(alice.take()).containsExactly(server("462 alice :You may not reregister"));
    }

    // ---- what every command goes through ----

    @Test
    void commandsThatNeedRegistrationAre451Before() {
        Client client = server.acceptIrc().send("NICK alice", "JOIN #a", "PRIVMSG bob :hi", "WHOIS bob");
        assertThat(client.take()).containsExactly(
                server("451 alice :You have not registered"),
                server("451 alice :You have not registered"),
                server("451 alice :You have not registered"));
        assertThat(server.core.room("#a")).isNull();
    }

    @Test
    void anUnknownCommandIs421() {
        Client alice = server.irc("alice");
        alice.send("FROBNICATE x y");
        assertThat(alice.take()).containsExactly(server("421 alice FROBNICATE :Unknown command"));
    }

    @Test
    void tooFewParametersAre461ForEachCommandThatNeedsThem() {
        Client alice = server.irc("alice");
        alice.send("JOIN", "PART", "TOPIC", "WHOIS", "MODE", "ISON", "USERHOST", "USER a 0 *", "PING");
        assertThat(alice.take()).containsExactly(
                server("461 alice JOIN :Not enough parameters"),
                server("461 alice PART :Not enough parameters"),
                server("461 alice TOPIC :Not enough parameters"),
                server("461 alice WHOIS :Not enough parameters"),
                server("461 alice MODE :Not enough parameters"),
                server("461 alice ISON :Not enough parameters"),
                server("461 alice USERHOST :Not enough parameters"),
                server("461 alice USER :Not enough parameters"),
                server("461 alice PING :Not enough parameters"));
    }

    @Test
    void userWithTooFewParametersBeforeRegistrationIs461AndDoesNotRegister() {
        Client client = server.acceptIrc().send("NICK alice", "USER alice 0 *");
        assertThat(client.take()).containsExactly(server("461 alice USER :Not enough parameters"));
        assertThat(server.core.user("alice")).isNull();
    }

    // ---- line length ----

    @Test
    void aMessageOver512BytesIs417AndTheConnectionGoesOn() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");

        alice.send("PRIVMSG bob :" + "x".repeat(600));
        assertThat(alice.take()).containsExactly(server("417 alice :Input line was too long"));
        assertThat(bob.take()).isEmpty();

        alice.send("PRIVMSG bob :still here");
        assertThat(bob.take()).containsExactly(":" + ircPrefix("alice") + " PRIVMSG bob :still here");
        assertThat(alice.isClosed()).isFalse();
    }

    @Test
    void exactly512BytesWithCrLfIsAcceptedAndOneMoreIsNot() {
        Client alice = server.irc("alice");
        String fits = "PING :" + "y".repeat(510 - "PING :".length());

        alice.send(fits);
        // Accepted; its PONG, longer by the server's source and name, is cut to 512 (IrcLines).
        String pongHead = server("PONG irc.test :");
        assertThat(alice.take()).containsExactly(pongHead + "y".repeat(510 - pongHead.length()));

        alice.send(fits + "y");
        assertThat(alice.take()).containsExactly(server("417 alice :Input line was too long"));
    }

    @Test
    void aMessageGoesWholeWhenItFitsIn512OnceRelayedAndIsRefusedWhenItDoesNot() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        String relayedHead = ":" + ircPrefix("alice") + " PRIVMSG bob :";
        String most = "y".repeat(510 - relayedHead.length());

        alice.send("PRIVMSG bob :" + most);
        assertThat(alice.take()).isEmpty();
        assertThat(bob.take()).containsExactly(relayedHead + most);

        // Within the 512 alice may send, but past 512 with her prefix: refused, not cut on the way.
        alice.send("PRIVMSG bob :" + most + "y");
        assertThat(alice.take()).containsExactly(server("417 alice :Input line was too long"));
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void aMessageTooLongForOneTargetStillReachesTheOthers() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        Client longernick = server.irc("longernick");
        String most = "y".repeat(510 - (":" + ircPrefix("alice") + " PRIVMSG bob :").length());

        alice.send("PRIVMSG longernick,bob :" + most);
        assertThat(alice.take()).containsExactly(server("417 alice :Input line was too long"));
        assertThat(bob.take()).singleElement().satisfies(line -> assertThat(IrcMessage.parse(line).param(1)).isEqualTo(most));
        assertThat(longernick.take()).isEmpty();
    }

    @Test
    void tagsDoNotCountTowardsThe512() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        String tags = "@label=" + "t".repeat(600 - "@label=".length());

        alice.send(tags + " PRIVMSG bob :short");
        assertThat(alice.take()).isEmpty();
        assertThat(bob.take()).containsExactly(":" + ircPrefix("alice") + " PRIVMSG bob :short");

        String relayedHead = ":" + ircPrefix("alice") + " PRIVMSG bob :";
        String most = "z".repeat(510 - relayedHead.length());
        alice.send(tags + " PRIVMSG bob :" + most);
        assertThat(alice.take()).as("the message fits in 512 once relayed; the tags are not counted").isEmpty();
        assertThat(bob.take()).containsExactly(relayedHead + most);
    }

    // ---- PING, QUIT, hanging up ----

    @Test
    void pingIsAnsweredWithPongCarryingTheToken() {
        Client alice = server.irc("alice");
        alice.send("PING :abc 123");
        assertThat(alice.take()).containsExactly(server("PONG irc.test :abc 123"));
    }

    @Test
    void pingBeforeRegistrationIsAnsweredToo() {
        Client client = server.acceptIrc().send("NICK alice", "PING tok");
        assertThat(client.take()).containsExactly(server("PONG irc.test :tok"));
    }

    @Test
    void quitSaysErrorClosesAndRoomMatesHearTheReason() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        Client carol = server.nativeUser("carol");
        alice.send("JOIN #lobby");
        bob.send("JOIN #lobby");
        server.settle();

        alice.send("QUIT :gone fishing");
        List<String> last = alice.take();
        assertThat(last).hasSize(1);
        assertThat(last.get(0)).startsWith("ERROR :").contains("gone fishing");
        assertThat(alice.isClosed()).isTrue();
        assertThat(bob.take()).containsExactly(":" + ircPrefix("alice") + " QUIT :gone fishing");
        assertThat(carol.take()).containsExactly("-- alice quit: gone fishing");
        assertThat(server.core.user("alice")).isNull();
    }

    @Test
    void hangingUpWithoutQuitTellsRoomMatesWhy() {
        Client alice = server.irc("alice");
        Client bob = server.irc("bob");
        alice.send("JOIN #a");
        bob.send("JOIN #a");
        server.settle();

        alice.hangUp();
        assertThat(bob.take()).containsExactly(":" + ircPrefix("alice") + " QUIT :connection closed");
        assertThat(server.core.user("alice")).isNull();
    }

    @Test
    void hangingUpBeforeRegistrationTellsNobody() {
        Client bob = server.irc("bob");
        Client half = server.acceptIrc().send("NICK alice");
        half.hangUp();
        assertThat(bob.take()).isEmpty();
        assertThat(server.core.userCount()).isEqualTo(1);
    }
}
