package chat.server.web;

import static chat.server.web.ClientFrames.concat;
import static chat.server.web.ClientFrames.text;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.net.CloseReason;
import chat.server.net.Connection;
import chat.server.net.DetectedProtocol;
import chat.server.net.Limits;
import chat.server.net.LoopHarness;
import chat.server.net.RecordingProtocol;
import chat.server.net.ScriptedTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTP on a hand-driven loop with a scripted socket: splits, queued output and timers happen for certain. */
class HttpSessionTest {

    private static final String UPGRADE = "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private final RecordingProtocol irc = new RecordingProtocol(1000);
    private final LoopHarness harness = harness(WebOptions.defaults());

    private LoopHarness harness(WebOptions options) {
        WebProtocol web = new WebProtocol(options, WebFiles.of(Map.of("index.html", "<p>hi</p>".getBytes())), irc);
        Map<DetectedProtocol, chat.server.net.Protocol> protocols = new EnumMap<>(DetectedProtocol.class);
        for (DetectedProtocol d : DetectedProtocol.values()) {
            protocols.put(d, d == DetectedProtocol.HTTP ? web : new RecordingProtocol(1000));
        }
        return new LoopHarness(Limits.defaults(), LoopHarness.each(protocols));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void framesInTheSameReadAsTheUpgradeReachTheIrcSessionInOrder() {
        ScriptedTransport socket = new ScriptedTransport();
        socket.chunk(concat(ascii(UPGRADE), text("NICK ana"), text("USER ana 0 * :Ana")));
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        harness.iterate(); // the upgrade takes effect at the next safe point
        harness.iterate();
        assertThat(irc.handlers).singleElement().satisfies(h -> {
            assertThat(h.opened).isTrue();
            assertThat(h.frames).containsExactly("NICK ana", "USER ana 0 * :Ana");
        });
        assertThat(socket.writtenText()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
        irc.last().connection.send(ascii(":srv 001 ana :Welcome\r\n"));
        harness.iterate();
        byte[] written = socket.written.toByteArray();
        int afterHead = socket.writtenText().indexOf("\r\n\r\n") + 4;
        assertThat(ClientFrames.parseServerFrames(java.util.Arrays.copyOfRange(written, afterHead, written.length)))
                .extracting(ClientFrames.ServerFrame::text).containsExactly(":srv 001 ana :Welcome");
    }

    @Test
    void anAnswerStillQueuedGoesOutUnframedBeforeTheUpgradesOwn() {
        ScriptedTransport socket = new ScriptedTransport(0); // full: the page's answer stays queued
        socket.chunk(ascii("GET / HTTP/1.1\r\nHost: h\r\n\r\n" + UPGRADE));
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        harness.iterate();
        harness.iterate();
        assertThat(irc.handlers).hasSize(1);
        socket.perWrite = Integer.MAX_VALUE;
        harness.writable(connection);
        String written = socket.writtenText();
        assertThat(written).startsWith("HTTP/1.1 200 OK\r\n").contains("<p>hi</p>HTTP/1.1 101 Switching Protocols\r\n");
    }

    @Test
    void aHeadNotCompleteInTimeIsAnswered408AndAQuietKeptAliveConnectionClosed() {
        LoopHarness timed = harness(new WebOptions(true, List.of(), Duration.ofSeconds(2)));
        ScriptedTransport partial = new ScriptedTransport();
        partial.chunk(ascii("GET / HTTP/1.1\r\nHost"));
        Connection slow = timed.accept(partial);
        timed.readable(slow);
        ScriptedTransport kept = new ScriptedTransport();
        kept.chunk(ascii("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        Connection quiet = timed.accept(kept);
        timed.readable(quiet);
        timed.iterate();
        assertThat(kept.writtenText()).startsWith("HTTP/1.1 200 OK");
        timed.advanceMillis(1_000);
        assertThat(slow.isOpen()).isTrue();
        timed.advanceMillis(1_100);
        assertThat(partial.writtenText()).startsWith("HTTP/1.1 408 Request Timeout");
        assertThat(slow.closeReason()).isEqualTo(CloseReason.QUIT);
        assertThat(quiet.closeReason()).isEqualTo(CloseReason.IDLE);
    }

    @Test
    void headerLinesAreNotChatAndSkipFloodControl() {
        LoopHarness strict = new LoopHarness(Limits.defaults().withFlood(0.1, 2), LoopHarness.only(
                new WebProtocol(WebOptions.defaults(), WebFiles.of(Map.of()), irc)));
        ScriptedTransport socket = new ScriptedTransport();
        socket.chunk(ascii("GET /a HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n"));
        Connection connection = strict.accept(socket);
        strict.readable(connection);
        strict.iterate();
        assertThat(socket.writtenText().split("HTTP/1.1 404", -1)).as("both answered at once").hasSize(3);
    }

    @Test
    void aHeadOfTooManyLinesIsRefused431() {
        ScriptedTransport socket = new ScriptedTransport();
        socket.chunk(ascii("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(HttpSession.MAX_HEADER_LINES) + "\r\n"));
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        harness.iterate();
        assertThat(socket.writtenText()).startsWith("HTTP/1.1 431 ");
        assertThat(connection.isOpen()).isFalse();
    }
}
