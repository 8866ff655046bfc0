package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.server.ServerConfig;
import chat.server.accounts.AccountOptions;
import chat.server.history.HistoryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import net.engio.mbassy.listener.Handler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent;
import org.kitteh.irc.client.library.feature.auth.SaslPlain;

/**
 * Accounts over real sockets, with the embedded store in a temporary data directory: a nick
 * registered, then refused to a guest, a wrong and a right password, the ghost of a stale
 * connection, a private message kept while the owner was away and delivered once, SASL PLAIN from
 * an IRC client library, no password in the store, and accounts that survive a restart.
 */
class AccountsEndToEndTest {

    private static final String PASSWORD = "correcthorsebattery";

    @RegisterExtension
    final RunningServer server = new RunningServer();

    @TempDir
    Path dataDir;

    private ServerConfig config() {
        return ServerConfig.loopbackEphemeral()
                .withHistory(HistoryOptions.inMemory())
                .withAccounts(new AccountOptions(true, dataDir, AccountOptions.DEFAULT_MAX_KEPT, false,
                        chat.server.auth.LoginThrottle.Policy.DEFAULT));
    }

    @Test
    void aRegisteredNickIsKeptForItsOwnerWithMessagesWhileAwayAndAcrossARestart() throws Exception {
        server.start(config());
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            alice.send("/register " + PASSWORD);
            alice.awaitExact("-- registered alice; you are logged in (next time: /login alice PASSWORD)");
            assertThat(alice.lines()).contains("-- warning: your password was sent unencrypted; connect with TLS"
                    + " (the console client's --tls) to keep it secret");
        }
        await().until(() -> server.onLoop(s -> s.core().user("alice")) == null);

        try (LineClient guest = LineClient.connected(server.port());
                LineClient bob = LineClient.named(server.port(), "bob")) {
            guest.send("/nick alice");
            guest.awaitExact("! nickname \"alice\" is registered: /login alice PASSWORD if it is yours");

            bob.send("/msg alice are you there?");
            bob.awaitExact("-- alice is offline; the message is kept until they log in");
            bob.send("/msg nobody hello");
            bob.awaitExact("! no such nick \"nobody\"");

            guest.send("/login alice wronghorsebattery");
            guest.awaitExact("! wrong password for alice");
            guest.send("/login alice " + PASSWORD);
            guest.awaitExact("-- logged in as alice");
            guest.awaitExact("-- 1 private message while you were away:");
            String kept = guest.awaitLine(l -> l.startsWith("[pm] ") && l.endsWith(" bob: are you there?"));
            assertThat(kept).matches("\\[pm] \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ bob: are you there\\?");
            guest.awaitExact("-- end of the messages kept for you");
            assertThat(server.<String>onLoop(s -> s.core().user("alice").account())).isEqualTo("alice");

            // The owner comes back on a new connection while the old one still holds the nick.
            try (LineClient again = LineClient.connected(server.port())) {
                again.send("/login alice " + PASSWORD);
                again.awaitExact("-- logged in as alice");
                again.awaitExact("-- your other connection as alice was closed");
                guest.awaitExact("! you logged in as alice from another connection; this one is closed");
                guest.awaitEndOfStream();
                bob.awaitExact("-- alice quit: " + chat.server.core.ChatEvent.Ghosted.QUIT_REASON);
                again.send("/msg bob back");
                bob.awaitExact("[pm] alice: back");
                assertThat(again.lines()).noneMatch(l -> l.contains("while you were away")); // delivered once
            }
        }

        assertThat(storeBytesContain(PASSWORD)).isFalse();
        server.stop();

