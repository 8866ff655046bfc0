package chat.bench;

import java.util.Locale;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The tally of a handshake run: each probe connection's first line from the server ends it.
 * Two times per connection, both from the start of its connect: until it was connected (with
 * TLS, until the client's side of the handshake was done; plaintext, the TCP connect) and until
 * that first line arrived, which proves the server finished its side and served the connection.
 * Only connections started inside the measured phase are timed.
 *
 * <p>Loop thread only.
 */
final class HandshakeRun implements LoadLoop.LineListener {

    /** Closes a connection that is done; the loop's {@code finish}. */
    private final Consumer<BenchConnection> finish;
    private final Histogram handshake = LatencyReport.newHistogram();
    private final Histogram firstAnswer = LatencyReport.newHistogram();
    /** Connections answered, warm-up included. */
    private int answered;
    /** Connections answered that were opened for the measured phase. */
    private int measuredAnswered;
    /** Connections opened from this id on are measured; the warm-up's come before. */
    private int firstMeasuredId = Integer.MAX_VALUE;
    /** The first protocol and cipher suite seen, for the report. */
    private String negotiated;

    HandshakeRun(Consumer<BenchConnection> finish) {
        this.finish = finish;
    }

    /** Connections with ids from {@code id} on count for the figures. */
    void measureFrom(int id) {
        firstMeasuredId = id;
    }

    @Override
    public void onLine(BenchConnection c, byte[] bytes, int start, int end, long nowNanos) {
        if (c.role != BenchConnection.Role.PROBE) {
            return;
        }
        if (negotiated == null && c.tls != null) {
            negotiated = c.tls.negotiated();
        }
        answered++;
        if (c.id >= firstMeasuredId) {
            measuredAnswered++;
            LatencyReport.record(handshake, c.connectedNanos - c.connectStartNanos);
            LatencyReport.record(firstAnswer, nowNanos - c.connectStartNanos);
        }
        finish.accept(c); // later lines of the same read are not handed on: the connection is closed
    }

    int answered() {
        return answered;
    }

    int measuredAnswered() {
        return measuredAnswered;
    }

    LatencyReport handshakeLatency() {
        return LatencyReport.of(handshake);
    }

    LatencyReport firstAnswerLatency() {
        return LatencyReport.of(firstAnswer);
    }

    String negotiated() {
        return negotiated;
    }

    /** Connections per second: {@code count} over {@code nanos}, 0 for an empty interval. */
    static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }

    /** Microseconds of CPU per connection, or -1 when either figure is missing. */
    static double cpuMicrosEach(long cpuNanos, long count) {
        return cpuNanos < 0 || count <= 0 ? -1 : cpuNanos / 1e3 / count;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d answered (%d measured)", answered, measuredAnswered);
    }
}
