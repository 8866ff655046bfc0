package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The loop's own figures: what connections count as they read, queue, write and close, the
 * census of open connections, and the loop's iterations and idle time, on a loop driven by hand.
 */
class TrafficCountersTest {

    private final Map<DetectedProtocol, RecordingProtocol> byProtocol = new EnumMap<>(DetectedProtocol.class);
    private final LoopHarness harness;

    TrafficCountersTest() {
        for (DetectedProtocol detected : DetectedProtocol.values()) {
            byProtocol.put(detected, new RecordingProtocol(4096));
        }
        harness = new LoopHarness(Limits.defaults(), LoopHarness.each(byProtocol));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readsLinesDeliveriesWritesAndClosesAreCountedOnceEach() {
        ScriptedTransport nativeSocket = new ScriptedTransport().chunk("hello\nworld\n");
        ScriptedTransport ircSocket = new ScriptedTransport().chunk("NICK bob\r\n");
        Connection nativeConnection = harness.accept(nativeSocket);
        Connection ircConnection = harness.accept(ircSocket);
        // Each line a client sends goes to both: a fan-out of two.
        byProtocol.values().forEach(p -> p.reaction = (handler, frame) -> {
            nativeConnection.send(ascii(frame + "\n"));
            ircConnection.send(ascii(frame + "\n"));
        });
        harness.readable(nativeConnection);
        harness.readable(ircConnection);
        harness.iterate();

        TrafficCounters counters = harness.server.counters();
        assertThat(counters.bytesIn()).isEqualTo("hello\nworld\n".length() + "NICK bob\r\n".length());
        assertThat(counters.linesIn()).isEqualTo(3);
        assertThat(counters.linesQueued()).as("three lines to two connections").isEqualTo(6);
        assertThat(counters.writes()).as("one flush per connection: lines are packed").isEqualTo(2);
        assertThat(counters.bytesOut()).isEqualTo(nativeSocket.written.size() + ircSocket.written.size());

        nativeConnection.close(CloseReason.QUIT, null);
        harness.iterate();
        assertThat(counters.closed(CloseReason.QUIT)).isEqualTo(1);
        assertThat(counters.closed(CloseReason.RESET)).isZero();
    }

    @Test
    void theCensusCountsOpenConnectionsByDialectAndUndecidedOnesAsOther() {
        harness.readable(harness.accept(new ScriptedTransport().chunk("hi\n")));
        harness.readable(harness.accept(new ScriptedTransport().chunk("CAP LS 302\r\n")));
        harness.accept(new ScriptedTransport()); // nothing said yet
        Connection slow = harness.accept(new ScriptedTransport(0)); // silent too, and takes no bytes
        slow.send(ascii("queued and not taken\n"));
        harness.iterate();

        ConnectionCensus census = new ConnectionCensus();
        harness.server.countConnections(census);

        assertThat(census.connections(ConnectionCensus.Dialect.NATIVE, false)).isEqualTo(1);
        assertThat(census.connections(ConnectionCensus.Dialect.IRC, false)).isEqualTo(1);
        assertThat(census.connections(ConnectionCensus.Dialect.OTHER, false)).isEqualTo(2);
        assertThat(census.connections(ConnectionCensus.Dialect.NATIVE, true)).isZero();
        assertThat(census.connections()).isEqualTo(4);
        assertThat(census.users()).as("the recording dialect makes no chat users").isZero();
        assertThat(census.pendingBytes()).isEqualTo("queued and not taken\n".length());
    }

    @Test
    void theLoopCountsIterationsAndTheTimeItWaitedWithNothingToDo() {
        long[] nanos = {TimeUnit.SECONDS.toNanos(1000)};
        // Each look at the clock moves it on by a millisecond: the wait measured is exactly one.
        EventLoop loop = new EventLoop(() -> nanos[0] += TimeUnit.MILLISECONDS.toNanos(1));
        loop.schedule(10, () -> { }); // due after both iterations: the second waits for it

        loop.runIteration(false);
        assertThat(loop.iterations()).isEqualTo(1);
        assertThat(loop.idleNanos()).as("selectNow never waits").isZero();

        loop.runIteration(true);
        assertThat(loop.iterations()).isEqualTo(2);
        assertThat(loop.idleNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    }
}
