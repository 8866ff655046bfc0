package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The handshake run's tally, fed with connections and lines by hand; no socket, no clock. */
class HandshakeRunTest {

    private final List<BenchConnection> finished = new ArrayList<>();
    private final HandshakeRun run = new HandshakeRun(finished::add);

    private static BenchConnection probe(int id, long connectStart, long connected) {
        BenchConnection c = new BenchConnection(BenchConnection.Role.PROBE, id, new byte[0], new byte[0]);
        c.connectStartNanos = connectStart;
        c.connectedNanos = connected;
        return c;
    }

    private void line(BenchConnection c, String text, long now) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        run.onLine(c, bytes, 0, bytes.length, now);
    }

    @Test
    void theFirstAnswerEndsAConnectionAndOnlyMeasuredOnesAreTimed() {
        BenchConnection warm = probe(0, 1_000, 2_000);
        line(warm, "+PONG", 3_000);
        run.measureFrom(1);
        BenchConnection measured = probe(1, 10_000_000, 12_000_000); // 2 ms to the handshake's end
        line(measured, "-- welcome guest-1; /help lists the commands", 15_000_000); // 5 ms to the answer

        assertThat(finished).containsExactly(warm, measured);
        assertThat(run.answered()).isEqualTo(2);
        assertThat(run.measuredAnswered()).isEqualTo(1);
        assertThat(run.handshakeLatency().count()).isEqualTo(1);
        assertThat(run.handshakeLatency().p50Micros()).isBetween(1_998.0, 2_002.0); // 3 significant digits
        assertThat(run.firstAnswerLatency().p50Micros()).isBetween(4_995.0, 5_005.0);
    }

    @Test
    void linesOfOtherRolesAreNotAnswers() {
        line(new BenchConnection(BenchConnection.Role.IDLE, 0, new byte[0], new byte[0]), "+PONG", 1);
        assertThat(run.answered()).isZero();
        assertThat(finished).isEmpty();
    }

    @Test
    void ratesAndCpuPerConnection() {
        assertThat(HandshakeRun.perSecond(500, 2_000_000_000L)).isEqualTo(250.0);
        assertThat(HandshakeRun.perSecond(500, 0)).isZero();
        assertThat(HandshakeRun.cpuMicrosEach(3_000_000_000L, 1_000)).isEqualTo(3_000.0);
        assertThat(HandshakeRun.cpuMicrosEach(-1, 1_000)).isEqualTo(-1);
        assertThat(HandshakeRun.cpuMicrosEach(5, 0)).isEqualTo(-1);
    }

    @Test
    void eachProtocolsProbeAsksForAnImmediateAnswer() {
        assertThat(new String(Protocol.NATIVE.probeBytes("p7"), StandardCharsets.US_ASCII)).isEqualTo("/join #p7\n/quit\n");
        assertThat(new String(Protocol.RESP.probeBytes("p7"), StandardCharsets.US_ASCII)).isEqualTo("PING\r\n");
        assertThat(new String(Protocol.IRC.probeBytes("p7"), StandardCharsets.US_ASCII))
                .isEqualTo("NICK p7\r\nUSER p7 0 * :p7\r\n");
    }
}
