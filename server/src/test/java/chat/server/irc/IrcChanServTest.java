package chat.server.irc;

import static chat.server.irc.IrcHarness.ircPrefix;
import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.accounts.AccountOptions;
import chat.server.accounts.Accounts;
import chat.server.auth.LoginThrottle;
import chat.server.irc.IrcHarness.Client;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registered channels in IRC on a scripted loop: ChanServ's REGISTER, INFO and DROP (by PRIVMSG
 * and by the CS command), its refusals, the +o it gives listed accounts as ChanServ, and a server
 * operator by account (--oper-account) made and unmade by NickServ.
 */
class IrcChanServTest {

    private static final String PASSWORD = "correcthorse";
    private static final String CHANSERV = ":ChanServ!ChanServ@services NOTICE ";

    private final IrcHarness server = new IrcHarness();
    private final Accounts accounts = server.withAccounts(new AccountOptions(true, null, AccountOptions.DEFAULT_MAX_KEPT,
            false, LoginThrottle.Policy.DEFAULT, 1, Set.of("root")));

    @AfterEach
    void close() {
        accounts.close();
    }

    /** Registers {@code nick} with NickServ; the client stays, logged in, all it was told forgotten. */
    private Client registered(String nick) {
        Client client = server.irc(nick);
        client.send("PRIVMSG NickServ :REGISTER " + PASSWORD);
        server.awaitAnswer(client);
        server.settle();
        return client;
    }

    @Test
    void chanServRegistersAChannelOfALoggedInOperatorAndTellsWhoFoundedIt() {
        Client guest = server.irc("guest");
        guest.send("JOIN #den", "PRIVMSG ChanServ :REGISTER #den");
        assertThat(guest.take()).contains(CHANSERV + "guest :you are not logged in; IDENTIFY with NickServ first");

        Client alice = registered("alice");
        alice.send("CS REGISTER #den");
        assertThat(alice.take()).containsExactly(CHANSERV + "alice :you are not on #den");
        alice.send("JOIN #den");
        server.settle();
        alice.send("CS REGISTER #den");
        assertThat(alice.take()).containsExactly(CHANSERV + "alice :you are not a channel operator of #den");
        alice.send("JOIN #lair");
        server.settle();
        alice.send("PRIVMSG ChanServ :REGISTER #lair");
        assertThat(alice.take()).containsExactly(CHANSERV + "alice :channel #lair registered to alice: its topic,"
                + " modes and lists are kept, and +o for the accounts you op");
        alice.send("CHANSERV REGISTER #LAIR");
        assertThat(alice.take()).containsExactly(CHANSERV + "alice :#lair is registered already");
        alice.send("JOIN #third", "CS REGISTER #third");
        assertThat(alice.take()).contains(CHANSERV + "alice :alice founded 1 channels, as many as one may; DROP one first");

        guest.send("CS INFO #lair");
        assertThat(guest.take()).hasSize(2).allMatch(l -> l.startsWith(CHANSERV + "guest :"))
                .anyMatch(l -> l.contains("channel #lair founded by alice, registered "))
                .contains(CHANSERV + "guest :operators: the founder only");
        guest.send("CS INFO #den", "CS DROP #lair", "CS HELP");
        assertThat(guest.take()).containsExactly(CHANSERV + "guest :#den is not registered",
                CHANSERV + "guest :you are not logged in; IDENTIFY with NickServ first",
                CHANSERV + "guest :commands: REGISTER #CHANNEL (you are its operator, logged in), DROP #CHANNEL"
                        + " (its founder), INFO #CHANNEL");

        Client bob = registered("bob");
        bob.send("CS DROP #lair");
        assertThat(bob.take()).containsExactly(CHANSERV + "bob :only the founder of #lair may do that");
        alice.send("CS DROP #lair");
        assertThat(alice.take()).containsExactly(CHANSERV + "alice :channel #lair is no longer registered");
    }

    @Test
    void anAccountTheFounderOppedGetsItBackFromChanServWhenItComesAgain() {
        Client alice = registered("alice");
        Client bob = registered("bob");
        alice.send("JOIN #lair", "CS REGISTER #lair");
        bob.send("JOIN #lair");
        alice.send("MODE #lair +o bob");
        bob.send("PART #lair");
        server.settle();
        bob.send("JOIN #lair");
        assertThat(alice.take()).containsExactly(":" + ircPrefix("bob") + " JOIN #lair",
                ":ChanServ!ChanServ@services MODE #lair +o bob");

        Client guest = server.irc("guest");
        guest.send("JOIN #lair");
        server.settle();
        guest.send("TOPIC #lair :mine");
        assertThat(guest.take()).singleElement().asString().contains(" 482 guest #lair ");
    }

    @Test
    void loggingInToAnOperatorAccountMakesAnIrcOperatorAndLoggingOutEndsIt() {
        Client root = server.irc("root");
        root.send("PRIVMSG NickServ :REGISTER " + PASSWORD);
        server.awaitAnswer(root);
        assertThat(root.take()).contains(server("381 root :You are now an IRC operator"), ":root MODE root :+o");
        root.send("WALLOPS :hello operators");
        assertThat(root.take()).noneMatch(l -> l.contains(" 481 "));
        root.send("NS LOGOUT");
        assertThat(root.take()).contains(":root MODE root :-o");
        root.send("WALLOPS :again");
        assertThat(root.take()).anyMatch(l -> l.contains(" 481 "));
    }

    @Test
    void aSaslLoginToAnOperatorAccountIsToldAfterTheWelcome() {
        registered("root").hangUp();
        Client root = server.acceptIrc().send("CAP LS 302", "CAP REQ :sasl", "NICK root", "USER root 0 * :Root",
                "AUTHENTICATE PLAIN");
        root.send("AUTHENTICATE " + java.util.Base64.getEncoder().encodeToString(
                ("\0root\0" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        server.awaitAnswer(root);
        root.send("CAP END");
        java.util.List<String> lines = root.take();
        assertThat(lines).containsSubsequence(server("001 root :Welcome to the TestNet IRC network, root!~root@127.0.0.1"),
                server("381 root :You are now an IRC operator"));
    }

    @Test
    void unregisteringTheFoundersAccountSaysWhichChannelsAreNoLongerRegistered() {
        Client alice = registered("alice");
        alice.send("JOIN #lair", "CS REGISTER #lair");
        server.settle();
        alice.send("NS UNREGISTER " + PASSWORD);
        server.awaitAnswer(alice);
        assertThat(alice.take()).contains(":NickServ!NickServ@services NOTICE alice :account alice removed",
                ":NickServ!NickServ@services NOTICE alice :the channels you founded are no longer registered: #lair");
        alice.send("CS INFO #lair");
        assertThat(alice.take()).containsExactly(CHANSERV + "alice :#lair is not registered");
    }

    @Test
    void withoutAccountsChanServIsNobodyAndItsCommandSaysAccountsAreOff() {
        IrcHarness plain = new IrcHarness();
        Client alice = plain.irc("alice");
        alice.send("PRIVMSG ChanServ :INFO #lair", "CS INFO #lair");
        assertThat(alice.take()).satisfiesExactly(
                l -> assertThat(l).contains(" 401 alice ChanServ "),
                l -> assertThat(l).isEqualTo(CHANSERV + "alice :accounts are off on this server, and with them"
                        + " registered channels"));
    }
}
