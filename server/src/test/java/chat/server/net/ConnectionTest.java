package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One connection through the pipeline, on a hand-driven loop with a scripted socket. */
class ConnectionTest {

    private final RecordingProtocol protocol = new RecordingProtocol(4096);
    private final LoopHarness harness = new LoopHarness(Limits.defaults(), LoopHarness.only(protocol));

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String lines(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i <= to; i++) {
            text.append("line ").append(i).append(i % 2 == 0 ? "\r\n" : "\n");
        }
        return text.toString();
    }

    private static List<String> numbered(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            lines.add("line " + i);
        }
        return lines;
    }

    // --- detection ---

    /** One recording dialect per detected protocol, to see which one a connection got. */
    private final Map<DetectedProtocol, RecordingProtocol> byProtocol = new EnumMap<>(DetectedProtocol.class);

    private LoopHarness detectingHarness() {
        for (DetectedProtocol detected : DetectedProtocol.values()) {
            byProtocol.put(detected, new RecordingProtocol(4096));
        }
        return new LoopHarness(Limits.defaults(), LoopHarness.each(byProtocol));
    }

    private List<DetectedProtocol> opened() {
        List<DetectedProtocol> opened = new ArrayList<>();
        byProtocol.forEach((detected, dialect) -> dialect.handlers.forEach(h -> opened.add(detected)));
        return opened;
    }

    /**
     * What a hold keeps its place for goes before what was sent after the hold began, and after
     * what came before; an older hold's lines come before a younger one's, whichever is given
     * first; nothing goes out until the oldest hold lets go.
     */
    @Test
    void heldOutputKeepsThePlacesOfHoldsInTheOrderTheyBegan() {
        ScriptedTransport socket = new ScriptedTransport();
        Connection connection = harness.accept(socket);
        connection.send(ascii("before\n"));
        Connection.Hold first = connection.holdOutput();
        connection.send(ascii("live 1\n"));
        Connection.Hold second = connection.holdOutput();
        connection.send(ascii("live 2\n"));
        connection.sendAhead(second, ascii("second's\n"));
        connection.releaseOutput(second);
        harness.iterate();
        assertThat(socket.written.toString()).isEqualTo("before\n");

        connection.sendAhead(first, ascii("first's\n"));
        connection.releaseOutput(first);
        harness.iterate();
        assertThat(socket.written.toString()).isEqualTo("before\nfirst's\nlive 1\nsecond's\nlive 2\n");
        connection.send(ascii("after\n"));
        harness.iterate();
        assertThat(socket.written.toString()).endsWith("live 2\nafter\n");
    }

    /** Held output past the soft limit goes out at once, out of order rather than lost. */
    @Test
    void heldOutputPastTheSoftLimitGoesOutRatherThanGrowing() {
        LoopHarness small = new LoopHarness(Limits.defaults().withPending(1 << 20, 16, 10), LoopHarness.only(protocol));
        ScriptedTransport socket = new ScriptedTransport();
        Connection connection = small.accept(socket);
        Connection.Hold hold = connection.holdOutput();
        connection.send(ascii("0123456789\n"));
        connection.send(ascii("abcdefghij\n"));
        small.iterate();
        assertThat(socket.written.toString()).isEqualTo("0123456789\nabcdefghij\n");
        connection.sendAhead(hold, ascii("late\n"));
        connection.releaseOutput(hold);
        small.iterate();
        assertThat(socket.written.toString()).endsWith("late\n");
    }

    @Test
    void aSilentClientIsOpenedWhenTheDetectionWindowCloses() {
        ScriptedTransport socket = new ScriptedTransport();
        harness.accept(socket);
        harness.advanceMillis(Connection.DETECTION_WINDOW_MILLIS - 1);
        assertThat(protocol.handlers).isEmpty();
        harness.advanceMillis(1);
        assertThat(protocol.handlers).hasSize(1);
        assertThat(protocol.last().opened).isTrue();
        assertThat(harness.pendingTimers()).as("the detection timer is gone").isZero();
    }

    @Test
    void whereABrowserWasSeenASilentConnectionIsGivenTheBrowsersLongerWindow() {
        LoopHarness detecting = detectingHarness();
        Connection page = detecting.accept(new ScriptedTransport().chunk("GET / HTTP/1.1\r\n"));
        detecting.readable(page);
        page.browserSeenAtPeer(); // what the web dialect says of a request that only a browser sends

        Connection spare = detecting.accept(new ScriptedTransport()); // the same address: the harness's loopback
        detecting.advanceMillis(Connection.BROWSER_DETECTION_WINDOW_MILLIS - 1);
        assertThat(opened()).as("a browser's spare connection is not taken for nc").containsExactly(DetectedProtocol.HTTP);
        detecting.advanceMillis(1);
        assertThat(opened()).containsExactly(DetectedProtocol.HTTP, DetectedProtocol.NATIVE);
        assertThat(spare.isOpen()).isTrue();
    }

    @Test
    void aDialectsOwnWaitIsTheUsualWindowEvenWhenDetectionWaitedLonger() {
        LoopHarness detecting = detectingHarness();
        Connection page = detecting.accept(new ScriptedTransport().chunk("GET / HTTP/1.1\r\n"));
        detecting.readable(page);
        page.browserSeenAtPeer();
        long[] left = new long[1];
        Connection nc = detecting.accept(new ScriptedTransport().chunk("/nick carol\n"));
        detecting.advanceMillis(100);
        byProtocol.get(DetectedProtocol.NATIVE).onOpen = c -> left[0] = c.detectionWindowLeftMillis();
        detecting.readable(nc);
        assertThat(left[0]).isEqualTo(Connection.DETECTION_WINDOW_MILLIS - 100);
    }

    @Test
    void theFirstBytesOpenTheDialectAndAreItsFirstFrames() {
        ScriptedTransport socket = new ScriptedTransport().chunk("hel").chunk("lo\nworld\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        assertThat(protocol.handlers).hasSize(1); // 'h' can start nothing but native text
        harness.readable(connection);
        assertThat(protocol.last().frames).containsExactly("hello", "world");
    }

    @Test
    void nativeTextOpensTheNativeDialectAtOnce() {
        LoopHarness harness = detectingHarness();
        Connection connection = harness.accept(new ScriptedTransport().chunk("hello\n"));
        harness.readable(connection);
        assertThat(opened()).containsExactly(DetectedProtocol.NATIVE);
        assertThat(byProtocol.get(DetectedProtocol.NATIVE).last().frames).containsExactly("hello");
        assertThat(harness.pendingTimers()).as("detection is over").isZero();
    }

    @Test
    void bytesThatCouldStillBeIrcWaitForMore() {
        LoopHarness harness = detectingHarness();
        Connection connection = harness.accept(new ScriptedTransport().chunk("NI").chunk("CK bob\r\nUSER b 0 * :B\r\n"));
        harness.readable(connection);
        assertThat(opened()).isEmpty();
        assertThat(harness.pendingTimers()).as("the detection window still runs").isEqualTo(1);
        harness.readable(connection);
        assertThat(opened()).containsExactly(DetectedProtocol.IRC);
        assertThat(byProtocol.get(DetectedProtocol.IRC).last().frames).containsExactly("NICK bob", "USER b 0 * :B");
        assertThat(harness.pendingTimers()).isZero();
    }

    @Test
    void aTlsRecordOpensTheDialectChosenForTls() {
        LoopHarness harness = detectingHarness();
        Connection connection = harness.accept(new ScriptedTransport()
                .chunk(new byte[] {0x16, 0x03, 0x01, 0x00, 0x2F, 0x01, 0x00, 0x00, 0x2B}));
        harness.readable(connection);
        assertThat(opened()).containsExactly(DetectedProtocol.TLS);
    }

    @Test
    void aRefusedProtocolIsAnsweredAndClosedWithoutASession() {
        Map<DetectedProtocol, Protocol> dialects = new EnumMap<>(DetectedProtocol.class);
        dialects.put(DetectedProtocol.NATIVE, protocol);
        dialects.put(DetectedProtocol.HTTP, new RefusingProtocol("HTTP request", ascii("HTTP/1.1 501 x\r\n\r\n")));
        LoopHarness harness = new LoopHarness(Limits.defaults(), LoopHarness.each(dialects));
        ScriptedTransport socket = new ScriptedTransport().chunk("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        harness.iterate();
        assertThat(protocol.handlers).isEmpty();
        assertThat(connection.closeReason()).isEqualTo(CloseReason.PROTOCOL);
        assertThat(socket.writtenText()).isEqualTo("HTTP/1.1 501 x\r\n\r\n");
        assertThat(socket.closed).isTrue();
    }

    @Test
    void undecidedBytesAreNativeWhenTheWindowCloses() {
        LoopHarness harness = detectingHarness();
        ScriptedTransport socket = new ScriptedTransport().chunk("NI");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        harness.advanceMillis(Connection.DETECTION_WINDOW_MILLIS);
        assertThat(opened()).containsExactly(DetectedProtocol.NATIVE);
        socket.chunk("CK is my word\n");
        harness.readable(connection);
        assertThat(byProtocol.get(DetectedProtocol.NATIVE).last().frames).containsExactly("NICK is my word");
    }

    @Test
    void undecidedBytesAreDeliveredAsNativeWhenInputEnds() {
        LoopHarness harness = detectingHarness();
        Connection connection = harness.accept(new ScriptedTransport().chunk("NI").end());
        harness.readable(connection);
        harness.readable(connection);
        harness.iterate();
        assertThat(opened()).containsExactly(DetectedProtocol.NATIVE);
        RecordingProtocol.Handler handler = byProtocol.get(DetectedProtocol.NATIVE).last();
        assertThat(handler.frames).containsExactly("NI");
        assertThat(handler.closedFor).isEqualTo(CloseReason.END_OF_STREAM);
    }

    @Test
    void undecidedBytesAreDeliveredAsNativeWhenThePeerResets() {
        LoopHarness harness = detectingHarness();
        Connection connection = harness.accept(new ScriptedTransport().chunk("PA").reset());
        harness.readable(connection);
        harness.readable(connection);
        harness.iterate();
        RecordingProtocol.Handler handler = byProtocol.get(DetectedProtocol.NATIVE).last();
        assertThat(handler.frames).containsExactly("PA");
        assertThat(handler.closedFor).isEqualTo(CloseReason.RESET);
    }

    @Test
    void aConnectionClosedWithoutAByteOpensNoDialect() {
        ScriptedTransport socket = new ScriptedTransport().end();
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        harness.iterate();
        harness.advanceMillis(Connection.DETECTION_WINDOW_MILLIS);
        assertThat(protocol.handlers).isEmpty();
        assertThat(socket.closed).isTrue();
        assertThat(harness.pendingTimers()).isZero();
        assertThat(harness.server.connectionCount()).isZero();
    }

    // --- the end of input ---

    @Test
    void theEndOfStreamDeliversALastLineWithoutNewline() {
        ScriptedTransport socket = new ScriptedTransport().chunk("hello\nbye").end();
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        harness.readable(connection);
        harness.iterate();
        assertThat(protocol.last().frames).containsExactly("hello", "bye");
        assertThat(protocol.last().closedFor).isEqualTo(CloseReason.END_OF_STREAM);
        assertThat(socket.closed).isTrue();
    }

    @Test
    void aResetDeliversALastLineWithoutNewline() {
        ScriptedTransport socket = new ScriptedTransport().chunk("hello\nbye").reset();
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        harness.readable(connection);
        harness.iterate();
        assertThat(protocol.last().frames).containsExactly("hello", "bye");
        assertThat(protocol.last().closedFor).isEqualTo(CloseReason.RESET);
    }

    /**
     * Regression: a flood-paused client that sent 30 lines and went away lost what it had sent
     * when our next write to it failed. All of it is delivered before the close: the backlog of
     * the paused input, then what is still unread in the socket, a last line without LF included.
     */
    @Test
    void aFailedWriteDeliversTheBacklogAndTheUnreadBytesFirst() {
        LoopHarness harness = new LoopHarness(Limits.unlimited().withFlood(1, 1), LoopHarness.only(protocol));
        ScriptedTransport socket = new ScriptedTransport()
                .chunk(lines(1, 25))
                .chunk(lines(26, 29) + "line 30")
                .reset();
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        RecordingProtocol.Handler handler = protocol.last();
        assertThat(handler.frames).containsExactly("line 1");
        assertThat(connection.inputState()).isEqualTo(InputState.FLOOD_PAUSED);

        socket.writeFails = true;
        connection.send(ascii("welcome\n"));
        harness.iterate();
        assertThat(handler.frames).containsExactlyElementsOf(numbered(1, 30));
        assertThat(handler.closedFor).isEqualTo(CloseReason.RESET);
        assertThat(socket.closed).isTrue();
        assertThat(harness.pendingTimers()).as("the flood resume timer is gone").isZero();
    }

    // --- idleness ---

    /**
     * Regression: the idle sweep took a flood-paused client for a silent one and cut it off,
     * although its input was waiting on us. Runs the real sweep: housekeeping scheduled by bind().
     */
    @Test
    void aFloodPausedClientIsNotIdle() throws Exception {
        Limits limits = Limits.unlimited().withFlood(0.1, 1).withIdleTimeout(2); // a token every 10 s
        LoopHarness harness = new LoopHarness(limits, LoopHarness.only(protocol));
        harness.server.bind();
        try {
            ScriptedTransport pausedSocket = new ScriptedTransport().chunk("one\ntwo\nthree\n");
            Connection paused = harness.accept(pausedSocket);
            Connection silent = harness.accept(new ScriptedTransport().chunk("hello\n"));
            harness.readable(paused);
            harness.readable(silent);
            assertThat(paused.inputState()).isEqualTo(InputState.FLOOD_PAUSED);

            long limitNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
            for (int second = 1; second <= 5; second++) {
                harness.advanceMillis(1000);
                assertThat(paused.isIdle(harness.nanoTime(), limitNanos)).isFalse();
            }
            assertThat(paused.isOpen()).as("paused for 5 s, but not silent").isTrue();
            assertThat(silent.isOpen()).isFalse();
            assertThat(silent.closeReason()).isEqualTo(CloseReason.IDLE);
            assertThat(protocol.handlers.get(1).events).contains("limit IDLE 3/2");
        } finally {
            harness.server.stopAccepting();
        }
    }

    /**
     * A client whose input is held (its dialect waits for a password check) has said something
     * we have not answered: the idle sweep must not take it for silent. After the release its
     * silence counts from then.
     */
    @Test
    void aHeldClientIsNotIdleAndItsSilenceCountsFromTheRelease() throws Exception {
        protocol.reaction = (handler, frame) -> {
            if (frame.equals("hold")) {
                handler.connection.holdInput();
            }
        };
        LoopHarness harness = new LoopHarness(Limits.unlimited().withIdleTimeout(2), LoopHarness.only(protocol));
        harness.server.bind();
        try {
            Connection held = harness.accept(new ScriptedTransport().chunk("hold\nwaiting\n"));
            harness.readable(held);
            assertThat(held.inputState()).isEqualTo(InputState.HELD);

            for (int second = 1; second <= 5; second++) {
                harness.advanceMillis(1000);
            }
            assertThat(held.isOpen()).as("held for 5 s, but not silent").isTrue();

            held.releaseInput();
            assertThat(protocol.last().frames).containsExactly("hold", "waiting");
            harness.advanceMillis(1000);
            harness.advanceMillis(1000);
            assertThat(held.isOpen()).as("2 s after the release").isTrue();
            harness.advanceMillis(1000);
            harness.advanceMillis(1000);
            assertThat(held.isOpen()).isFalse();
            assertThat(held.closeReason()).isEqualTo(CloseReason.IDLE);
        } finally {
            harness.server.stopAccepting();
        }
    }

    @Test
    void silenceCountsFromTheLastInputConsumed() {
        LoopHarness harness = new LoopHarness(Limits.unlimited().withFlood(1, 1), LoopHarness.only(protocol));
        Connection connection = harness.accept(new ScriptedTransport().chunk("one\ntwo\n"));
        harness.readable(connection);
        harness.advanceMillis(1000); // "two" is consumed now
        assertThat(connection.inputState()).isEqualTo(InputState.READING);
        long second = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
        assertThat(connection.isIdle(harness.nanoTime() + second, second)).isFalse();
        assertThat(connection.isIdle(harness.nanoTime() + second + 1, second)).isTrue();
    }

    // --- output and its limits ---

    @Test
    void writeInterestIsOnOnlyWhileBytesAreLeftOver() {
        ScriptedTransport socket = new ScriptedTransport(8).chunk("hi\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        connection.send(ascii("twenty bytes here..\n"));
        harness.iterate();
        assertThat(socket.writeInterest).isTrue();
        assertThat(connection.pendingBytes()).isEqualTo(12);
        harness.writable(connection);
        assertThat(socket.writeInterest).isTrue();
        harness.writable(connection);
        assertThat(socket.writeInterest).isFalse();
        assertThat(socket.writtenText()).isEqualTo("twenty bytes here..\n");

        connection.send(ascii("short\n"));
        harness.iterate();
        assertThat(socket.writeInterest).as("written at once, nothing left").isFalse();
    }

    /**
     * Regression: a client over the soft limit was cut off at once, even after it had caught up
     * in between. It is cut off only after staying over for the grace period, and catching up
     * starts the period anew.
     */
    @Test
    void theSoftLimitGivesAGracePeriodThatCatchingUpRestarts() {
        Limits limits = Limits.unlimited().withPending(10_000, 100, 2);
        LoopHarness harness = new LoopHarness(limits, LoopHarness.only(protocol));
        ScriptedTransport socket = new ScriptedTransport(0).chunk("hi\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);

        connection.send(new byte[150]);
        harness.iterate();
        assertThat(connection.isOpen()).isTrue();
        harness.advanceMillis(1500);
        socket.perWrite = 100;
        harness.writable(connection); // caught up: 50 left, under the soft limit
        assertThat(connection.pendingBytes()).isEqualTo(50);
        socket.perWrite = 0;

        harness.advanceMillis(1000); // 2.5 s after the first time over
        connection.send(new byte[150]);
        harness.iterate();
        assertThat(connection.isOpen()).as("over again, but only just").isTrue();
        harness.advanceMillis(2000);
        connection.send(new byte[1]);
        assertThat(connection.isOpen()).as("over for exactly the grace period").isTrue();
        harness.advanceMillis(1);
        connection.send(new byte[1]);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.closeReason()).isEqualTo(CloseReason.LIMIT);
        assertThat(protocol.last().events).containsExactly("limit SEND_QUEUE 202/100");
    }

    @Test
    void theHardLimitCutsOffAtOnceAndTheClientIsToldWhy() {
        Limits limits = Limits.unlimited().withPending(1000, 100, 60);
        LoopHarness harness = new LoopHarness(limits, LoopHarness.only(protocol));
        ScriptedTransport socket = new ScriptedTransport(0).chunk("hi\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);

        connection.send(new byte[600]);
        connection.send(new byte[401]);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.closeReason()).isEqualTo(CloseReason.LIMIT);
        assertThat(protocol.last().events).containsExactly("limit SEND_QUEUE 1001/1000");
        assertThat(connection.pendingBytes()).as("only the notice is left").isEqualTo("limit SEND_QUEUE\n".length());
        connection.send(new byte[10]);
        assertThat(connection.pendingBytes()).as("nothing is queued once closing").isEqualTo(17);

        harness.iterate();
        socket.perWrite = Integer.MAX_VALUE;
        harness.writable(connection);
        assertThat(socket.writtenText()).isEqualTo("limit SEND_QUEUE\n");
        assertThat(socket.closed).isTrue();
    }

    // --- lingering close ---

    @Test
    void aLingeringCloseEndsAfterTheCloseLingerWhenTheClientDoesNotRead() {
        ScriptedTransport socket = new ScriptedTransport(0).chunk("hi\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        int baseline = harness.pendingTimers();
        connection.send(ascii("bye\n"));
        connection.close(CloseReason.QUIT, null);
        harness.iterate();
        assertThat(protocol.last().closedFor).isEqualTo(CloseReason.QUIT);
        assertThat(harness.pendingTimers()).isEqualTo(baseline + 1);
        assertThat(socket.writeInterest).isTrue();

        harness.advanceMillis(1999); // the harness's close linger is 2 s
        assertThat(socket.closed).isFalse();
        harness.advanceMillis(1);
        assertThat(socket.closed).isTrue();
        assertThat(harness.pendingTimers()).isEqualTo(baseline);
    }

    /**
     * Regression: a lingering close that finished early left its timer in the loop until the
     * deadline, and with it the connection, its handler and all the handler held. The timer
     * leaves the moment the last byte is written, and nothing keeps the handler alive.
     */
    @Test
    void aLingeringCloseThatFinishesEarlyLeavesNothingBehind() {
        ScriptedTransport socket = new ScriptedTransport(0).chunk("hi\n");
        Connection[] connection = {harness.accept(socket)};
        harness.readable(connection[0]);
        int baseline = harness.pendingTimers();
        WeakReference<RecordingProtocol.Handler> handler = new WeakReference<>(protocol.last());
        protocol.handlers.clear();

        connection[0].send(ascii("bye\n"));
        connection[0].close(CloseReason.QUIT, null);
        harness.iterate();
        assertThat(harness.pendingTimers()).isEqualTo(baseline + 1);

        socket.perWrite = 2;
        harness.writable(connection[0]);
        assertThat(socket.closed).isFalse();
        assertThat(harness.pendingTimers()).isEqualTo(baseline + 1);
        harness.writable(connection[0]);
        assertThat(socket.writtenText()).isEqualTo("bye\n");
        assertThat(socket.closed).isTrue();
        assertThat(harness.pendingTimers()).as("the linger timer is gone at once").isEqualTo(baseline);

        connection[0] = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return handler.get() == null;
        });
    }

    @Test
    void bytesWaitingInTheSocketWhenTheWindowClosesStillDecide() {
        // The client spoke in time, but the loop was busy and never saw the socket readable
        // before the window's timer: the timer must look, not guess native.
        LoopHarness mixed = new LoopHarness(Limits.defaults(), LoopHarness.each(java.util.Map.of(
                DetectedProtocol.NATIVE, new RecordingProtocol(4096), DetectedProtocol.IRC, protocol)));
        ScriptedTransport socket = new ScriptedTransport().chunk("NICK ian\r\nUSER ian 0 * :Ian\r\n");
        mixed.accept(socket);
        mixed.advanceMillis(Connection.DETECTION_WINDOW_MILLIS);
        assertThat(protocol.handlers).hasSize(1);
        assertThat(protocol.last().frames).containsExactly("NICK ian", "USER ian 0 * :Ian");
    }
}
