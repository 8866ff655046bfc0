package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.history.HistoryOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive console client against the real server, picking up where it left off: it is in
 * {@code #lobby}, loses its connection (the server restarted on the same data directory, or the
 * network dropped while the server stayed up), another user says three messages meanwhile, and
 * once the client is back it shows exactly those three, under its "missed" note, in order, once
 * each, before anything live. The client reaches the server through a {@link Gate}, so the test,
 * not the client's backoff, decides when it gets back. (In the client's package, to reuse its
 * test terminal.)
 */
class ResumeEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path home;
    @TempDir
    Path data;

    private ChatServer server;
    private Gate gate;

    @AfterEach
    void stop() throws Exception {
        if (gate != null) {
            gate.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A server keeping history in {@link #data}, on any free port. */
    private ChatServer startServer() throws IOException {
        server = new ChatServer(ServerConfig.loopbackEphemeral().withShutdownGrace(Duration.ofSeconds(2))
                .withHistory(HistoryOptions.inMemory().withDataDir(data))).start();
        return server;
    }

    private TestTerminal client() throws IOException {
        return new TestTerminal(new ClientOptions("127.0.0.1", gate.port(), "alice", StandardCharsets.UTF_8, false, true,
                home.resolve(".chat_history"), null));
    }

    @Test
    void afterARestartOnTheSameDataDirectoryTheClientShowsWhatItMissedOnceAndFirst() throws Exception {
        gate = new Gate(startServer().port());
        try (TestTerminal term = client()) {
            await().atMost(WAIT).until(term::screen, s -> s.contains("[#lobby] -- alice joined"));
            try (Talker bob = new Talker(server.port(), "bob")) {
                bob.say("said before");
            }
            await().atMost(WAIT).until(term::screen, s -> s.contains("bob: said before"));

            gate.refuse(); // the client's attempts are refused until the test opens the gate again
            server.shutdown();
            assertThat(server.awaitStopped(20, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(term::screen, s -> s.contains("the server shut down; reconnecting in"));

            gate.to(startServer().port()); // the same data directory: the store has "said before"
            List<String> ids = new ArrayList<>();
            try (Talker bob = new Talker(server.port(), "bob")) {
                for (int i = 1; i <= 3; i++) {
                    ids.add(bob.say("missed " + i));
                }
                gate.open();
                assertCaughtUp(term, bob, ids);
            }
            term.keyboard.type("/quit\n");
            assertThat(term.exitStatus()).isZero();
        }
    }

    @Test
    void afterTheConnectionDropsWhileTheServerStaysUpTheClientShowsWhatItMissedOnceAndFirst() throws Exception {
        gate = new Gate(startServer().port());
        try (TestTerminal term = client(); Talker bob = new Talker(server.port(), "bob")) {
            await().atMost(WAIT).until(() -> members("#lobby").containsAll(List.of("alice", "bob")));
            bob.say("said before");
            await().atMost(WAIT).until(term::screen, s -> s.contains("bob: said before"));

            gate.cut();
            await().atMost(WAIT).until(term::screen, s -> s.contains("reconnecting in"));
            await().atMost(WAIT).until(() -> !members("#lobby").contains("alice")); // the server saw it go
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                ids.add(bob.say("missed " + i));
            }
            gate.open();
            assertCaughtUp(term, bob, ids);
            term.keyboard.type("/quit\n");
            assertThat(term.exitStatus()).isZero();
        }
    }

    /**
     * Two rooms across two restarts: after a restart every room's history comes from the disk, and
     * each room still shows what it missed, once, under its own note, and is resumed again from
     * there the next time.
     */
    @Test
    void everyRoomIsResumedAcrossRestarts() throws Exception {
        gate = new Gate(startServer().port());
        try (TestTerminal term = client()) {
            await().atMost(WAIT).until(term::screen, s -> s.contains("[#lobby] -- alice joined"));
            term.keyboard.type("/join dev\n");
            await().atMost(WAIT).until(term::screen, s -> s.contains("[#dev] -- alice joined"));
            try (Talker bob = new Talker(server.port(), "bob")) {
                bob.say("before in lobby");
                bob.join("#dev");
                bob.say("before in dev");
            }
            await().atMost(WAIT).until(term::screen, s -> s.contains("bob: before in dev"));

            for (int round = 1; round <= 2; round++) {
                gate.refuse();
                server.shutdown();
                assertThat(server.awaitStopped(20, TimeUnit.SECONDS)).isTrue();
                gate.to(startServer().port());
                try (Talker bob = new Talker(server.port(), "bob")) {
                    bob.say("missed in lobby " + round);
                    bob.join("#dev");
                    bob.say("missed in dev " + round);
                }
                gate.open();
                String lobby = "-- resumed #lobby: 1 missed message";
                String dev = "-- resumed #dev: 1 missed message";
                int expected = round;
                await().atMost(WAIT).until(term::screen, s -> count(s, lobby) == expected && count(s, dev) == expected);
            }
            String shown = term.screen();
            for (String once : List.of("bob: before in lobby", "bob: before in dev", "bob: missed in lobby 1",
                    "bob: missed in dev 1", "bob: missed in lobby 2", "bob: missed in dev 2")) {
                assertThat(count(shown, once)).as(once).isEqualTo(1);
            }
            assertThat(shown).doesNotContain("earlier in #dev").doesNotContain("earlier in #lobby");
            term.keyboard.type("/quit\n");
            assertThat(term.exitStatus()).isZero();
        }
    }

    /**
     * The client is back: the three missed messages, once each, in order, under the note, then the
     * server's count, then a line said live after it; no id on the screen.
     */
    private static void assertCaughtUp(TestTerminal term, Talker bob, List<String> ids) throws IOException {
        await().atMost(WAIT).until(term::screen, s -> s.contains("-- resumed #lobby: 3 missed messages"));
        bob.say("live after");
        await().atMost(WAIT).until(term::screen, s -> s.contains("bob: live after"));

        String shown = term.screen();
        String back = shown.substring(shown.indexOf("reconnected; restoring nick alice and rejoining #lobby"));
        assertThat(back).containsSubsequence("~~ missed in #lobby while disconnected:",
                "[#lobby] bob: missed 1", "[#lobby] bob: missed 2", "[#lobby] bob: missed 3",
                "-- resumed #lobby: 3 missed messages", "[#lobby] bob: live after");
        for (String once : List.of("bob: said before", "bob: missed 1", "bob: missed 2", "bob: missed 3",
                "bob: live after", "missed in #lobby")) {
            assertThat(count(shown, once)).as(once).isEqualTo(1);
        }
        for (String id : ids) {
            assertThat(shown).doesNotContain("@" + id);
        }
    }

    private List<String> members(String room) throws Exception {
        CompletableFuture<List<String>> members = new CompletableFuture<>();
        server.execute(() -> {
            try {
                members.complete(List.copyOf(server.core().members(room).nicks()));
            } catch (chat.server.core.ChatException e) {
                members.complete(List.of());
            }
        });
        return members.get(10, TimeUnit.SECONDS);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /** Another user on a raw socket, with ids on: says a line and waits for the server's echo of it. */
    private static final class Talker implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final BufferedReader in;
        private final String nick;

        Talker(int port, String nick) throws IOException {
            this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout((int) WAIT.toMillis());
            this.out = socket.getOutputStream();
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.nick = nick;
            send("/nick " + nick);
            send("/ids on");
        }

        /** Says {@code text} in the current room; returns its id once the server has taken it. */
        String say(String text) throws IOException {
            send(text);
            String echo;
            do {
                echo = in.readLine();
            } while (echo != null && !echo.endsWith("] " + nick + ": " + text));
            assertThat(echo).as("the echo of " + text).startsWith("@");
            return echo.substring(1, echo.indexOf(' '));
        }

        /** Joins a room and waits until it is there. */
        void join(String room) throws IOException {
            send("/join " + room);
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.equals("[" + room + "] -- " + nick + " joined"));
        }

        private void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
