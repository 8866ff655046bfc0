package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive console client against the real server: it survives a server restart, then
 * restores its nick and rooms, also after a planned restart, with the line it was typing intact.
 * (It lives in the client's package to reuse the client's test terminal.)
 */
class RealServerInteractiveTest {

    @TempDir
    Path home;

    private ChatServer server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private ChatServer startOn(int port) throws Exception {
        server = new ChatServer(ServerConfig.loopbackEphemeral().withPort(port)
                .withShutdownGrace(Duration.ofSeconds(2))).start();
        return server;
    }

    private ClientOptions options(int port) {
        return new ClientOptions("127.0.0.1", port, "alice", StandardCharsets.UTF_8, false, true,
                home.resolve(".chat_history"), null);
    }

    /** Kills the server without a shutdown notice, as a crash would, by stopping its loop abruptly. */
    private void crash() throws InterruptedException {
        server.stopNow();
        assertThat(server.awaitStopped(10, TimeUnit.SECONDS)).isTrue();
        server = null;
    }

    @Test
    void afterTheServerRestartsTheClientReconnectsAndRestoresNickAndRooms() throws Exception {
        int port = startOn(0).port();
        try (TestTerminal term = new TestTerminal(options(port))) {
            await().until(term::screen, s -> s.contains("[#lobby] -- alice joined"));
            term.keyboard.type("/join dev\n");
            await().until(term::screen, s -> s.contains("[#dev] -- alice joined"));

            crash();
            await().atMost(Duration.ofSeconds(10)).until(term::screen, s -> s.contains("reconnecting in"));
            startOn(port);

            await().atMost(Duration.ofSeconds(20)).until(term::screen,
                    s -> s.contains("reconnected; restoring nick alice and rejoining #lobby #dev"));
            // Each connection starts as alice: the nick is asked for before the welcome.
            await().until(() -> term.screen().split("-- welcome alice;", -1).length - 1 == 2);
            assertThat(term.screen()).doesNotContain("is now known as alice").doesNotContain("welcome guest-");
            await().until(() -> onLoopMembers("#dev").contains("alice"));
            term.keyboard.type("/quit\n");
            assertThat(term.exitStatus()).isZero();
        }
    }

    @Test
    void aPlannedRestartBringsTheClientBackWithItsHalfTypedLine() throws Exception {
        int port = startOn(0).port();
        try (TestTerminal term = TestTerminal.xterm(options(port))) {
            await().until(term::screen, s -> s.contains("[#lobby] -- alice joined"));
            term.keyboard.type("typed before the restart");
            await().until(term::screen, s -> s.endsWith("typed before the restart"));
            server.shutdown(); // SIGTERM's path: every client is told
            assertThat(server.awaitStopped(20, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(term::screen, s -> s.contains("the server shut down; reconnecting in"));
            startOn(port);

            await().atMost(Duration.ofSeconds(20)).until(term::screen, s -> s.contains("reconnected; restoring nick alice"));
            await().until(() -> onLoopMembers("#lobby").contains("alice"));
            try (java.net.Socket bob = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                java.io.BufferedReader lines = new java.io.BufferedReader(
                        new java.io.InputStreamReader(bob.getInputStream(), StandardCharsets.UTF_8));
                bob.setSoTimeout((int) TimeUnit.SECONDS.toMillis(20));
                await().until(() -> onLoopMembers("#lobby").split(" ").length == 2); // bob is in
                term.keyboard.type(", sent after it\r");
                String line;
                do {
                    line = lines.readLine();
                } while (line != null && !line.startsWith("[#lobby] alice: "));
                assertThat(line).isEqualTo("[#lobby] alice: typed before the restart, sent after it");
            }
            term.keyboard.type("/quit\r");
            assertThat(term.exitStatus()).isZero();
        }
    }

    @Test
    void charsetSwitchesTheClientAndTheServerTogether() throws Exception {
        int port = startOn(0).port();
        try (TestTerminal term = new TestTerminal(options(port));
             java.net.Socket bob = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            await().until(() -> onLoopMembers("#lobby").split(" ").length == 2);
            java.io.BufferedReader bobReads = new java.io.BufferedReader(
                    new java.io.InputStreamReader(bob.getInputStream(), StandardCharsets.UTF_8));
            bob.setSoTimeout((int) TimeUnit.SECONDS.toMillis(20));

            term.keyboard.type("/charset UTF-16\n");
            await().until(term::screen, s -> s.contains("not changed: charset UTF-16 is not ASCII-compatible"));
            term.keyboard.type("/charset GBK\n");
            await().until(term::screen, s -> s.contains("-- charset is now GBK"));
            term.keyboard.type("你好 café\n");
            String line;
            do {
                line = bobReads.readLine();
            } while (line != null && !line.startsWith("[#lobby] alice: "));
            assertThat(line).as("sent in GBK, read by the server as GBK, relayed as UTF-8")
                    .isEqualTo("[#lobby] alice: 你好 café");
            bob.getOutputStream().write("谢谢\n".getBytes(StandardCharsets.UTF_8));
            await().until(term::screen, s -> s.contains(": 谢谢"));
            term.keyboard.type("/quit\n");
            assertThat(term.exitStatus()).isZero();
        }
    }

    private String onLoopMembers(String room) throws Exception {
        java.util.concurrent.CompletableFuture<String> members = new java.util.concurrent.CompletableFuture<>();
        server.execute(() -> {
            try {
                members.complete(String.join(" ", server.core().members(room).nicks()));
            } catch (chat.server.core.ChatException e) {
                members.complete("");
            }
        });
        return members.get(10, TimeUnit.SECONDS);
    }
}
