package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive client with {@code --login} against a fake server with accounts: it logs in
 * after every welcome, holds back what depends on the nick until the answer, stops after a wrong
 * password, and never shows or keeps the password.
 */
class LoginSessionTest {

    private static final String PASSWORD = "s3cret-Pw";

    @TempDir
    Path home;

    private FakeServer server;

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private ClientOptions options(String password) {
        return new ClientOptions("127.0.0.1", server.port(), "alice", StandardCharsets.UTF_8, true, true,
                home.resolve(".chat_history"), null).withLogin(password == null ? null : new Password(password.toCharArray()));
    }

    /** Takes the server away until the client is reconnecting, and returns the next connection. */
    private FakeServer.Peer restart(TestTerminal term) throws Exception {
        server.goAway();
        await().until(term::screen, s -> s.contains("reconnecting in"));
        server.comeBack();
        return server.nextPeer();
    }

    /** Quits, and says nothing showed or kept the password. */
    private void quitLeavingNoTrace(TestTerminal term, FakeServer.Peer peer) throws Exception {
        term.keyboard.type("/quit\n");
        peer.awaitLine("/quit");
        assertThat(term.exitStatus()).isZero();
        assertThat(term.screen()).doesNotContain(PASSWORD);
        Path history = home.resolve(".chat_history");
        if (Files.exists(history)) {
            assertThat(Files.readString(history)).doesNotContain(PASSWORD);
        }
    }

    @Test
    void logsInAfterTheWelcomeAndAgainAfterEveryReconnect() throws Exception {
        server = new FakeServer();
        server.account("alice", PASSWORD);
        try (TestTerminal term = new TestTerminal(options(PASSWORD))) {
            FakeServer.Peer first = server.nextPeer();
            // No /nick: the server refuses an account's nick until we are logged in, and the login gives it.
            assertThat(first.linesUntil("/who #lobby"))
                    .containsExactly("/charset UTF-8", "/ids on", "/login alice " + PASSWORD, "/who #lobby");
            await().until(term::screen, s -> s.contains("guest1 is now known as alice"));
            assertThat(term.screen()).contains("-- logged in as alice");

            FakeServer.Peer second = restart(term);
            assertThat(second.linesUntil("/login alice " + PASSWORD))
                    .containsExactly("/charset UTF-8", "/ids on", "/join #lobby", "/login alice " + PASSWORD);
            await().until(term::screen, s -> s.contains("guest2 is now known as alice"));
            assertThat(term.screen()).contains("reconnected; logging in as alice and rejoining #lobby");

            FakeServer.Peer third = restart(term);
            third.awaitLine("/login alice " + PASSWORD);
            await().until(term::screen, s -> s.contains("guest3 is now known as alice"));
            quitLeavingNoTrace(term, third);
        }
    }

    @Test
    void conversationsAreResumedOnlyOnceLoggedIn() throws Exception {
        server = FakeServer.withIds();
        server.account("alice", PASSWORD);
        try (TestTerminal term = new TestTerminal(options(PASSWORD))) {
            FakeServer.Peer first = server.nextPeer();
            first.awaitLine("/login alice " + PASSWORD);
            await().until(term::screen, s -> s.contains("guest1 is now known as alice"));
            first.send("@f100 [#lobby] bob: said before");
            first.send("@f101 [pm] carol: psst");
            await().until(term::screen, s -> s.contains("[pm] carol: psst"));

            FakeServer.Peer second = restart(term);
            List<String> sent = second.linesUntil("/resume carol f101");
            // A conversation is told to the nick that holds it: resumed as a guest, it would be the guest's.
            assertThat(sent).containsSubsequence("/charset UTF-8", "/ids on", "/resume #lobby f100",
                    "/login alice " + PASSWORD, "/resume carol f101");
            assertThat(sent).doesNotContain("/nick alice");
            quitLeavingNoTrace(term, second);
        }
    }

