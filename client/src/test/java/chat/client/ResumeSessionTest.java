package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive client with message ids, against a fake server that knows {@code /ids} and
 * {@code /resume}: our own lines shown from the server's echo, and after a reconnect each room and
 * conversation picked up after the last message shown, what was missed shown once, marked, before
 * anything live.
 */
class ResumeSessionTest {

    @TempDir
    Path home;

    private FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = FakeServer.withIds();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private TestTerminal client() throws Exception {
        return new TestTerminal(new ClientOptions("127.0.0.1", server.port(), "alice", StandardCharsets.UTF_8, true,
                true, home.resolve(".chat_history"), null));
    }

    /** The first connection's setup, and the client's question about #lobby once it is there. */
    private static FakeServer.Peer handshake(TestTerminal term, FakeServer.Peer peer) throws Exception {
        assertThat(peer.nextLine()).isEqualTo("/charset UTF-8");
        assertThat(peer.nextLine()).isEqualTo("/ids on");
        assertThat(peer.nextLine()).isEqualTo("/nick alice");
        assertThat(peer.nextLine()).isEqualTo("/who #lobby");
        await().until(term::screen, s -> s.contains("-- ids on") && s.contains("is now known as alice"));
        return peer;
    }

    /** Takes the server away until the client is reconnecting, and returns the next connection. */
    private FakeServer.Peer restart(TestTerminal term) throws Exception {
        server.goAway();
        await().until(term::screen, s -> s.contains("reconnecting in"));
        server.comeBack();
        return server.nextPeer();
    }

    @Test
    void ourOwnLinesAreShownOnceFromTheServersEcho() throws Exception {
        try (TestTerminal term = client()) {
            FakeServer.Peer peer = handshake(term, server.nextPeer());
            term.keyboard.type("hello all\n");
            peer.awaitLine("hello all");
            term.keyboard.type("/me waves\n");
            peer.awaitLine("/me waves");
            await().until(term::screen, s -> s.contains("[#lobby] * alice waves"));
            assertThat(count(term.screen(), "[#lobby] alice: hello all")).isEqualTo(1);
            assertThat(count(term.screen(), "[#lobby] * alice waves")).isEqualTo(1);
            assertThat(term.screen()).doesNotContain("@f");
            term.keyboard.type("/quit\n");
            assertThat(term.exitStatus()).isZero();
        }
    }

    @Test
    void aReconnectResumesRoomsAndConversationsAndShowsWhatWasMissedOnceBeforeLiveLines() throws Exception {
        try (TestTerminal term = client()) {
            FakeServer.Peer first = handshake(term, server.nextPeer());
            first.send("@f100 [#lobby] bob: said before");
            term.keyboard.type("/join dev\n"); // no message seen there: joined, not resumed
            first.awaitLine("/who #dev");
            first.send("@f101 [pm] carol: psst");
            await().until(term::screen, s -> s.contains("[pm] carol: psst"));

            FakeServer.Peer second = restart(term);
            assertThat(second.nextLine()).isEqualTo("/charset UTF-8");
            assertThat(second.nextLine()).isEqualTo("/ids on");
            assertThat(second.nextLine()).isEqualTo("/nick alice");
            assertThat(second.nextLine()).isEqualTo("/resume #lobby f100");
            assertThat(second.nextLine()).isEqualTo("/join #dev"); // the current room, last
            assertThat(second.nextLine()).isEqualTo("/resume carol f101");

            // The answer to /resume #lobby (the fake has put us there already), overlapping what
            // was shown by one message; then live.
            second.send("@f100 [#lobby] 2026-12-01T09:14:03Z bob: said before");
            second.send("@f102 [#lobby] 2026-12-01T09:15:00Z bob: missed one");
            second.send("@f103 [#lobby] 2026-12-01T09:16:00Z * bob missed two");
            second.send("-- resumed #lobby: 3 missed messages");
            second.send("-- resumed carol: 0 missed messages");
            second.send("@f104 [#lobby] bob: live now");
            await().until(term::screen, s -> s.contains("bob: live now"));

            String shown = term.screen();
            assertThat(count(shown, "bob: said before")).as("shown before the disconnect, not again").isEqualTo(1);
            assertThat(count(shown, "bob: missed one")).isEqualTo(1);
            assertThat(count(shown, "* bob missed two")).isEqualTo(1);
            assertThat(shown.substring(shown.indexOf("reconnected"))).containsSubsequence(
                    "~~ missed in #lobby while disconnected:", "[#lobby] bob: missed one", "[#lobby] * bob missed two",
                    "-- resumed #lobby: 3 missed messages", "[#lobby] bob: live now");
            assertThat(shown).doesNotContain("@f").doesNotContain("09:15:00Z");

            // Resumed again from the last message shown, live or missed.
            FakeServer.Peer third = restart(term);
            third.awaitLine("/nick alice");
            assertThat(third.nextLine()).isEqualTo("/resume #lobby f104");
            term.keyboard.type("/quit\n");
            assertThat(term.exitStatus()).isZero();
        }
    }

