package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the server does for all its connections: reap once, linger as long as the reason allows,
 * report when all are closed, count what is pending, and flush without losing a byte; on the
 * harness, plus one loopback test of the accept-time limit.
 */
class TcpServerTest {

    private static final long CLOSE_LINGER_MILLIS = 2000;
    private static final long SHUTDOWN_LINGER_MILLIS = 5000;

    private final RecordingProtocol protocol = new RecordingProtocol(4096);
    private final LoopHarness harness = new LoopHarness(Limits.unlimited(), LoopHarness.only(protocol),
            CLOSE_LINGER_MILLIS, SHUTDOWN_LINGER_MILLIS);

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** An open native connection over {@code socket}, with its first line read. */
    private Connection open(LoopHarness harness, ScriptedTransport socket) {
        Connection connection = harness.accept(socket.chunk("hi\n"));
        harness.readable(connection);
        return connection;
    }

    @Test
    void eachHandlerIsToldOnceWhateverClosesItAgain() {
        Connection connection = open(harness, new ScriptedTransport());
        RecordingProtocol.Handler handler = protocol.last();
        connection.close(CloseReason.QUIT, "bye");
        connection.close(CloseReason.LIMIT, "too late");
        harness.server.closeAllNow(); // reaps and closes at once; the reap list still holds it
        harness.iterate();
        harness.iterate();
        assertThat(handler.events).containsExactly("closed QUIT");
        assertThat(harness.server.connectionCount()).isZero();
    }

    @ParameterizedTest(name = "{0}: {1} ms")
    @CsvSource({
        "QUIT, 2000", "END_OF_STREAM, 2000", "SHUTDOWN, 5000",
        "LIMIT, 1000", "IDLE, 1000", "PROTOCOL, 1000",
        "RESET, 0", "ERROR, 0"})
    void aClientThatDoesNotReadLingersAsLongAsItsReasonAllows(CloseReason reason, long lingerMillis) {
        assertLingers(harness, reason, lingerMillis);
    }

    @Test
    void aLimitLingersNoLongerThanTheCloseLingerWhenThatIsShorter() {
        LoopHarness shortLinger = new LoopHarness(Limits.unlimited(), LoopHarness.only(protocol), 300, 5000);
        assertLingers(shortLinger, CloseReason.LIMIT, 300);
        assertLingers(shortLinger, CloseReason.QUIT, 300);
    }

    private void assertLingers(LoopHarness harness, CloseReason reason, long lingerMillis) {
        ScriptedTransport socket = new ScriptedTransport(0);
        Connection connection = open(harness, socket);
        int baseline = harness.pendingTimers();
        connection.send(ascii("last words\n"));
        connection.close(reason, null);
        harness.iterate();
        if (lingerMillis == 0) {
            assertThat(socket.closed).as("closed at once, output dropped").isTrue();
            assertThat(connection.pendingBytes()).isZero();
            return;
        }
        assertThat(socket.closed).isFalse();
        harness.advanceMillis(lingerMillis - 1);
        assertThat(socket.closed).as("%s after %d ms", reason, lingerMillis - 1).isFalse();
        harness.advanceMillis(1);
        assertThat(socket.closed).as("%s after %d ms", reason, lingerMillis).isTrue();
        assertThat(harness.pendingTimers()).isEqualTo(baseline);
    }

    @Test
    void closeAllReportsOnceTheLastConnectionHasClosed() {
        ScriptedTransport quick = new ScriptedTransport();
        ScriptedTransport slow = new ScriptedTransport(0);
        open(harness, quick);
        Connection lingering = open(harness, slow);
        lingering.send(ascii("goodbye\n"));
        AtomicInteger done = new AtomicInteger();

        harness.server.closeAll(CloseReason.SHUTDOWN, done::incrementAndGet);
        assertThat(done).hasValue(0);
        harness.iterate();
        assertThat(quick.closed).isTrue();
        assertThat(done).as("one still flushing").hasValue(0);

        slow.perWrite = Integer.MAX_VALUE;
        harness.writable(lingering);
        assertThat(slow.writtenText()).isEqualTo("goodbye\n");
        assertThat(done).hasValue(1);
        harness.advanceMillis(SHUTDOWN_LINGER_MILLIS);
        assertThat(done).hasValue(1);
        assertThat(protocol.handlers).allMatch(h -> h.closedFor == CloseReason.SHUTDOWN);
    }

