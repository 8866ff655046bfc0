package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Framing and backpressure between the socket and the dialect: fairness, flood control, lines
 * split across reads, the end of input, and silence once closed. Driven through a real
 * {@link Connection} on the harness (the way the loop drives it), except where the final-input
 * calls are tested on their own.
 */
class InputFlowTest {

    private static final int SHARE = InputFlow.MAX_LINES_PER_ITERATION;

    private final RecordingProtocol protocol = new RecordingProtocol(4096);

    private static List<String> numbered(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            lines.add("line " + i);
        }
        return lines;
    }

    private static String joined(List<String> lines, String eol) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append(eol);
        }
        return text.toString();
    }

    @Test
    void fairnessHandsOverOneShareAPerIterationInOrder() {
        LoopHarness harness = new LoopHarness(Limits.unlimited(), LoopHarness.only(protocol));
        int total = 2 * SHARE + 100;
        ScriptedTransport socket = new ScriptedTransport()
                .chunk(joined(numbered(1, total), "\n"))
                .chunk("after the pause\n");
        Connection connection = harness.accept(socket);

        harness.readable(connection);
        RecordingProtocol.Handler handler = protocol.last();
        assertThat(handler.frames).containsExactlyElementsOf(numbered(1, SHARE));
        assertThat(connection.inputState()).isEqualTo(InputState.FAIRNESS_PAUSED);
        assertThat(socket.readInterest).isFalse();

        int reads = socket.readCalls;
        harness.readable(connection); // a stale readiness while paused must not read
        assertThat(socket.readCalls).isEqualTo(reads);

        harness.iterate();
        assertThat(handler.frames).containsExactlyElementsOf(numbered(1, 2 * SHARE));
        assertThat(connection.inputState()).isEqualTo(InputState.FAIRNESS_PAUSED);
        assertThat(socket.readInterest).isFalse();

        harness.iterate();
        assertThat(handler.frames).containsExactlyElementsOf(numbered(1, total));
        assertThat(connection.inputState()).isEqualTo(InputState.READING);
        assertThat(socket.readInterest).isTrue();

        harness.readable(connection);
        assertThat(handler.frames).hasSize(total + 1).endsWith("after the pause");
    }

    @Test
    void aShareThatEndsWithTheReadResumesWithNothingLeft() {
        LoopHarness harness = new LoopHarness(Limits.unlimited(), LoopHarness.only(protocol));
        ScriptedTransport socket = new ScriptedTransport().chunk(joined(numbered(1, SHARE), "\r\n")).chunk("next\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        assertThat(connection.inputState()).isEqualTo(InputState.FAIRNESS_PAUSED);
        harness.iterate();
        assertThat(connection.inputState()).isEqualTo(InputState.READING);
        harness.readable(connection);
        assertThat(protocol.last().frames).hasSize(SHARE + 1).endsWith("next");
    }

    @Test
    void floodControlHoldsTheLineWithoutATokenAndDeliversItWhenOneIsDue() {
        LoopHarness harness = new LoopHarness(Limits.unlimited().withFlood(10, 3), LoopHarness.only(protocol));
        ScriptedTransport socket = new ScriptedTransport()
                .chunk("one\ntwo\r\nthree\nfour\r\nfive\nsix\r\nsev")
                .chunk("en\n");
        Connection connection = harness.accept(socket);
        int timersBefore = harness.pendingTimers() - 1; // less the detection timer, gone at the first byte

        harness.readable(connection);
        RecordingProtocol.Handler handler = protocol.last();
        assertThat(handler.frames).containsExactly("one", "two", "three");
        assertThat(connection.inputState()).isEqualTo(InputState.FLOOD_PAUSED);
        assertThat(socket.readInterest).isFalse();
        assertThat(harness.pendingTimers()).as("one resume timer").isEqualTo(timersBefore + 1);
        assertThat(harness.server.floodPauses()).isEqualTo(1);

        harness.advanceMillis(99);
        assertThat(handler.frames).hasSize(3);
        harness.advanceMillis(1); // rate 10/s: a token every 100 ms
        assertThat(handler.frames).containsExactly("one", "two", "three", "four");
        assertThat(connection.inputState()).isEqualTo(InputState.FLOOD_PAUSED);
        harness.advanceMillis(100);
        harness.advanceMillis(100);
        assertThat(handler.frames).containsExactly("one", "two", "three", "four", "five", "six");
        // "sev" waits in the decoder for its end; input goes back to the socket.
        assertThat(connection.inputState()).isEqualTo(InputState.READING);
        assertThat(socket.readInterest).isTrue();
        assertThat(harness.pendingTimers()).isEqualTo(timersBefore);

        harness.advanceMillis(100);
        harness.readable(connection);
        assertThat(handler.frames).containsExactly("one", "two", "three", "four", "five", "six", "seven");
    }

    @Test
    void aSenderAtTheRateIsNeverPaused() {
        LoopHarness harness = new LoopHarness(Limits.unlimited().withFlood(10, 1), LoopHarness.only(protocol));
        ScriptedTransport socket = new ScriptedTransport();
        Connection connection = harness.accept(socket);
        for (int i = 0; i < 20; i++) {
            socket.chunk("tick " + i + "\n");
            harness.readable(connection);
            assertThat(connection.inputState()).isEqualTo(InputState.READING);
            harness.advanceMillis(100);
        }
        assertThat(protocol.last().frames).hasSize(20);
        assertThat(harness.server.floodPauses()).isZero();
    }

    @Test
    void aLineSplitAtEveryPointArrivesWhole() {
        LoopHarness harness = new LoopHarness(Limits.unlimited(), LoopHarness.only(protocol));
        byte[] text = "héllo wörld, 你好\r\nsecond\nthird\r\n".getBytes(StandardCharsets.UTF_8);
        List<String> expected = List.of("héllo wörld, 你好", "second", "third");
        for (int a = 1; a < text.length; a++) {
            for (int b = a; b < text.length; b++) {
                ScriptedTransport socket = new ScriptedTransport()
                        .chunk(Arrays.copyOfRange(text, 0, a))
                        .chunk(Arrays.copyOfRange(text, a, b))
                        .chunk(Arrays.copyOfRange(text, b, text.length));
                Connection connection = harness.accept(socket);
                for (int i = 0; i < 3; i++) {
                    harness.readable(connection);
                }
                assertThat(protocol.last().frames).as("split at %d and %d", a, b).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void oneByteAtATimeAndSeededRandomSplitsLoseNothing() {
        LoopHarness harness = new LoopHarness(Limits.unlimited(), LoopHarness.only(protocol));
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String line = "m" + i + " " + "ü".repeat(random.nextInt(20));
            expected.add(line);
            text.append(line).append(random.nextBoolean() ? "\n" : "\r\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 20; round++) {
            ScriptedTransport socket = new ScriptedTransport();
            int reads = 0;
            for (int from = 0; from < bytes.length; reads++) {
                int n = round == 0 ? 1 : 1 + random.nextInt(64);
                int to = Math.min(bytes.length, from + n);
                socket.chunk(Arrays.copyOfRange(bytes, from, to));
                from = to;
            }
            Connection connection = harness.accept(socket);
            for (int i = 0; i < reads; i++) {
                harness.readable(connection);
                harness.iterate(); // a fairness pause resumes; none is expected with 300 lines
            }
            assertThat(protocol.last().frames).as("round %d", round).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void theEndOfInputDeliversTheBacklogAndTheLastLineWithoutPausing() {
        LoopHarness harness = new LoopHarness(Limits.unlimited().withFlood(10, 1), LoopHarness.only(protocol));
        ScriptedTransport socket = new ScriptedTransport().chunk("start\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection); // open the native dialect; its own flow is not used below
        harness.advanceMillis(100); // its token is back

        InputFlow flow = new InputFlow(connection, 4096, true, harness.nanoTime());
        RecordingProtocol.Handler handler = protocol.last();
        handler.frames.clear();
        int timersBefore = harness.pendingTimers();
        byte[] first = "a\nb\r\nc\n".getBytes(StandardCharsets.US_ASCII);
        flow.accept(first, 0, first.length);
        assertThat(handler.frames).containsExactly("a");
        assertThat(flow.state()).isEqualTo(InputState.FLOOD_PAUSED);
        assertThat(flow.backlogBytes()).as("b and c wait").isEqualTo("b\nc\n".length());

        flow.beginFinal();
        assertThat(handler.frames).containsExactly("a", "b", "c");
        assertThat(flow.state()).isEqualTo(InputState.ENDED);
        assertThat(harness.pendingTimers()).as("the resume timer is gone").isEqualTo(timersBefore);

        byte[] last = (joined(numbered(1, SHARE + 10), "\n") + "no newline").getBytes(
                StandardCharsets.US_ASCII);
        flow.acceptFinal(last, 0, last.length);
        assertThat(handler.frames).hasSize(3 + SHARE + 10); // no flood, no fairness: the peer is gone
        flow.end();
        assertThat(handler.frames).endsWith("line " + (SHARE + 10), "no newline");
        assertThat(flow.state()).isEqualTo(InputState.ENDED);
        flow.end();
        assertThat(handler.frames).hasSize(3 + SHARE + 10 + 1);
    }

    @Test
    void aClosedConnectionIsToldNothingMore() {
        LoopHarness harness = new LoopHarness(Limits.unlimited(), LoopHarness.only(protocol));
        ScriptedTransport socket = new ScriptedTransport().chunk(joined(numbered(1, SHARE + 10), "\n")).chunk("x\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        RecordingProtocol.Handler handler = protocol.last();
        assertThat(connection.inputState()).isEqualTo(InputState.FAIRNESS_PAUSED);

        connection.close(CloseReason.QUIT, null);
        assertThat(connection.inputState()).isEqualTo(InputState.CLOSED);
        harness.iterate(); // the fairness resume runs here and must find nothing to do
        harness.readable(connection);
        harness.iterate();
        assertThat(handler.frames).hasSize(SHARE);
        assertThat(socket.readInterest).isFalse();
    }

    @Test
    void aHandlerThatClosesOnAFrameGetsNoFurtherFramesFromTheSameRead() {
        protocol.reaction = (handler, frame) -> {
            if (frame.equals("/quit")) {
                handler.connection.close(CloseReason.QUIT, null);
            }
        };
        LoopHarness harness = new LoopHarness(Limits.unlimited(), LoopHarness.only(protocol));
        Connection connection = harness.accept(new ScriptedTransport().chunk("hi\n/quit\nafter\nlast"));
        harness.readable(connection);
        harness.iterate();
        assertThat(protocol.last().frames).containsExactly("hi", "/quit");
    }

    // --- held input: the dialect waits for an answer from off the loop ---

    /** A protocol whose handler holds its input on the line "hold", as IRC's OPER does. */
    private LoopHarness holdingHarness() {
        protocol.reaction = (handler, frame) -> {
            if (frame.equals("hold")) {
                handler.connection.holdInput();
            }
        };
        return new LoopHarness(Limits.unlimited(), LoopHarness.only(protocol));
    }

    /** What the answer's thread does: hands the release to the loop, which runs it next iteration. */
    private static void releaseFromAnotherThread(LoopHarness harness, Connection connection)
            throws InterruptedException {
        Thread answer = new Thread(() -> harness.loop.execute(connection::releaseInput), "answer");
        answer.start();
        answer.join();
    }

    @Test
    void linesAfterTheHoldingOneWaitAndReadingStops() {
        LoopHarness harness = holdingHarness();
        ScriptedTransport socket = new ScriptedTransport().chunk("before\nhold\nafter 1\r\nafter 2\npart");
        Connection connection = harness.accept(socket);

        harness.readable(connection);
        harness.iterate();
        RecordingProtocol.Handler handler = protocol.last();
        assertThat(handler.frames).containsExactly("before", "hold");
        assertThat(connection.inputState()).isEqualTo(InputState.HELD);
        assertThat(socket.readInterest).isFalse();

        socket.chunk("ial\n");
        int reads = socket.readCalls;
        harness.readable(connection); // a stale readiness while held must not read
        harness.advanceMillis(60_000); // no timer ends a hold
        assertThat(socket.readCalls).isEqualTo(reads);
        assertThat(handler.frames).containsExactly("before", "hold");
        assertThat(connection.inputState()).isEqualTo(InputState.HELD);
    }

    @Test
    void releaseDeliversTheWaitingLinesInOrderThenReadingGoesOn() throws InterruptedException {
        LoopHarness harness = holdingHarness();
        ScriptedTransport socket = new ScriptedTransport().chunk("hold\nafter 1\r\nafter 2\npart");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        RecordingProtocol.Handler handler = protocol.last();

        releaseFromAnotherThread(harness, connection);
        assertThat(handler.frames).as("not before the loop runs the release").containsExactly("hold");
        harness.iterate();
        assertThat(handler.frames).containsExactly("hold", "after 1", "after 2");
        assertThat(connection.inputState()).isEqualTo(InputState.READING);
        assertThat(socket.readInterest).isTrue();

        socket.chunk("ial\nlast\n");
        harness.readable(connection);
        assertThat(handler.frames).containsExactly("hold", "after 1", "after 2", "partial", "last");
    }

    @Test
    void aHoldReachedAgainInTheReleasedLinesHoldsAgain() {
        LoopHarness harness = holdingHarness();
        ScriptedTransport socket = new ScriptedTransport().chunk("hold\none\nhold\ntwo\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        RecordingProtocol.Handler handler = protocol.last();

        connection.releaseInput();
        assertThat(handler.frames).containsExactly("hold", "one", "hold");
        assertThat(connection.inputState()).isEqualTo(InputState.HELD);
        assertThat(socket.readInterest).isFalse();

        connection.releaseInput();
        assertThat(handler.frames).containsExactly("hold", "one", "hold", "two");
        assertThat(connection.inputState()).isEqualTo(InputState.READING);
    }

    @Test
    void aReleaseWithoutAHoldChangesNothing() {
        LoopHarness harness = holdingHarness();
        ScriptedTransport socket = new ScriptedTransport().chunk("one\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);

        connection.releaseInput();
        assertThat(connection.inputState()).isEqualTo(InputState.READING);
        assertThat(socket.readInterest).isTrue();
        assertThat(protocol.last().frames).containsExactly("one");
    }

    @Test
    void aConnectionClosedWhileHeldIsGivenNothingMoreAndALateReleaseIsHarmless() throws InterruptedException {
        LoopHarness harness = holdingHarness();
        ScriptedTransport socket = new ScriptedTransport().chunk("hold\nafter\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        RecordingProtocol.Handler handler = protocol.last();

        connection.close(CloseReason.QUIT, null);
        harness.iterate();
        assertThat(connection.inputState()).isEqualTo(InputState.CLOSED);

        releaseFromAnotherThread(harness, connection); // the answer arrives after all
        harness.iterate();
        harness.readable(connection);
        harness.iterate();
        assertThat(handler.frames).containsExactly("hold");
        assertThat(connection.inputState()).isEqualTo(InputState.CLOSED);
        assertThat(socket.readInterest).isFalse();
        assertThat(handler.events).containsExactly("closed QUIT");
    }
}
