package chat.server.irc;

import static chat.server.irc.IrcHarness.ircPrefix;
import static chat.server.irc.IrcHarness.nativePrefix;
import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.auth.QuickHashes;
import chat.server.irc.IrcHarness.Client;
import chat.server.net.InputState;
import chat.server.net.LoopHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server operators over IRC: OPER, checked off the loop by a real password checker whose answer
 * comes back through the loop's task queue (the client's next lines wait for it), then KILL,
 * WALLOPS and how WHO and WHOIS show an operator. Operator {@code op} has password
 * {@code secret}.
 */
class IrcOperTest {

    private final IrcHarness server = new IrcHarness(Map.of("op", QuickHashes.hash("secret")));

    @AfterEach
    void stopChecker() {
        server.operators.close();
    }

    private static String from(String nick, String rest) {
        return ":" + ircPrefix(nick) + " " + rest;
    }

    /** {@code client} opers up as op; everything it was told is forgotten. */
    private Client oper(Client client) {
        client.send("OPER op secret");
        server.awaitAnswer(client);
        assertThat(client.take()).first().isEqualTo(server("381 " + server.core.user(nickOf(client)).nick()
                + " :You are now an IRC operator"));
        server.settle();
        return client;
    }

    private String nickOf(Client client) {
        return server.core.usersMatching("*").stream()
                .filter(u -> u.recipient(IrcSession.class) != null
                        && u.recipient(IrcSession.class).connection() == client.connection)
                .findFirst().orElseThrow().nick();
    }

    // ---- OPER ----

    @Test
    void theRightPasswordMakesAnOperatorAndSaysSoWithModePlusO() {
        Client alice = server.irc("alice");

        alice.arrive("OPER op secret");
        assertThat(alice.take()).as("the check runs off the loop: no answer yet").isEmpty();
        assertThat(LoopHarness.inputState(alice.connection)).isEqualTo(InputState.HELD);

        server.awaitAnswer(alice);
        List<String> lines = alice.take();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(server("381 alice :You are now an IRC operator"));
        assertThat(IrcHarness.commandOf(lines.get(1))).isEqualTo("MODE");
        assertThat(lines.get(1)).endsWith(" MODE alice :+o");
        assertThat(server.core.user("alice").isServerOperator()).isTrue();
        assertThat(LoopHarness.inputState(alice.connection)).isEqualTo(InputState.READING);

        alice.send("MODE alice");
        assertThat(alice.take()).containsExactly(server("221 alice :+o"));
    }

