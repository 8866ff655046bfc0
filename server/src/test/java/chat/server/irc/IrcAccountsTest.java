package chat.server.irc;

import static chat.server.irc.IrcHarness.ircPrefix;
import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.accounts.AccountOptions;
import chat.server.accounts.Accounts;
import chat.server.irc.IrcHarness.Client;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Accounts in IRC on a scripted loop: SASL PLAIN before registration (and its errors), NickServ,
 * the reserved nick's 433, account-notify, account-tag, extended-join and WHOIS 330. Passwords are
 * checked on the accounts' hashing thread; {@link IrcHarness#awaitAnswer} runs the loop until the
 * answer is in.
 */
class IrcAccountsTest {

    private static final String PASSWORD = "correcthorse";

    private final IrcHarness server = new IrcHarness();
    private final Accounts accounts = server.withAccounts(AccountOptions.inMemory());

    @AfterEach
    void close() {
        accounts.close();
    }

    private static String plain(String authzid, String account, String password) {
        return Base64.getEncoder().encodeToString((authzid + "\0" + account + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Registers {@code nick} over IRC with NickServ; the client stays, logged in, all it was told forgotten. */
    private Client registered(String nick, String... caps) {
        Client client = caps.length == 0 ? server.irc(nick) : server.irc(nick, caps);
        client.send("PRIVMSG NickServ :REGISTER " + PASSWORD);
        server.awaitAnswer(client);
        assertThat(client.take()).contains(":NickServ!NickServ@services NOTICE " + nick + " :account " + nick + " registered");
        server.settle();
        return client;
    }

    @Test
    void saslPlainBeforeRegistrationLogsInAndTheWelcomeFollows() {
        registered("alice").hangUp();
        Client kit = server.acceptIrc().send("CAP LS 302");
        assertThat(kit.take()).anyMatch(l -> l.contains(" CAP * LS ") && l.contains("sasl=PLAIN")
                && l.contains("account-notify") && l.contains("extended-join") && l.contains("account-tag"));
        kit.send("CAP REQ :sasl", "NICK alice", "USER kit 0 * :Kit", "AUTHENTICATE PLAIN");
        assertThat(kit.take()).containsSubsequence(server("CAP * ACK :sasl"), "AUTHENTICATE +");

        kit.send("AUTHENTICATE " + plain("", "alice", PASSWORD));
        server.awaitAnswer(kit);
        List<String> lines = kit.take();
        assertThat(lines).contains(server("900 alice alice!~kit@127.0.0.1 alice :You are now logged in as alice"),
                server("903 alice :SASL authentication successful"));

        kit.send("CAP END");
        assertThat(kit.take()).first().asString().startsWith(server("001 alice "));
        assertThat(server.core.user("alice").account()).isEqualTo("alice");
    }

    @Test
    void saslRefusesAWrongPasswordAnotherMechanismAnAbortAndALoginAsSomeoneElse() {
        registered("alice").hangUp();
        Client kit = server.acceptIrc().send("CAP LS 302", "CAP REQ :sasl", "NICK alice", "USER kit 0 * :Kit");
        kit.take();

        kit.send("AUTHENTICATE EXTERNAL");
        assertThat(kit.take()).containsExactly(server("908 alice PLAIN :are available SASL mechanisms"),
                server("904 alice :SASL authentication failed"));

        kit.send("AUTHENTICATE PLAIN", "AUTHENTICATE *");
        assertThat(kit.take()).containsExactly("AUTHENTICATE +", server("906 alice :SASL authentication aborted"));

        kit.send("AUTHENTICATE PLAIN", "AUTHENTICATE " + plain("bob", "alice", PASSWORD));
        assertThat(kit.take()).contains(server("904 alice :SASL authentication failed: you may log in only as yourself"));

        kit.send("AUTHENTICATE PLAIN", "AUTHENTICATE " + plain("", "alice", "wrong horse"));
        server.awaitAnswer(kit);
        assertThat(kit.take()).contains(server("904 alice :SASL authentication failed: wrong password for alice"));

        kit.send("AUTHENTICATE PLAIN", "AUTHENTICATE " + "A".repeat(400), "AUTHENTICATE " + "A".repeat(400),
                "AUTHENTICATE " + "A".repeat(400), "AUTHENTICATE " + "A".repeat(400), "AUTHENTICATE " + "A".repeat(400));
        assertThat(kit.take()).contains(server("905 alice :SASL message too long"));

        kit.send("CAP END"); // not logged in: the registered nick is refused at registration
        assertThat(kit.take()).containsExactly(server("433 * alice :Nickname is reserved by a different account;"
                + " log in to it with SASL or /msg NickServ IDENTIFY alice PASSWORD"));
        kit.send("NICK kit");
        assertThat(kit.take()).first().asString().startsWith(server("001 kit "));
    }

    @Test
    void identifyingRenamesToTheAccountAndRoomMatesWithTheCapsHearIt() {
        registered("alice").send("QUIT");
        Client bob = server.irc("bob", "account-notify", "account-tag", "extended-join");
        bob.send("JOIN #dev");
        Client guest = server.irc("guest");
        guest.send("JOIN #dev");
        guest.take();
        assertThat(bob.take()).contains(":" + ircPrefix("guest") + " JOIN #dev * :guest Real");

        guest.send("NICK alice");
        assertThat(guest.take()).containsExactly(server("433 guest alice :Nickname is reserved by a different account;"
                + " log in to it with SASL or /msg NickServ IDENTIFY alice PASSWORD"));

        guest.send("PRIVMSG NickServ :IDENTIFY alice " + PASSWORD);
        server.awaitAnswer(guest);
        assertThat(bob.take()).containsExactly(
                "@account=alice :" + ircPrefix("guest") + " ACCOUNT alice",
                "@account=alice :" + ircPrefix("guest") + " NICK alice");

        guest.send("PRIVMSG #dev :hello");
        assertThat(bob.take()).containsExactly("@account=alice :alice!~guest@127.0.0.1 PRIVMSG #dev :hello");

        bob.send("WHOIS alice");
        assertThat(bob.take()).contains(server("330 bob alice alice :is logged in as"));

        guest.send("PRIVMSG NickServ :LOGOUT");
        assertThat(guest.take()).contains(server("901 alice alice!~guest@127.0.0.1 :You are now logged out"));
        assertThat(bob.take()).containsExactly(":alice!~guest@127.0.0.1 ACCOUNT *");
    }

    @Test
    void aMessageToAnAbsentOwnerIsKeptAndFollowsTheirNextLoginWithItsTime() {
        registered("alice").send("QUIT");
        Client bob = server.irc("bob");
        bob.send("PRIVMSG alice :ping me when back");
        assertThat(bob.take()).containsExactly(server("301 bob alice :is offline; the message is kept until they log in"));

        Client back = server.irc("guest", "server-time", "batch");
        back.send("PRIVMSG NickServ :IDENTIFY alice " + PASSWORD);
        List<String> lines = server.awaitLine(back, l -> l.contains("ping me when back")); // read off the loop
        assertThat(lines).anyMatch(l -> l.matches("@batch=\\S+;time=\\S+Z :bob!~bob@127\\.0\\.0\\.1 PRIVMSG alice :ping me when back"));
        assertThat(lines).contains(":NickServ!NickServ@services NOTICE alice :1 private message while you were away:");

        back.send("PRIVMSG NickServ :LOGOUT", "PRIVMSG NickServ :IDENTIFY alice " + PASSWORD);
        server.awaitAnswer(back);
        assertThat(back.take()).noneMatch(l -> l.contains("ping me when back")); // delivered once
    }
}
