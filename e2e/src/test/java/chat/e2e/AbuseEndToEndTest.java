package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.server.ServerConfig;
import chat.server.net.Connection;
import chat.server.net.Limits;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile and broken clients. Every case ends by checking that the others are still served.
 */
class AbuseEndToEndTest {

    @RegisterExtension
    final RunningServer server = new RunningServer();

    private static ServerConfig config(Limits limits) {
        return ServerConfig.loopbackEphemeral().withLimits(limits);
    }

    /** Two bystanders that chat once, proving the server still serves everyone else. */
    private void assertOthersStillServed(LineClient a, LineClient b) throws IOException {
        String marker = "still served " + System.nanoTime();
        a.send(marker);
        b.awaitLine(l -> l.endsWith(": " + marker));
    }

    /** Bob joined last; a session opened for a refused client would have joined and quit since. */
    private void assertNoSessionWasSeen(LineClient bob) throws Exception {
        assertThat(bob.lines()).filteredOn(l -> l.endsWith(" joined")).hasSize(1);
        assertThat(bob.lines()).noneMatch(l -> l.contains(" quit"));
        assertThat(server.members("#lobby")).isEqualTo(2);
    }

    @Test
    void aFourMebibyteLineWithoutNewlineIsRefusedAndTheSenderRecovers() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 64; i++) {
                alice.sendBytes(chunk); // 4 MiB, no LF
            }
            alice.awaitLine(l -> l.startsWith("! line too long ("));
            alice.sendBytes("\nback to normal\n".getBytes(StandardCharsets.UTF_8));
            bob.awaitExact("[#lobby] alice: back to normal");
            assertThat(bob.lines()).noneMatch(l -> l.contains("xxxxxxxx"));
            assertOthersStillServed(bob, alice);
        }
    }

    @Test
    void randomBytesAndNulsDoNotHurtTheServer() throws Exception {
        server.start(config(Limits.defaults().withFlood(0, 0)));
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             LineClient junk = new LineClient(server.port())) {
            Random random = new Random(1234);
            byte[] garbage = new byte[256 * 1024];
            random.nextBytes(garbage);
            junk.sendBytes(garbage);
            junk.sendBytes(new byte[] {0, 0, 'n', 0, 'u', 'l', 0, '\n'});
            assertOthersStillServed(alice, bob);
            assertOthersStillServed(bob, alice);
        }
    }

    @Test
    void aClientThatNeverReadsIsCutOffWhileEveryoneElseGetsEverything() throws Exception {
        server.start(config(Limits.defaults().withFlood(0, 0).withPending(256 * 1024, 0, 0)));
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             Socket sleeper = new Socket()) {
            sleeper.setReceiveBufferSize(4096);
            sleeper.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            bob.awaitLine(l -> l.startsWith("[#lobby] -- guest-") && l.endsWith(" joined"));

            String padding = "p".repeat(200);
            int sent = 0;
            while (!bob.hasLine(l -> l.startsWith("-- guest-") && l.contains(" quit: send queue exceeded"))) {
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 500; i++) {
                    batch.append(sent++).append(' ').append(padding).append('\n');
                }
                alice.sendBytes(batch.toString().getBytes(StandardCharsets.UTF_8));
                assertThat(sent).as("lines sent before the sleeper was cut off").isLessThan(500_000);
                int expectedLast = sent - 1;
                bob.awaitLine(l -> l.equals("[#lobby] alice: " + expectedLast + " " + padding));
            }
            List<String> received = bob.lines().stream().filter(l -> l.startsWith("[#lobby] alice: ")).toList();
            assertThat(received).hasSize(sent);
            for (int i = 0; i < sent; i++) {
                assertThat(received.get(i)).startsWith("[#lobby] alice: " + i + " ");
            }
            // The sleeper's socket goes once its short linger for the last line runs out.
            await().atMost(Duration.ofSeconds(10)).until(() -> server.onLoop(s -> s.connectionCount()) == 2);
            assertOthersStillServed(bob, alice);
        }
    }

    @Test
    void aThousandConcurrentConnectionsAllReceiveABroadcast() throws Exception {
        server.start(config(Limits.defaults().withConnections(0, 0)));
        List<Socket> sockets = new ArrayList<>();
        try (LineClient speaker = LineClient.named(server.port(), "speaker")) {
            for (int i = 0; i < 1000; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                socket.setSoTimeout(10_000);
                sockets.add(socket);
            }
            // Silent clients are welcomed once the detection window has passed.
            await().atMost(Duration.ofSeconds(30)).until(() -> server.members("#lobby") == 1001);
            speaker.send("hello, thousand");
            for (Socket socket : sockets) {
                assertThat(readUntil(new BufferedInputStream(socket.getInputStream()),
                        "[#lobby] speaker: hello, thousand")).isTrue();
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.onLoop(s -> s.connectionCount()) == 0);
    }

    @Test
    void connectionsClosedInAnyOrderLeaveEveryOtherOneKnownToTheServer() throws Exception {
        // The server keeps its open connections in an array and fills each hole with the last
        // one. The idle sweep walks that array: a wrong move would leave a client never swept.
        server.start(config(Limits.defaults().withConnections(0, 0).withIdleTimeout(2)));
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                socket.setSoTimeout(20_000);
                sockets.add(socket);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.onLoop(s -> s.connectionCount()) == 200);
            java.util.Collections.shuffle(sockets, new Random(42));
            List<Socket> leaving = sockets.subList(0, 120);
            for (Socket socket : leaving) {
                socket.close();
            }
            leaving.clear();
            for (Socket socket : sockets) {
                assertThat(readUntil(new BufferedInputStream(socket.getInputStream()),
                        line -> line.startsWith("! idle for ")))
                        .as("every client still connected is swept by the idle timeout").isTrue();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.onLoop(s -> s.connectionCount()) == 0);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aFloodIsThrottledWithoutLosingOrReorderingALine() throws Exception {
        server.start(config(Limits.defaults().withFlood(50, 10)));
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                flood.append("line ").append(i).append(i % 2 == 0 ? "\n" : "\r\n");
            }
            alice.sendBytes(flood.toString().getBytes(StandardCharsets.UTF_8));
            bob.awaitExact("[#lobby] alice: line 99");
            List<String> received = bob.lines().stream().filter(l -> l.startsWith("[#lobby] alice: line ")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("[#lobby] alice: line " + i);
            }
            assertThat(received).isEqualTo(expected);
            long pauses = server.onLoop(s -> s.floodPauses());
            assertThat(pauses).isPositive();
            assertOthersStillServed(bob, alice);
        }
    }

    @Test
    void withTheWebClientOffAnHttpRequestGetsAnHttpAnswerAndIsClosedWithoutASession() throws Exception {
        server.start(chat.server.ServerConfig.loopbackEphemeral().withWeb(chat.server.web.WebOptions.off()));
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             LineClient browser = new LineClient(server.port())) {
            browser.sendBytes("GET / HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            browser.awaitEndOfStream();
            List<String> answer = browser.lines().stream().map(String::strip).toList();
            assertThat(answer.get(0)).isEqualTo("HTTP/1.1 501 Not Implemented");
            assertThat(answer).contains("Connection: close", "")
                    .anyMatch(l -> l.startsWith("This chat server's web client is off"))
                    .noneMatch(l -> l.startsWith("-- welcome"));
            assertNoSessionWasSeen(bob);
            assertOthersStillServed(alice, bob);
        }
    }

    /** The start of a TLS 1.2 ClientHello record, as a TLS client sends it at once. */
    private static final byte[] CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03, 0x03};

    @Test
    void aTlsClientHelloSentAtOnceGetsNoTextAndNoSession() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            try (Socket tls = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                tls.setSoTimeout(10_000);
                tls.getOutputStream().write(CLIENT_HELLO);
                assertThat(tls.getInputStream().read()).as("not one byte of text for a TLS client").isEqualTo(-1);
            }
            assertOthersStillServed(alice, bob);
            assertNoSessionWasSeen(bob);
        }
    }

    @Test
    void aTlsClientHelloThatArrivesAByteAtATimeIsStillRecognized() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            long before = server.bytesRead();
            long start = System.nanoTime(); // before the accept that starts the detection window
            try (Socket tls = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                tls.setSoTimeout(10_000);
                tls.setTcpNoDelay(true);
                // The three bytes that decide, each read by the server before the next is sent.
                // No more: the server closes once it has decided, and a write after that would
                // meet a reset.
                for (int i = 0; i < 3; i++) {
                    tls.getOutputStream().write(CLIENT_HELLO[i]);
                    tls.getOutputStream().flush();
                    server.awaitBytesRead(before + i + 1);
                }
                // Past the window, the server would have decided on the first two bytes alone
                // (as a plain-text client): then this run did not test what it says.
                assumeTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(Connection.DETECTION_WINDOW_MILLIS),
                        "this machine took longer than the detection window to send three bytes");
                assertThat(tls.getInputStream().read()).as("not one byte of text for a TLS client").isEqualTo(-1);
            }
            assertOthersStillServed(alice, bob);
            assertNoSessionWasSeen(bob);
        }
    }

    @Test
    void aConnectionStormOverThePerAddressLimitIsRefusedOneLineEach() throws Exception {
        server.start(config(Limits.defaults().withConnections(0, 4)));
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             LineClient c3 = LineClient.connected(server.port());
             LineClient c4 = LineClient.connected(server.port())) {
            for (int i = 0; i < 50; i++) {
                try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    extra.setSoTimeout(10_000);
                    String all = readAll(extra.getInputStream());
                    assertThat(all).isEqualTo(
                            "ERROR :too many connections from your address (4, limit 4); disconnecting\r\n");
                }
            }
            assertOthersStillServed(alice, bob);
        }
    }

    @Test
    void aFullServerRefusesTheNextClientWithOneLine() throws Exception {
        server.start(config(Limits.defaults().withConnections(2, 0)));
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             Socket third = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            third.setSoTimeout(10_000);
            assertThat(readAll(third.getInputStream()))
                    .isEqualTo("ERROR :server full (2 clients, limit 2); try again later\r\n");
            assertOthersStillServed(alice, bob);
        }
    }

    @Test
    void anIdleClientIsToldAndDisconnected() throws Exception {
        server.start(config(Limits.defaults().withIdleTimeout(1)));
        try (LineClient idler = LineClient.connected(server.port())) {
            idler.awaitLine(l -> l.matches("! idle for \\d+ seconds \\(limit 1\\); disconnecting"));
            idler.awaitEndOfStream();
        }
    }

    @Test
    void shutdownStillDeliversWhatIsQueuedForASlowReader() throws Exception {
        server.start(config(Limits.defaults().withFlood(0, 0).withPending(0, 0, 0))
                .withShutdownGrace(Duration.ofSeconds(20)));
        try (LineClient alice = LineClient.named(server.port(), "alice");
             Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            await().until(() -> server.members("#lobby") == 2);
            // About 9 MB: more than the kernel's socket buffers hold, so some waits in the server.
            int lines = 20_000;
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                batch.append("queued ").append(i).append(' ').append("q".repeat(400)).append('\n');
            }
            alice.sendBytes(batch.toString().getBytes(StandardCharsets.UTF_8));
            alice.send("/who");
            alice.awaitLine(l -> l.startsWith("-- #lobby (2)")); // every line above was handled
            long queued = server.onLoop(s -> s.pendingOutputBytes());
            assertThat(queued).as("output waiting in the server for the slow reader").isPositive();

            server.onLoop(s -> {
                s.shutdown();
                return null;
            });

            slow.setSoTimeout(20_000);
            String all = readAll(slow.getInputStream());
            String[] received = all.split("\n");
            List<String> queuedLines = Arrays.stream(received).filter(l -> l.startsWith("[#lobby] alice: queued ")).toList();
            assertThat(queuedLines).hasSize(lines);
            assertThat(queuedLines.get(lines - 1)).startsWith("[#lobby] alice: queued " + (lines - 1) + " ");
            assertThat(received[received.length - 1]).isEqualTo("-- server shutting down");
        }
    }

    /** Reads until {@code line} has been seen; false at end of stream. */
    private static boolean readUntil(InputStream in, String line) throws IOException {
        return readUntil(in, line::equals);
    }

    /** Reads until a line that {@code wanted} accepts has been seen; false at end of stream. */
    private static boolean readUntil(InputStream in, java.util.function.Predicate<String> wanted) throws IOException {
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                if (wanted.test(current.toString(StandardCharsets.UTF_8))) {
                    return true;
                }
                current.reset();
            } else {
                current.write(b);
            }
        }
        return false;
    }

    /** Reads to end of stream. */
    private static String readAll(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection", e);
        }
    }
}
