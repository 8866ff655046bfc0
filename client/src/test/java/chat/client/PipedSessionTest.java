package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client with standard input not a terminal, through the public constructor, as scripts use it. */
class PipedSessionTest {

    private FakeServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private CompletableFuture<Integer> run(String input, Charset charset, String nick) {
        ClientOptions options = new ClientOptions("127.0.0.1", server.port(), nick, charset);
        ChatClient client = new ChatClient(options, new ByteArrayInputStream(input.getBytes(charset)),
                new PrintStream(out, true, charset), new PrintStream(err, true, StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(client::run);
    }

    @Test
    void sendsEveryLineThenExitsZeroWhenTheServerCloses() throws Exception {
        CompletableFuture<Integer> exit = run("hello\n//slash\nbye\n", StandardCharsets.UTF_8, "alice");
        FakeServer.Peer peer = server.nextPeer();
        assertEquals("/charset UTF-8", peer.nextLine());
        assertEquals("/nick alice", peer.nextLine());
        assertEquals("hello", peer.nextLine());
        assertEquals("//slash", peer.nextLine());
        assertEquals("bye", peer.nextLine());
        assertEquals(0, exit.get()); // the fake closes after the client's half-close
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("-- welcome guest1; /help lists the commands\n[#lobby] -- guest1 joined\n"), shown);
        assertTrue(shown.contains("-- guest1 is now known as alice\n"), shown);
        assertFalse(shown.contains("\u001b"), "no colour when piped");
    }

    @Test
    void quitExitsZero() throws Exception {
        CompletableFuture<Integer> exit = run("/quit see you\nnever sent\n", StandardCharsets.UTF_8, null);
        FakeServer.Peer peer = server.nextPeer();
        peer.awaitLine("/quit see you");
        assertEquals(0, exit.get());
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("-- bye\n"));
    }

    @Test
    void serverGoingAwayExitsOne() throws Exception {
        ClientOptions options = new ClientOptions("127.0.0.1", server.port(), null, StandardCharsets.UTF_8);
        Keyboard neverEnds = new Keyboard();
        ChatClient client = new ChatClient(options, neverEnds, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(client::run);
        server.nextPeer().awaitLine("/charset UTF-8");
        server.goAway();
        assertEquals(1, exit.get());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the server closed the connection")
                || err.toString(StandardCharsets.UTF_8).contains("connection lost"), err.toString(StandardCharsets.UTF_8));
        neverEnds.close();
    }

    @Test
    void printsServerLinesSanitized() throws Exception {
        ClientOptions options = new ClientOptions("127.0.0.1", server.port(), null, StandardCharsets.UTF_8);
        Keyboard input = new Keyboard();
        ChatClient client = new ChatClient(options, input, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(client::run);
        FakeServer.Peer peer = server.nextPeer();
        peer.awaitLine("/charset UTF-8");
        peer.send("[#lobby] bob: \u001b[2J\u001b]0;owned\u0007red\u009b31m \u202Eevil");
        peer.send("-- marker");
        input.close();
        assertEquals(0, exit.get());
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("[#lobby] bob: [2J]0;ownedred31m evil\n-- marker\n"), shown);
        assertTrue(shown.chars().noneMatch(c -> c != '\n' && chat.common.TerminalSafeText.isUnsafe((char) c)), shown);
    }

    @Test
    void speaksTheConsoleCharsetOnTheWire() throws Exception {
        Charset gbk = Charset.forName("GBK");
        CompletableFuture<Integer> exit = run("/quit\n", gbk, null);
        assertEquals("/charset GBK", server.nextPeer().nextLine());
        assertEquals(0, exit.get());
    }

    @Test
    void cannotConnectExitsOne() throws Exception {
        // A port held by a bound socket that does not listen: connecting is refused, and no
        // other process on this shared machine can start listening there meanwhile.
        try (java.net.Socket holder = new java.net.Socket()) {
            holder.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            int port = holder.getLocalPort();
            ClientOptions options = new ClientOptions("127.0.0.1", port, null, StandardCharsets.UTF_8);
            int status = new ChatClient(options, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run();
            assertEquals(1, status);
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cannot connect to 127.0.0.1:" + port));
        }
    }

    @Test
    void aScriptLogsInBeforeItsFirstLineAndGetsTheNickFromTheLogin() throws Exception {
        server.account("bot", "s3cret");
        ClientOptions options = new ClientOptions("127.0.0.1", server.port(), "bot", StandardCharsets.UTF_8)
                .withLogin(new Password("s3cret".toCharArray()));
        Password password = options.password();
        ChatClient client = new ChatClient(options, new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(client::run);
        FakeServer.Peer peer = server.nextPeer();
        assertEquals("/charset UTF-8", peer.nextLine());
        assertEquals("/login bot s3cret", peer.nextLine()); // no /nick: the login gives it
        assertEquals("hello", peer.nextLine());
        assertEquals(0, exit.get());
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("-- logged in as bot\n-- guest1 is now known as bot\n"), shown);
        assertFalse(shown.contains("s3cret") || err.toString(StandardCharsets.UTF_8).contains("s3cret"));
        assertTrue(password.isWiped(), "a script never needs it again");
    }

    @Test
    void aScriptCannotBeAskedForItsPassword() {
        ClientOptions options = new ClientOptions("127.0.0.1", server.port(), "bot", StandardCharsets.UTF_8)
                .withLogin(null);
        int status = new ChatClient(options, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run();
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("give it with --password-file FILE"),
                err.toString(StandardCharsets.UTF_8));
    }
}