    @Test
    void aWrongPasswordIsToldOnceAndNotTriedAgain() throws Exception {
        server = new FakeServer();
        server.account("alice", "the-right-one");
        try (TestTerminal term = new TestTerminal(options(PASSWORD))) {
            FakeServer.Peer first = server.nextPeer();
            first.awaitLine("/login alice " + PASSWORD);
            first.awaitLine("/nick alice"); // not logged in: the nick the usual way, which the server refuses
            await().until(term::screen, s -> s.contains("is registered: /login alice PASSWORD if it is yours"));
            assertThat(term.screen()).contains("! wrong password for alice");

            FakeServer.Peer second = restart(term);
            assertThat(second.linesUntil("/join #lobby")).containsExactly("/charset UTF-8", "/ids on", "/nick alice",
                    "/join #lobby");
            await().until(term::screen, s -> s.contains("reconnected; restoring nick alice"));
            term.keyboard.type("/quit\n");
            assertThat(second.linesUntil("/quit")).noneMatch(l -> l.startsWith("/login"));
            assertThat(term.exitStatus()).isZero();
            assertThat(count(term.screen(), "not logging in again in this session")).isEqualTo(1);
            assertThat(term.screen()).doesNotContain("still taken").doesNotContain(PASSWORD);
        }
    }

    @Test
    void thePasswordIsAskedForMaskedWhenNoFileGivesIt() throws Exception {
        server = new FakeServer();
        server.account("alice", PASSWORD);
        try (TestTerminal term = new TestTerminal(options(null))) {
            await().until(term::screen, s -> s.contains("password for alice: "));
            term.keyboard.type(PASSWORD + "\r");
            FakeServer.Peer first = server.nextPeer();
            first.awaitLine("/login alice " + PASSWORD);
            await().until(term::screen, s -> s.contains("guest1 is now known as alice"));
            quitLeavingNoTrace(term, first);
        }
    }

    @Test
    void anEmptyPasswordAtThePromptEndsTheClient() throws Exception {
        server = new FakeServer();
        try (TestTerminal term = new TestTerminal(options(null))) {
            term.keyboard.type("\r");
            assertThat(term.exitStatus()).isEqualTo(2);
            assertThat(term.screen()).contains("--login: no password given");
        }
    }

    @Test
    void tooManyFailedLoginsIsAskedAgainAfterTheServersWait() throws Exception {
        server = new FakeServer();
        server.account("alice", PASSWORD);
        server.refuseLoginsAsTooMany(1);
        try (TestTerminal term = new TestTerminal(options(PASSWORD))) {
            FakeServer.Peer first = server.nextPeer();
            first.awaitLine("/login alice " + PASSWORD);
            first.awaitLine("/login alice " + PASSWORD);
            await().until(term::screen, s -> s.contains("guest1 is now known as alice"));
            assertThat(term.screen()).contains("logging in again in 0 s (try 1 of " + AutoLogin.MAX_RATE_LIMITED_RETRIES + ")");
            quitLeavingNoTrace(term, first);
        }
    }

    @Test
    void aServerWithoutAccountsGetsTheNickTheUsualWay() throws Exception {
        server = new FakeServer(); // no accounts: /login is an unknown command
        try (TestTerminal term = new TestTerminal(options(PASSWORD))) {
            FakeServer.Peer first = server.nextPeer();
            first.awaitLine("/login alice " + PASSWORD);
            first.awaitLine("/nick alice");
            await().until(term::screen, s -> s.contains("guest1 is now known as alice"));
            assertThat(term.screen()).contains("this server has no accounts; not logging in");

            FakeServer.Peer second = restart(term);
            assertThat(second.nextLine()).isEqualTo("/charset UTF-8");
            assertThat(second.nextLine()).isEqualTo("/ids on");
            assertThat(second.nextLine()).isEqualTo("/nick alice");
            quitLeavingNoTrace(term, second);
        }
    }

    @Test
    void afterLogoutAReconnectDoesNotLogInAndTypedPasswordsAreNotKept() throws Exception {
        server = new FakeServer();
        server.account("alice", PASSWORD);
        try (TestTerminal term = new TestTerminal(options(PASSWORD))) {
            FakeServer.Peer first = server.nextPeer();
            await().until(term::screen, s -> s.contains("guest1 is now known as alice"));
            term.keyboard.type("/password " + PASSWORD + " n3w-" + PASSWORD + "\n");
            first.awaitLine("/password " + PASSWORD + " n3w-" + PASSWORD);
            term.keyboard.type("/logout\n");
            first.awaitLine("/logout");
            await().until(term::screen, s -> s.contains("not logging in after a reconnect for the rest of this session"));

            FakeServer.Peer second = restart(term);
            assertThat(second.linesUntil("/join #lobby")).containsExactly("/charset UTF-8", "/ids on", "/nick alice",
                    "/join #lobby");
            quitLeavingNoTrace(term, second);
        }
        assertThat(Files.readString(home.resolve(".chat_history"))).contains("/logout").doesNotContain("/password");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }
}
