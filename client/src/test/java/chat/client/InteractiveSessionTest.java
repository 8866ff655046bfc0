package chat.client;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive client on JLine's dumb terminal against a fake server on 127.0.0.1: typing while
 * lines arrive, reconnecting, quitting, history.
 */
class InteractiveSessionTest {

    @TempDir
    Path home;

    private FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private ClientOptions options(boolean reconnect) {
        return new ClientOptions("127.0.0.1", server.port(), "alice", StandardCharsets.UTF_8, true, reconnect,
                home.resolve(".chat_history"), null);
    }

    /** Waits until the client has sent its first lines and asked who is in #lobby. */
    private static FakeServer.Peer handshake(FakeServer.Peer peer) throws InterruptedException {
        assertEquals("/charset UTF-8", peer.nextLine());
        assertEquals("/ids on", peer.nextLine());
        assertEquals("/nick alice", peer.nextLine());
        assertEquals("/who #lobby", peer.nextLine());
        assertEquals(1, peer.readies, "the setup lines end with /ready, so the welcome does not wait");
        return peer;
    }

    /** Types /join dev on {@code peer}'s connection and waits until the client asked who is there. */
    private static void joinDev(TestTerminal term, FakeServer.Peer peer) throws InterruptedException {
        term.keyboard.type("/join dev\n");
        peer.awaitLine("/join dev");
        peer.awaitLine("/who #dev");
    }

    /**
     * Takes the server away until the client says it is reconnecting, brings it back, and returns
     * the new connection after its first two lines, the charset and the nick.
     */
    private FakeServer.Peer restart(TestTerminal term) throws Exception {
        server.goAway();
        await().until(term::screen, containsString("reconnecting in"));
        server.comeBack();
        FakeServer.Peer peer = server.nextPeer();
        assertEquals("/charset UTF-8", peer.nextLine());
        assertEquals("/ids on", peer.nextLine());
        assertEquals("/nick alice", peer.nextLine());
        return peer;
    }

    @Test
    void aLineBeingTypedSurvivesAnIncomingMessage() throws Exception {
        try (TestTerminal term = TestTerminal.xterm(options(true))) {
            FakeServer.Peer peer = handshake(server.nextPeer());
            await().until(term::screen, containsString("#lobby (2): alice bob"));

            term.keyboard.type("hel");
            await().until(term::screen, endsWith("hel")); // echoed: JLine has it in its buffer
            peer.send("[#lobby] bob: are you there?");
            // The message goes above the prompt, and the half-typed line is drawn again below it.
            await().until(() -> afterLast(term.screen(), "are you there?"), containsString("hel"));
            assertThat(afterLast(term.screen(), "are you there?"), containsString("#lobby> "));

            term.keyboard.type("lo\n");
            assertEquals("hello", peer.nextLine());
            term.keyboard.type("/quit\n");
            assertEquals("/quit", peer.nextLine());
            assertEquals(0, term.exitStatus());
        }
    }

    @Test
    void theSessionSaysWhereItConnectsAtOnceAndNamesAnUnknownHostAsSuch() throws Exception {
        ClientOptions nowhere = new ClientOptions("nosuchhost.invalid", 7788, "alice", StandardCharsets.UTF_8, false,
                true, home.resolve(".chat_history"), null);
        try (TestTerminal term = new TestTerminal(nowhere)) {
            assertEquals(1, term.exitStatus());
            assertThat(term.screen(), containsString("connecting to nosuchhost.invalid:7788"));
            assertThat(term.screen(), containsString(
                    "cannot connect to nosuchhost.invalid:7788: unknown host nosuchhost.invalid"));
            assertFalse(term.screen().contains("(offline)"), "not offline: it never was online");
        }
    }

