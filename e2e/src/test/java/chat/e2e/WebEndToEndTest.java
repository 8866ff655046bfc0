package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.server.ServerConfig;
import chat.server.net.Limits;
import chat.server.web.ClientFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chat port's HTTP and WebSocket, with real sockets: IRC over a WebSocket from the JDK's own
 * client, in the same room as a native user; and raw sockets for what a browser would never send.
 */
class WebEndToEndTest {

    private static final int OP_TEXT = 1;
    private static final int OP_CLOSE = 8;
    private static final String HANDSHAKE = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: text.ircv3.net\r\n";

    @RegisterExtension
    final RunningServer server = new RunningServer();

    /** A client speaking WebSocket by hand: frames as a test wants them, right or wrong. */
    private static final class RawWebSocket implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final String responseHead;

        RawWebSocket(int port, String extraHeaders, byte[] sentWithTheHandshake) throws IOException {
            this(port, extraHeaders, sentWithTheHandshake, 0);
        }

        /** @param receiveBuffer the socket's receive buffer, small for a reader that stalls soon; 0 for the default */
        RawWebSocket(int port, String extraHeaders, byte[] sentWithTheHandshake, int receiveBuffer) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout((int) LineClient.WAIT.toMillis());
            in = socket.getInputStream();
            socket.getOutputStream().write(ClientFrames.concat(
                    (HANDSHAKE + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII), sentWithTheHandshake));
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            responseHead = head.toString(StandardCharsets.US_ASCII);
        }

        void send(byte[] frame) throws IOException {
            socket.getOutputStream().write(frame);
        }

        /** The next frame the server sends; null at the end of the stream. */
        ClientFrames.ServerFrame next() throws IOException {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            int second = in.read();
            long length = second & 0x7F;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = ByteBuffer.wrap(in.readNBytes(8)).getLong();
            }
            return new ClientFrames.ServerFrame(first & 0x0F, in.readNBytes((int) length));
        }

        /** Frames until one whose text contains {@code words}. */
        ClientFrames.ServerFrame awaitText(String words) throws IOException {
            for (ClientFrames.ServerFrame frame = next(); frame != null; frame = next()) {
                if (frame.opcode() == OP_TEXT && frame.text().contains(words)) {
                    return frame;
                }
            }
            throw new AssertionError("the stream ended before a frame with " + words);
        }

        /** The close frame, skipping what comes before it, then the end of the stream. */
        int awaitClose() throws IOException {
            for (ClientFrames.ServerFrame frame = next(); frame != null; frame = next()) {
                if (frame.opcode() == OP_CLOSE) {
                    assertThat(in.read()).as("the server closes after its close frame").isEqualTo(-1);
                    return frame.closeCode();
                }
            }
            throw new AssertionError("the stream ended without a close frame");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** IRC registration, one message per frame. */
    private static byte[] register(String nick) {
        return ClientFrames.concat(ClientFrames.text("NICK " + nick), ClientFrames.text("USER " + nick + " 0 * :" + nick));
    }

    @Test
    void requestsAreAnsweredOnOneKeptAliveConnectionUntilItAsksToClose() throws Exception {
        server.start();
        try (LineClient http = new LineClient(server.port())) {
            http.sendBytes(("GET /no-such-page.js HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /ws HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /also-missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            http.awaitEndOfStream();
            List<String> statuses = http.lines().stream().filter(l -> l.startsWith("HTTP/1.1 ")).map(String::strip).toList();
            assertThat(statuses).containsExactly("HTTP/1.1 404 Not Found", "HTTP/1.1 405 Method Not Allowed",
                    "HTTP/1.1 404 Not Found");
            assertThat(http.lines()).anyMatch(l -> l.startsWith("Content-Security-Policy: default-src 'self'"));
        }
    }

    /** Longer than the detection window: the pause a browser's spare connection makes before its request. */
    private static void staySilentPastTheWindow() throws InterruptedException {
        Thread.sleep(chat.server.net.Connection.DETECTION_WINDOW_MILLIS * 2); // elapsed time is the point
    }

    @Test
    void aBrowsersSpareConnectionSilentPastTheWindowIsStillServedHttp() throws Exception {
        server.start();
        try (LineClient page = new LineClient(server.port())) {
            // What a browser sends and a script does not (Sec-Fetch-Mode): the server now knows one is here.
            page.sendBytes("GET /no-such HTTP/1.1\r\nHost: x\r\nSec-Fetch-Mode: navigate\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            page.awaitLine(l -> l.startsWith("HTTP/1.1 404"));
        }
        try (LineClient spare = new LineClient(server.port())) {
            staySilentPastTheWindow();
            spare.sendBytes("GET /also-missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            spare.awaitEndOfStream();
            assertThat(spare.lines().get(0).strip()).as("no welcome first").isEqualTo("HTTP/1.1 404 Not Found");
        }
    }

    @Test
    void anHttpRequestOnAConnectionTakenForNativeIsNeverSaidInARoom() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient spare = new LineClient(server.port())) {
            spare.awaitLine(l -> l.startsWith("-- welcome guest")); // no HTTP from here before: taken for nc
            spare.sendBytes("GET /app.js HTTP/1.1\r\nHost: x\r\nCookie: session=secret\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            spare.awaitEndOfStream();
            alice.awaitLine(l -> l.contains(" quit"));
            alice.send("/who");
            alice.awaitLine(l -> l.startsWith("-- #lobby (")); // every line before it was handled
            assertThat(alice.lines()).noneMatch(l -> l.contains("GET /app.js") || l.contains("secret"));
        }
    }

    @Test
    void ircOverTheJdksWebSocketClientSharesARoomWithANativeUser() throws Exception {
        server.start();
        List<String> received = new CopyOnWriteArrayList<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    received.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("text.ircv3.net")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), listener).get(10, TimeUnit.SECONDS);
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            assertThat(ws.getSubprotocol()).isEqualTo("text.ircv3.net");
            ws.sendText("NICK webby", true).get(10, TimeUnit.SECONDS);
            ws.sendText("USER webby 0 * :Web User\r\n", true).get(10, TimeUnit.SECONDS); // a CRLF costs nothing
            await().atMost(LineClient.WAIT).until(() -> received.stream().anyMatch(l -> l.contains(" 001 webby ")));
            ws.sendText("JOIN " + ServerConfig.DEFAULT_ROOM, true).get(10, TimeUnit.SECONDS);
            await().atMost(LineClient.WAIT).until(() -> received.stream().anyMatch(l -> l.contains(" 366 webby ")));
            ws.sendText("PRIVMSG " + ServerConfig.DEFAULT_ROOM + " :hello from a browser, 你好", true).get(10, TimeUnit.SECONDS);
            alice.awaitLine(l -> l.contains("hello from a browser, 你好"));
            alice.send("hi webby");
            await().atMost(LineClient.WAIT).until(() -> received.stream()
                    .anyMatch(l -> l.startsWith(":alice!") && l.endsWith("PRIVMSG " + ServerConfig.DEFAULT_ROOM + " :hi webby")));
            assertThat(received).as("one IRC line per message, without its line end").allMatch(l -> !l.contains("\n") && !l.contains("\r"));
            int webSockets = server.onLoop(s -> s.statsNow().connections(chat.server.net.ConnectionCensus.Dialect.WEBSOCKET, false));
            assertThat(webSockets).isEqualTo(1);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            alice.awaitLine(l -> l.contains("webby quit"));
        }
    }

    @Test
    void framesSentWithTheHandshakeAreReadAfterIt() throws Exception {
        server.start();
        try (RawWebSocket ws = new RawWebSocket(server.port(), "", register("eager"))) {
            assertThat(ws.responseHead).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                    .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Sec-WebSocket-Protocol: text.ircv3.net");
            assertThat(ws.awaitText(" 001 eager ").text()).doesNotEndWith("\n");
            ws.send(ClientFrames.frame(true, 9, "are you there".getBytes(StandardCharsets.US_ASCII)));
            ClientFrames.ServerFrame pong = ws.next();
            while (pong.opcode() != 0xA) {
                pong = ws.next();
            }
            assertThat(pong.text()).isEqualTo("are you there");
            ws.send(ClientFrames.close(1000, ""));
            assertThat(ws.awaitClose()).isEqualTo(1000);
        }
    }

    @Test
    void aTextWebSocketStaysOnUtf8WhateverItsClientSends() throws Exception {
        server.start();
        try (RawWebSocket ws = new RawWebSocket(server.port(), "", register("latin"))) {
            ws.awaitText(" 001 latin ");
            // A binary frame may carry any bytes; what the server sends back in text frames must
            // be UTF-8, so Latin-1 is refused rather than taken for the connection's charset.
            byte[] latin1 = "PRIVMSG latin :caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, d\u00e9j\u00e0 vu"
                    .getBytes(StandardCharsets.ISO_8859_1);
            ws.send(ClientFrames.frame(true, 2, latin1));
            List<String> seen = new java.util.ArrayList<>();
            for (ClientFrames.ServerFrame frame = ws.next(); ; frame = ws.next()) {
                assertThat(frame).as("the stream ended before the refusal").isNotNull();
                seen.add(frame.text());
                if (frame.text().contains("INVALID_UTF8")) {
                    break;
                }
            }
            assertThat(seen).last().asString().contains(" FAIL PRIVMSG INVALID_UTF8 ");
            assertThat(seen).noneMatch(text -> text.contains("charset is now"));

            ws.send(ClientFrames.text("CHARSET latin1"));
            assertThat(ws.awaitText("CHARSET").text()).contains(" FAIL CHARSET INVALID_CHARSET latin1 ");
        }
    }

    @Test
    void framesAClientMayNotSendCloseTheConnectionWithTheCodeThatSaysWhy() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            try (RawWebSocket ws = new RawWebSocket(server.port(), "", register("rude"))) {
                ws.awaitText(" 001 rude ");
                ws.send(ClientFrames.frame(true, OP_TEXT, "PING x".getBytes(), false, 0));
                assertThat(ws.awaitClose()).as("unmasked").isEqualTo(1002);
            }
            try (RawWebSocket ws = new RawWebSocket(server.port(), "", new byte[0])) {
                ws.send(ClientFrames.frame(true, OP_TEXT, new byte[] {'a', (byte) 0xFF}));
                assertThat(ws.awaitClose()).as("not UTF-8").isEqualTo(1007);
            }
            try (RawWebSocket ws = new RawWebSocket(server.port(), "", new byte[0])) {
                ws.send(ClientFrames.text("PRIVMSG #x :" + "y".repeat(20_000)));
                assertThat(ws.awaitClose()).as("over one IRC line").isEqualTo(1009);
            }
            alice.send("/who");
            alice.awaitLine(l -> l.startsWith("-- #lobby (")); // the loop went on serving
        }
    }

    @Test
    void aBadHandshakeIsAnsweredAndClosedWithoutASession() throws Exception {
        server.start();
        try (LineClient noKey = new LineClient(server.port());
             RawWebSocket foreign = new RawWebSocket(server.port(), "Origin: https://elsewhere.example\r\n", new byte[0])) {
            noKey.sendBytes("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            noKey.awaitEndOfStream();
            assertThat(noKey.lines().get(0).strip()).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(foreign.responseHead).startsWith("HTTP/1.1 403 Forbidden");
        }
        int users = server.onLoop(s -> s.core().userCount());
        assertThat(users).isZero();
    }

    @Test
    void aPartialRequestHeadIsAnsweredWhenItsTimeIsUp() throws Exception {
        server.start(ServerConfig.loopbackEphemeral().withWeb(new chat.server.web.WebOptions(true, List.of(),
                Duration.ofSeconds(1))));
        try (LineClient slow = new LineClient(server.port())) {
            slow.sendBytes("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.awaitEndOfStream();
            assertThat(slow.lines().get(0).strip()).isEqualTo("HTTP/1.1 408 Request Timeout");
        }
    }

    @Test
    void aWebSocketThatDoesNotReadIsDisconnectedAndTheRoomGoesOn() throws Exception {
        server.start(ServerConfig.loopbackEphemeral().withLimits(Limits.defaults().withFlood(0, 0).withPending(256 * 1024, 0, 0)));
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             RawWebSocket sleeper = new RawWebSocket(server.port(), "", register("sleeper"), 4096)) {
            sleeper.awaitText(" 001 sleeper ");
            sleeper.send(ClientFrames.text("JOIN " + ServerConfig.DEFAULT_ROOM));
            sleeper.awaitText(" 366 sleeper ");
            String line = "z".repeat(400);
            for (int i = 0; i < 20_000 && server.members(ServerConfig.DEFAULT_ROOM) == 3; i++) {
                alice.send(line + i);
            }
            await().atMost(LineClient.WAIT).until(() -> server.members(ServerConfig.DEFAULT_ROOM) == 2);
            bob.awaitLine(l -> l.contains("sleeper quit") && l.contains("send queue"));
            alice.send("still here");
            bob.awaitLine(l -> l.contains("still here"));
            try {
                sleeper.socket.setSoTimeout(100);
                while (sleeper.next() != null) {
                    // drain what was sent before the server gave up
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // a reset or a stall: either way the server is done with it
            }
        }
    }
}