    @Test
    void closeAllWithNoConnectionReportsAtOnce() {
        AtomicInteger done = new AtomicInteger();
        harness.server.closeAll(CloseReason.SHUTDOWN, done::incrementAndGet);
        assertThat(done).hasValue(1);
    }

    @Test
    void pendingBytesAddsUpWhatEveryConnectionStillHasToSend() {
        ScriptedTransport a = new ScriptedTransport(0);
        ScriptedTransport b = new ScriptedTransport(4);
        Connection first = open(harness, a);
        Connection second = open(harness, b);
        first.send(new byte[100]);
        second.send(new byte[10]);
        assertThat(harness.server.pendingBytes()).isEqualTo(110);
        harness.iterate();
        assertThat(harness.server.pendingBytes()).isEqualTo(106);
        b.perWrite = Integer.MAX_VALUE;
        harness.writable(second);
        assertThat(harness.server.pendingBytes()).isEqualTo(100);
    }

    /**
     * A room in miniature: every frame is sent to every member, some sockets take a few bytes at
     * a time, and one member's write fails, which delivers its last lines (and so more sends to
     * everyone) in the middle of the flush. Every member still gets every line, in order.
     */
    @Test
    void flushingLosesNothingEvenWhenItCausesMoreOutput() {
        LoopHarness harness = new LoopHarness(Limits.unlimited().withFlood(1, 1), LoopHarness.only(protocol));
        List<Connection> members = new ArrayList<>();
        protocol.reaction = (handler, frame) -> {
            for (Connection member : members) {
                member.send(ascii(frame + "\n"));
            }
        };
        // The leaver is queued first, so flushed last (newest first): what its failure sends goes
        // to members already flushed in this pass, which must be flushed again.
        ScriptedTransport leaver = new ScriptedTransport().chunk("m1\nm2\nm3\n").chunk("m4\nm5").reset();
        Connection leaving = harness.accept(leaver);
        members.add(leaving);
        List<ScriptedTransport> sockets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ScriptedTransport socket = new ScriptedTransport(i == 0 ? Integer.MAX_VALUE : 1 + i);
            sockets.add(socket);
            members.add(harness.accept(socket));
        }

        harness.readable(leaving); // m1 goes to everyone; m2 and m3 wait for tokens
        assertThat(leaving.inputState()).isEqualTo(InputState.FLOOD_PAUSED);
        leaver.writeFails = true;
        harness.iterate(); // its write fails: m2 to m5 are delivered, and sent, during the flush
        assertThat(leaving.isOpen()).isFalse();
        assertThat(sockets.get(0).writtenText()).as("all of it in the same iteration")
                .isEqualTo("m1\nm2\nm3\nm4\nm5\n");
        for (int round = 0; round < 50; round++) {
            for (Connection member : members.subList(1, 5)) {
                harness.writable(member);
            }
        }
        for (ScriptedTransport socket : sockets) {
            assertThat(socket.writtenText()).isEqualTo("m1\nm2\nm3\nm4\nm5\n");
        }
        assertThat(harness.server.pendingBytes()).isZero();
    }

    /** The accept-time limit on a real socket: loopback, port 0, a loop on its own thread. */
    @Test
    void aSecondConnectionFromOneAddressIsRefusedWithALine() throws Exception {
        EventLoop loop = new EventLoop();
        TcpOptions options = new TcpOptions(InetAddress.getLoopbackAddress(), 0, 16,
                Limits.defaults().withConnections(0, 1), 256 * 1024, 1000, 1000);
        protocol.reaction = (handler, frame) -> handler.connection.send(ascii("echo " + frame + "\n"));
        TcpServer server = new TcpServer(loop, options, LoopHarness.only(protocol));
        server.bind();
        Thread loopThread = new Thread(loop::run, "tcp-server-test");
        loopThread.start();
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), server.port());
                Socket second = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            first.setSoTimeout(10_000);
            second.setSoTimeout(10_000);
            BufferedReader refused = new BufferedReader(
                    new InputStreamReader(second.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(refused.readLine()).isEqualTo("refused MAX_PER_ADDRESS");
            assertThat(refused.read()).as("then closed").isEqualTo(-1);

            OutputStream out = first.getOutputStream();
            out.write(ascii("hello\n"));
            out.flush();
            BufferedReader served = new BufferedReader(
                    new InputStreamReader(first.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(served.readLine()).isEqualTo("echo hello");
        } finally {
            loop.execute(() -> {
                server.stopAccepting();
                server.closeAllNow();
            });
            loop.stop();
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(loop.failure()).isNull();
        }
    }
}