    @Test
    void aResumeAnsweredBeforeItsJoinLineIsStillResumedFromNextTime() throws Exception {
        try (TestTerminal term = client()) {
            FakeServer.Peer first = handshake(term, server.nextPeer());
            first.send("@g1 [#lobby] bob: in lobby");
            term.keyboard.type("/join dev\n");
            first.awaitLine("/who #dev");
            first.send("@g2 [#dev] bob: in dev");
            await().until(term::screen, s -> s.contains("bob: in dev"));

            FakeServer.Peer second = restart(term);
            second.awaitLine("/resume #lobby g1");
            assertThat(second.nextLine()).isEqualTo("/resume #dev g2");
            // The server read #lobby's missed messages from disk and held back what followed,
            // while #dev's answer, from memory, went ahead of #dev's own join line.
            second.send("[#lobby] -- alice joined");
            second.send("@g4 [#dev] 2026-12-01T09:15:00Z bob: missed in dev");
            second.send("-- resumed #dev: 1 missed message");
            second.send("@g3 [#lobby] 2026-12-01T09:14:00Z bob: missed in lobby");
            second.send("-- resumed #lobby: 1 missed message");
            second.send("[#dev] -- alice joined");
            second.send("-- now talking in #dev");
            await().until(term::screen, s -> s.contains("now talking in #dev"));
            assertThat(term.screen()).containsSubsequence("~~ missed in #dev while disconnected:",
                    "[#dev] bob: missed in dev", "~~ missed in #lobby while disconnected:", "[#lobby] bob: missed in lobby");

            FakeServer.Peer third = restart(term);
            third.awaitLine("/resume #lobby g3");
            assertThat(third.nextLine()).isEqualTo("/resume #dev g4");
            term.keyboard.type("/quit\n");
            assertThat(term.exitStatus()).isZero();
        }
    }

    @Test
    void historyAskedForIsShownAgainAndARoomLeftIsNotResumed() throws Exception {
        try (TestTerminal term = client()) {
            FakeServer.Peer first = handshake(term, server.nextPeer());
            first.send("@f5 [#lobby] bob: latest");
            term.keyboard.type("/join dev\n");
            first.awaitLine("/who #dev");
            first.send("@f6 [#dev] bob: in dev");
            term.keyboard.type("/part #dev\n");
            first.awaitLine("/part #dev");
            await().until(term::screen, s -> s.contains("[#dev] -- alice left"));

            term.keyboard.type("/history #lobby 2\n");
            first.awaitLine("/history #lobby 2");
            first.send("@f4 [#lobby] 2026-12-01T09:14:03Z bob: older");
            first.send("@f5 [#lobby] 2026-12-01T09:14:04Z bob: latest");
            first.send("-- history of #lobby: 2 messages, none earlier");
            await().until(term::screen, s -> s.contains("-- history of #lobby"));
            assertThat(count(term.screen(), "bob: latest")).as("asked for: shown again").isEqualTo(2);
            assertThat(term.screen()).doesNotContain("missed in").doesNotContain("earlier in");

            FakeServer.Peer second = restart(term);
            second.awaitLine("/nick alice");
            assertThat(second.nextLine()).as("from the newest message, not the last one /history showed")
                    .isEqualTo("/resume #lobby f5");
            term.keyboard.type("/quit\n");
            second.awaitLine("/quit");
            assertThat(term.exitStatus()).isZero();
        }
    }

    @Test
    void theReplayOnJoinIsHeadedAndDimmedNotMarkedMissed() throws Exception {
        try (TestTerminal term = client()) {
            FakeServer.Peer peer = handshake(term, server.nextPeer());
            term.keyboard.type("/join dev\n");
            peer.awaitLine("/who #dev");
            peer.send("@f1 [#dev] 2026-12-01T09:14:03Z bob: before you came");
            peer.send("@f2 [#dev] bob: now");
            await().until(term::screen, s -> s.contains("bob: now"));
            assertThat(term.screen()).containsSubsequence("[#dev] -- alice joined", "~~ earlier in #dev:",
                    "[#dev] bob: before you came", "[#dev] bob: now");
            term.keyboard.type("/quit\n");
            assertThat(term.exitStatus()).isZero();
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