    @Test
    void linesSentWithOperAreAnsweredOnlyAfterIt() {
        Client alice = server.irc("alice");

        alice.arrive("OPER op secret", "PING one", "WHOIS alice", "PING two");
        assertThat(alice.take()).as("PING and WHOIS wait for OPER's answer").isEmpty();

        server.awaitAnswer(alice);
        List<String> lines = alice.take();
        assertThat(lines.get(0)).isEqualTo(server("381 alice :You are now an IRC operator"));
        assertThat(lines.get(1)).endsWith(" MODE alice :+o");
        assertThat(lines.get(2)).isEqualTo(server("PONG irc.test :one"));
        assertThat(lines).contains(server("313 alice alice :is an IRC operator"));
        assertThat(lines.get(lines.size() - 2)).isEqualTo(server("318 alice alice :End of /WHOIS list"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo(server("PONG irc.test :two"));
    }

    /** labeled-response: OPER's answer comes later, and it is the label's response, not an ACK. */
    @Test
    void aLabeledOperIsAnsweredWithItsLabelWhenTheCheckIsDone() {
        Client alice = server.irc("alice", "labeled-response", "batch");

        alice.arrive("@label=o1 OPER op wrong");
        assertThat(alice.take()).isEmpty();
        server.awaitAnswer(alice);
        assertThat(alice.take()).containsExactly("@label=o1 " + server("464 alice :Password incorrect"));

        alice.arrive("@label=o2 OPER op secret", "@label=p1 PING after");
        server.awaitAnswer(alice);
        List<String> lines = alice.take();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).matches("@label=o2 :irc\\.test BATCH \\+\\S+ labeled-response");
        String id = lines.get(0).split(" ")[3].substring(1);
        assertThat(lines.get(1)).isEqualTo("@batch=" + id + " " + server("381 alice :You are now an IRC operator"));
        assertThat(lines.get(2)).startsWith("@batch=" + id + " :").endsWith(" MODE alice :+o");
        assertThat(lines.get(3)).isEqualTo(server("BATCH -" + id));
        assertThat(lines.get(4)).isEqualTo("@label=p1 " + server("PONG irc.test :after"));
    }

    @Test
    void aWrongPasswordIs464AndTheWaitingLinesFollow() {
        Client alice = server.irc("alice");

        alice.arrive("OPER op wrong", "PING after");
        assertThat(alice.take()).isEmpty();
        server.awaitAnswer(alice);
        assertThat(alice.take()).containsExactly(
                server("464 alice :Password incorrect"),
                server("PONG irc.test :after"));
        assertThat(server.core.user("alice").isServerOperator()).isFalse();
    }

    @Test
    void anUnknownOperatorNameIs464Too() {
        Client alice = server.irc("alice");
        alice.send("OPER alice secret");
        server.awaitAnswer(alice);
        assertThat(alice.take()).containsExactly(server("464 alice :Password incorrect"));
        assertThat(server.core.user("alice").isServerOperator()).isFalse();
    }

    @Test
    void withNoOperatorsConfiguredOperIs491AtOnce() {
        IrcHarness plain = new IrcHarness();
        Client alice = plain.irc("alice");

        alice.send("OPER op secret", "PING after");
        assertThat(alice.take()).containsExactly(
                server("491 alice :No O-lines for your host"),
                server("PONG irc.test :after"));
        assertThat(LoopHarness.inputState(alice.connection)).isEqualTo(InputState.READING);
    }

    @Test
    void operNeedsRegistrationAndTwoParameters() {
        Client alice = server.irc("alice");
        alice.send("OPER op");
        assertThat(alice.take()).containsExactly(server("461 alice OPER :Not enough parameters"));

        Client early = server.acceptIrc().send("NICK early", "OPER op secret");
        assertThat(early.take()).containsExactly(server("451 early :You have not registered"));
    }

    @Test
    void aClientThatLeavesBeforeTheAnswerIsNotMadeAnOperator() {
        Client alice = server.irc("alice");
        alice.arrive("OPER op secret", "QUIT :bye");
        alice.connection.close(chat.server.net.CloseReason.QUIT, "gone"); // before the answer can run
        server.loop.iterate();
        server.awaitAnswer(alice);
        assertThat(alice.isClosed()).isTrue();
        assertThat(server.core.user("alice")).isNull();
        assertThat(alice.take().stream().anyMatch(l -> l.contains(" 381 "))).isFalse();
    }

    // ---- KILL ----

    @Test
    void killByANonOperatorIs481() {
        Client alice = server.irc("alice");
        server.irc("bob");
        alice.send("KILL bob :go away");
        assertThat(alice.take()).containsExactly(server("481 alice :Permission Denied- You're not an IRC operator"));
        assertThat(server.core.user("bob")).isNotNull();
    }

    @Test
    void killOfAnUnknownNickIs401() {
        Client alice = oper(server.irc("alice"));
        alice.send("KILL nobody :why");
        assertThat(alice.take()).containsExactly(server("401 alice nobody :No such nick/channel"));
    }

    @Test
    void killClosesTheTargetWithErrorAndItsRoomMatesSeeItQuit() {
        Client alice = oper(server.irc("alice"));
        Client bob = server.irc("bob");
        Client carol = server.irc("carol");
        bob.send("JOIN #a");
        carol.send("JOIN #a");
        server.settle();

        alice.send("KILL bob :spamming");
        server.loop.iterate();
        assertThat(bob.take()).containsExactly("ERROR :Closing link: Killed (alice (spamming))");
        assertThat(bob.isClosed()).isTrue();
        assertThat(carol.take()).containsExactly(from("bob", "QUIT :Killed (alice (spamming))"));
        assertThat(server.core.user("bob")).isNull();
        assertThat(alice.take()).as("alice shares no room with bob").isEmpty();
    }

    @Test
    void killOfANativeUserClosesItToo() {
        Client alice = oper(server.irc("alice"));
        Client bob = server.irc("bob");
        Client nat = server.nativeUser("nat");
        bob.send("JOIN #lobby");
        server.settle();

        alice.send("KILL nat :bye");
        server.loop.iterate();
        assertThat(nat.isClosed()).isTrue();
        assertThat(bob.take()).containsExactly(":" + nativePrefix("nat") + " QUIT :Killed (alice (bye))");
    }

    // ---- WALLOPS ----

    @Test
    void wallopsReachesOperatorsAndPlusWUsersOnly() {
        Client alice = oper(server.irc("alice"));
        Client bob = server.irc("bob");
        Client carol = server.irc("carol");
        bob.send("MODE bob +w");
        assertThat(bob.take()).containsExactly(from("bob", "MODE bob :+w"));

        alice.send("WALLOPS :maintenance at noon");
        String wallops = from("alice", "WALLOPS :maintenance at noon");
        assertThat(alice.take()).containsExactly(wallops);
        assertThat(bob.take()).containsExactly(wallops);
        assertThat(carol.take()).isEmpty();

        bob.send("MODE bob -w");
        bob.take();
        alice.send("WALLOPS :again");
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void wallopsByANonOperatorIs481() {
        Client bob = server.irc("bob");
        Client alice = oper(server.irc("alice"));
        bob.send("WALLOPS :hi");
        assertThat(bob.take()).containsExactly(server("481 bob :Permission Denied- You're not an IRC operator"));
        assertThat(alice.take()).isEmpty();
    }

    // ---- WHO and WHOIS ----

    @Test
    void whoShowsAnOperatorWithAStarAndWhoisWith313() {
        oper(server.irc("alice"));
        Client bob = server.irc("bob");

        bob.send("WHO alice");
        assertThat(bob.take()).containsExactly(
                server("352 bob * ~alice 127.0.0.1 irc.test alice H* :0 alice Real"),
                server("315 bob alice :End of WHO list"));

        bob.send("WHOIS alice");
        assertThat(bob.take()).contains(server("313 bob alice :is an IRC operator"));

        bob.send("WHOIS bob");
        assertThat(bob.take()).noneMatch(l -> IrcHarness.commandOf(l).equals("313"));
    }
}
