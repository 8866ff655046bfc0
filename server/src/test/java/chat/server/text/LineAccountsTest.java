package chat.server.text;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.accounts.AccountOptions;
import chat.server.accounts.Accounts;
import chat.server.auth.LoginThrottle;
import chat.server.text.LineHarness.Client;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The native account commands on a scripted loop, passwords checked on the accounts' own thread:
 * the words of each answer, the warning for a password in clear, the lines that wait for an
 * answer, the throttle, and the refusals.
 */
class LineAccountsTest {

    private static final String WARNING = "-- warning: your password was sent unencrypted; connect with TLS"
            + " (the console client's --tls) to keep it secret";

    private final LineHarness server = new LineHarness();
    private Accounts accounts = server.withAccounts(new AccountOptions(true, null, 5, false,
            new LoginThrottle.Policy(1, 1_000, 4_000, 3, 60_000, 100)));

    @AfterEach
    void close() {
        accounts.close();
    }

    private List<String> answer(Client client, String command, String expected) {
        client.line(command);
        List<String> lines = server.awaitLine(client, expected::equals);
        return lines;
    }

    @Test
    void registerWarnsOfThePlaintextAndTheLinesAfterItWaitForTheAnswer() {
        Client alice = server.connect("alice");
        alice.line("/register correct horse"); // two words: one password is one word
        assertThat(alice.take()).containsExactly("! usage: /register PASSWORD (registers your current nick)");

        alice.line("/register correcthorse");
        alice.line("/whois alice"); // waits: its answer comes after the registration's
        List<String> lines = server.awaitLine(alice, l -> l.startsWith("-- alice is "));
        assertThat(lines).containsSubsequence(WARNING,
                "-- registered alice; you are logged in (next time: /login alice PASSWORD)");
        assertThat(lines.indexOf("-- registered alice; you are logged in (next time: /login alice PASSWORD)"))
                .isLessThan(lines.size() - 1);

        alice.line("/register anotherone");
        assertThat(alice.take()).containsExactly("! you are logged in as alice; /logout first");
        alice.line("/logout");
        assertThat(alice.take()).containsExactly("-- logged out of alice");
        assertThat(answer(alice, "/register shorty", "! alice is registered already")).isNotEmpty();
    }

    @Test
    void passwordChangeAndUnregisterNeedTheRightPassword() {
        Client alice = server.connect("alice");
        answer(alice, "/register correcthorse", "-- registered alice; you are logged in (next time: /login alice PASSWORD)");
        alice.line("/password tooshort x");
        assertThat(alice.take()).contains("! a password is 8 to 300 characters, without spaces");
        answer(alice, "/password wronghorse batterystaple", "! wrong password for alice");
        answer(alice, "/password correcthorse batterystaple", "-- password of alice changed");
        answer(alice, "/unregister batterystaple", "-- account alice removed; the nick is anyone's once you leave it");
        assertThat(accounts.ownerOf("alice")).isNull();
        alice.line("/logout");
        assertThat(alice.take()).containsExactly("! you are not logged in");
    }

    @Test
    void nickServLinesAreTheSameCommandsAndReachNobody() {
        Client alice = server.connect("alice");
        answer(alice, "/msg NickServ REGISTER correcthorse", "-- registered alice; you are logged in (next time: /login alice PASSWORD)");
        alice.line("/msg nickserv help");
        assertThat(alice.take()).singleElement().asString().startsWith("! NickServ knows IDENTIFY, REGISTER");
    }

    @Test
    void repeatedFailuresAreThrottledThenLocked() {
        Client alice = server.connect("alice");
        answer(alice, "/register correcthorse", "-- registered alice; you are logged in (next time: /login alice PASSWORD)");
        Client guest = server.connect("guest");
        answer(guest, "/login alice guess0001", "! wrong password for alice");
        answer(guest, "/login alice guess0002", "! wrong password for alice");
        guest.line("/login alice correcthorse");
        assertThat(server.awaitLine(guest, l -> l.startsWith("! too many failed logins")))
                .contains("! too many failed logins: try again in 1 s");
        server.loop.advanceMillis(1_000);
        answer(guest, "/login alice guess0003", "! wrong password for alice");
        guest.line("/login alice correcthorse");
        assertThat(server.awaitLine(guest, l -> l.startsWith("! too many failed logins")))
                .contains("! too many failed logins: try again in 60 s (locked)");
    }

    @Test
    void requireTlsRefusesAPasswordInClearAndWithoutAccountsTheCommandsSaySo() {
        accounts.close();
        accounts = server.withAccounts(new AccountOptions(true, null, 5, true, LoginThrottle.Policy.DEFAULT));
        Client alice = server.connect("alice");
        alice.line("/register correcthorse");
        assertThat(alice.take()).containsExactly("! this server takes passwords over TLS only: reconnect with TLS"
                + " (the console client's --tls) and change the password you just sent");
        server.dialect.accounts(null);
        alice.line("/login alice correcthorse");
        assertThat(alice.take()).containsExactly("! accounts are off on this server");
    }

    @Test
    void aScriptThatLogsInSpeaksAndClosesIsHeardUnderItsAccountsNick() {
        Client alice = server.connect("alice");
        answer(alice, "/register correcthorse", "-- registered alice; you are logged in (next time: /login alice PASSWORD)");
        alice.close();
        Client bob = server.connect("bob");

        // Everything at once, then the end: the line after the login waits for its answer, and is
        // let through only once the login has given the nick.
        LineHarness.Client script = server.accept();
        script.socket.chunk("/charset UTF-8\n/login alice correcthorse\nhello as the owner\n");
        script.socket.end();
        server.loop.readable(script.connection);
        server.loop.iterate();

        List<String> heard = server.awaitLine(bob, l -> l.contains("hello as the owner"));
        assertThat(heard).contains("[#lobby] alice: hello as the owner");
    }
}
