package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One connection through the pipeline, on a hand-driven loop with a scripted socket. */
class ConnectionTest {

    private final RecordingProtocol protocol = new RecordingProtocol(4096);
    private final LoopHarness harness = new LoopHarness(Limits.defaults(), LoopHarness.only(protocol));

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
    void theFirstBytesOpenTheDialectAndAreItsFirstFrames() {
        ScriptedTransport socket = new ScriptedTransport().chunk("hel").chunk("lo\nworld\n");
        Connection connection = harness.accept(socket);
        harness.readable(connection);
        assertThat(protocol.handlers).hasSize(1); // 'h' can start nothing but native text
        harness.readable(connection);
        assertThat(protocol.last().frames).containsExactly("hello", "world");
    }
}