    @Test
    void ourOwnWordsAreShownAsEveryoneSeesThem() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            FakeServer.Peer peer = handshake(server.nextPeer());
            await().until(term::screen, containsString("#lobby (2): alice bob"));
            term.keyboard.type("hello all\n");
            peer.awaitLine("hello all");
            term.keyboard.type("/me waves\n");
            peer.awaitLine("/me waves");
            term.keyboard.type("//slash at the start\n");
            peer.awaitLine("//slash at the start");
            await().until(term::screen, containsString("[#lobby] * alice waves"));
            assertThat(term.screen(), containsString("[#lobby] alice: hello all"));
            assertThat(term.screen(), containsString("[#lobby] alice: /slash at the start"));
            term.keyboard.type("/join dev\n");
            peer.awaitLine("/join dev");
            assertFalse(term.screen().contains("alice: /join"), "commands show through what they do");
            term.keyboard.type("/quit\n");
            assertEquals(0, term.exitStatus());
        }
    }

    @Test
    void aLineTooLongForTheServerGoesAsSeveralMessagesSaidSoBeforehand() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            FakeServer.Peer peer = handshake(server.nextPeer());
            String chinese = "你好".repeat(700);
            term.keyboard.type(chinese + "\n");
            String first = peer.nextLine();
            String second = peer.nextLine();
            assertEquals(chinese, first + second);
            assertTrue(first.getBytes(StandardCharsets.UTF_8).length <= LineSplitter.SERVER_LINE_BYTES);
            await().until(term::screen, containsString("sending it as 2 messages"));
            term.keyboard.type("/quit\n");
            assertEquals(0, term.exitStatus());
        }
    }

    @Test
    void reconnectsAfterTheServerRestartsAndRestoresNickAndRooms() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            joinDev(term, handshake(server.nextPeer()));

            FakeServer.Peer second = restart(term);
            assertEquals("/join #lobby", second.nextLine());
            assertEquals("/join #dev", second.nextLine()); // the current room last, so we talk there again
            // The server put us in #lobby on its own; we want it, so we ask who is there.
            assertEquals("/who #lobby", second.nextLine());
            await().until(term::screen, containsString("reconnected; restoring nick alice and rejoining #lobby #dev"));

            term.keyboard.type("still here\n");
            second.awaitLine("still here");
            term.keyboard.type("/quit\n");
            assertEquals(0, term.exitStatus());
        }
    }

    @Test
    void aReconnectLeavesTheDefaultRoomAgainWhenWeHadLeftIt() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            FakeServer.Peer first = handshake(server.nextPeer());
            joinDev(term, first);
            term.keyboard.type("/part #lobby\n");
            first.awaitLine("/part #lobby");
            await().until(term::screen, containsString("alice left"));

            FakeServer.Peer second = restart(term);
            assertEquals("/join #dev", second.nextLine());
            // The server put us in #lobby on its own; we had left it, so we leave it again
            // rather than ask who is there.
            assertEquals("/part #lobby", second.nextLine());
            assertEquals("/who #dev", second.nextLine());
            await().until(term::screen, containsString("reconnected; restoring nick alice and rejoining #dev"));

            term.keyboard.type("/quit\n");
            assertEquals(0, term.exitStatus());
        }
    }

    @Test
    void aNickStillHeldByTheLostConnectionIsAskedForAgainUntilItIsFree() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            handshake(server.nextPeer());
            server.refuseNicks(2); // the server has not noticed yet that our old connection is gone

            FakeServer.Peer second = restart(term); // its /nick alice is refused
            second.awaitLine("/nick alice"); // so is this one; the third is taken
            second.awaitLine("/nick alice");
            await().until(term::screen, containsString("guest2 is now known as alice"));
            assertThat(term.screen(), containsString("nickname alice is still taken"));
            assertThat(term.screen(), containsString("(try 2 of " + NickReclaim.MAX_ATTEMPTS + ")"));

            term.keyboard.type("/quit\n");
            second.awaitLine("/quit");
            assertEquals(0, term.exitStatus());
            assertThat(term.screen(), not(containsString("try 3 of")));
        }
    }

    @Test
    void aSecondLossWhileTheNickIsStillHeldKeepsAskingForIt() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            handshake(server.nextPeer());
            server.refuseNicks(1_000); // the old connections keep holding it
            FakeServer.Peer second = restart(term);
            second.awaitLine("/nick alice"); // a retry: the reclaim is under way
            // Lost again before the nick came back: the next connection still asks for alice,
            // not for the guest nick this one was given.
            restart(term);
            server.refuseNicks(0); // the server noticed at last: a retry of the third connection gets it
            await().until(term::screen, containsString("guest3 is now known as alice"));
            term.keyboard.type("/quit\n");
            assertEquals(0, term.exitStatus());
        }
    }

    @Test
    void aGuestStaysAGuestAcrossAReconnect() throws Exception {
        ClientOptions guest = new ClientOptions("127.0.0.1", server.port(), null, StandardCharsets.UTF_8, true, true,
                home.resolve(".chat_history"), null);
        try (TestTerminal term = new TestTerminal(guest)) {
            FakeServer.Peer first = server.nextPeer();
            assertEquals("/charset UTF-8", first.nextLine());
            assertEquals("/ids on", first.nextLine());
            assertEquals("/who #lobby", first.nextLine());
            server.goAway();
            await().until(term::screen, containsString("reconnecting in"));
            server.comeBack();
            FakeServer.Peer second = server.nextPeer();
            assertEquals("/charset UTF-8", second.nextLine());
            assertEquals("/ids on", second.nextLine());
            assertEquals("/join #lobby", second.nextLine()); // no /nick: we never chose one
            term.keyboard.type("/quit\n");
            assertEquals(0, term.exitStatus());
            assertThat(term.screen(), not(containsString("still taken")));
        }
    }

    @Test
    void aShutdownNoticeIsARestartToWaitForAndTheHalfTypedLineSurvivesIt() throws Exception {
        try (TestTerminal term = TestTerminal.xterm(options(true))) {
            FakeServer.Peer peer = handshake(server.nextPeer());
            term.keyboard.type("half typed");
            await().until(term::screen, endsWith("half typed")); // in JLine's buffer
            peer.send("-- server shutting down");
            server.goAway();
            await().until(term::screen, containsString("the server shut down; reconnecting in"));
            server.comeBack();
            FakeServer.Peer second = server.nextPeer();
            assertEquals("/charset UTF-8", second.nextLine());
            assertEquals("/ids on", second.nextLine());
            assertEquals("/nick alice", second.nextLine());
            await().until(term::screen, containsString("reconnected; restoring nick alice"));

            term.keyboard.type(" and sent\r");
            second.awaitLine("half typed and sent");
            term.keyboard.type("/quit\r");
            assertEquals(0, term.exitStatus());
        }
    }

    @Test
    void noReconnectWhenTurnedOffAndTheHalfTypedLineGoesToTheHistory() throws Exception {
        try (TestTerminal term = TestTerminal.xterm(options(false))) {
            handshake(server.nextPeer());
            term.keyboard.type("unfinished thought");
            await().until(term::screen, endsWith("unfinished thought"));
            server.goAway();
            assertEquals(1, term.exitStatus());
            assertFalse(term.screen().contains("reconnecting"));
        }
        assertThat(java.nio.file.Files.readString(home.resolve(".chat_history")), containsString("unfinished thought"));
    }


    @Test
    void endOfInputQuitsWithZero() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            FakeServer.Peer peer = handshake(server.nextPeer());
            term.keyboard.close(); // Ctrl-D
            peer.awaitLine("/quit");
            assertEquals(0, term.exitStatus());
            assertTrue(peer.ended());
        }
    }

    @Test
    void helpListsClientCommandsThenAsksTheServer() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            FakeServer.Peer peer = handshake(server.nextPeer());
            term.keyboard.type("/help\n");
            peer.awaitLine("/help");
            assertThat(term.screen(), containsString("~~ client: /help shows this and the server's commands"));
            term.keyboard.type("/quit\n");
            assertEquals(0, term.exitStatus());
        }
    }

    @Test
    void typedLinesAreKeptInTheHistoryFile() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            FakeServer.Peer peer = handshake(server.nextPeer());
            term.keyboard.type("don't \"quote\" me!!\n");
            assertEquals("don't \"quote\" me!!", peer.nextLine()); // no shell quoting, no history expansion
            term.keyboard.type("/quit\n");
            assertEquals(0, term.exitStatus());
        }
        String history = Files.readString(home.resolve(".chat_history"));
        assertThat(history, containsString("don't \"quote\" me!!"));
    }

    @Test
    void hostileServerTextReachesTheScreenDefused() throws Exception {
        try (TestTerminal term = new TestTerminal(options(true))) {
            FakeServer.Peer peer = handshake(server.nextPeer());
            peer.send("[#lobby] bob: \u001b[2J\u001b]0;owned\u0007 \u009b31m \u202Eevil");
            await().until(term::screen, containsString("bob: [2J]0;owned 31m evil"));
            assertFalse(term.screen().contains("\u001b]0;"), "no OSC from the network");
            assertFalse(term.screen().contains("\u001b[2J"), "no CSI from the network");
            term.keyboard.type("/quit\n");
            assertEquals(0, term.exitStatus());
        }
    }

    private static String afterLast(String text, String marker) {
        int at = text.lastIndexOf(marker);
        return at < 0 ? "" : text.substring(at + marker.length());
    }
}