        server.start(config()); // a restart: the account is on disk
        try (LineClient guest = LineClient.connected(server.port())) {
            guest.send("/nick alice");
            guest.awaitExact("! nickname \"alice\" is registered: /login alice PASSWORD if it is yours");
            guest.send("/login alice " + PASSWORD);
            guest.awaitExact("-- logged in as alice");
        }
    }

    @Test
    void anIrcLibraryLogsInWithSaslPlainAndTakesItsNickBack() throws Exception {
        server.start(config());
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            alice.send("/register " + PASSWORD);
            alice.awaitLine(l -> l.startsWith("-- registered alice"));
            List<String> numerics = new CopyOnWriteArrayList<>();
            Client kit = Client.builder().nick("alice").user("kit").realName("Kitteh Tester")
                    .server().host("127.0.0.1").port(server.port(), Client.Builder.Server.SecurityType.INSECURE).then()
                    .build();
            kit.getEventManager().registerEventListener(new Object() {
                @Handler
                public void onNumeric(ClientReceiveNumericEvent event) {
                    numerics.add(String.format("%03d ", event.getNumeric()) + String.join(" ", event.getParameters()));
                }
            });
            kit.getAuthManager().addProtocol(new SaslPlain(kit, "alice", PASSWORD));
            try {
                kit.connect();
                // The library's connection arrives logged in and the stale native one is put out.
                alice.awaitExact("! you logged in as alice from another connection; this one is closed");
                await().atMost(Duration.ofSeconds(10)).until(() -> numerics.stream().anyMatch(n -> n.startsWith("001 alice")));
                assertThat(numerics).anyMatch(n -> n.startsWith("900 ") && n.contains(" alice You are now logged in as alice"));
                assertThat(numerics).anyMatch(n -> n.startsWith("903 "));
                assertThat(server.<String>onLoop(s -> s.core().user("alice").account())).isEqualTo("alice");
            } finally {
                kit.shutdown("done");
            }
        }
    }

    @Test
    void saslWithAWrongPasswordFailsAndTheNickStaysRefused() throws Exception {
        server.start(config());
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            alice.send("/register " + PASSWORD);
            alice.awaitLine(l -> l.startsWith("-- registered alice"));
        }
        try (LineClient irc = new LineClient(server.port())) {
            irc.send("CAP LS 302");
            irc.awaitLine(l -> l.contains(" CAP * LS ") && l.contains("sasl=PLAIN"));
            irc.send("NICK alice");
            irc.send("USER a 0 * :A");
            irc.send("CAP REQ :sasl");
            irc.awaitLine(l -> l.contains(" ACK :sasl"));
            irc.send("AUTHENTICATE PLAIN");
            irc.awaitLine(l -> l.startsWith("AUTHENTICATE +"));
            irc.send("AUTHENTICATE " + java.util.Base64.getEncoder().encodeToString(
                    "\0alice\0wronghorsebattery".getBytes(StandardCharsets.UTF_8)));
            irc.awaitLine(l -> l.contains(" 904 "));
            irc.send("CAP END");
            irc.awaitLine(l -> l.contains(" 433 * alice :Nickname is reserved by a different account"));
        }
    }

    @Test
    void theConsoleClientLogsInFromAPasswordFileAndTakesTheNickFromItsStaleConnection() throws Exception {
        server.start(config());
        Path secret = Files.createTempFile(dataDir.getParent(), "password", ".txt");
        try (LineClient stale = LineClient.named(server.port(), "alice");
                LineClient bob = LineClient.named(server.port(), "bob")) {
            stale.send("/register " + PASSWORD);
            stale.awaitLine(l -> l.startsWith("-- registered alice"));
            Files.writeString(secret, PASSWORD + "\n");
            Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

            Process client = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "chat.client.ClientMain",
                    "--host", "127.0.0.1", "--port", String.valueOf(server.port()), "--charset", "UTF-8",
                    "--nick", "alice", "--password-file", secret.toString())
                    .redirectErrorStream(true).start();
            try (java.io.OutputStream stdin = client.getOutputStream()) {
                stdin.write("hello as the owner\n".getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as(output).isZero();

            stale.awaitExact("! you logged in as alice from another connection; this one is closed");
            bob.awaitExact("[#lobby] alice: hello as the owner");
            assertThat(output).contains("-- logged in as alice").doesNotContain(PASSWORD);
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    /** Whether any file of the data directory (the database, its write-ahead log) holds {@code text}. */
    private boolean storeBytesContain(String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : files.toList()) {
                byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + needle.length <= bytes.length; i++) {
                    if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
