package chat.bench.jmh;

import chat.common.FrameHandler;
import chat.common.LineFrameDecoder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link LineFrameDecoder} on 64-byte lines (63 bytes and an LF), as the fan-out benchmark sends
 * them. One operation is one line, so the score is lines per second (times 64 for bytes per
 * second) and the gc profiler's {@code gc.alloc.rate.norm} is bytes allocated per line.
 *
 * <p>{@code chunk} is how many bytes each {@code decode} call gets: 65536 is a full read buffer
 * (lines handed over in place), 1000 cuts a line at almost every call boundary, so the copy into
 * the decoder's partial-line buffer is measured too.
 *
 * <p>Run: {@code java -cp bench/target/chat-bench.jar org.openjdk.jmh.Main LineFrameDecoder -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LineFrameDecoderBenchmark {

    static final int LINE = 64;
    static final int LINES = 1024;

    @Param({"65536", "1000"})
    int chunk;

    private byte[] stream;
    private LineFrameDecoder decoder;
    private Handler handler;

    /** Consumes frames without keeping them; a field so nothing is captured per call. */
    static final class Handler implements FrameHandler {
        Blackhole blackhole;

        @Override
        public void onFrame(byte[] bytes, int offset, int length) {
            blackhole.consume(bytes[offset + length - 1]);
        }

        @Override
        public void onFrameTooLong(long lengthSeen, int maxLength) {
            throw new AssertionError("no line is too long here");
        }
    }

    @Setup
    public void setUp(Blackhole blackhole) {
        stream = new byte[LINE * LINES];
        for (int i = 0; i < LINES; i++) {
            Arrays.fill(stream, i * LINE, (i + 1) * LINE - 1, (byte) ('a' + i % 26));
            stream[(i + 1) * LINE - 1] = '\n';
        }
        decoder = new LineFrameDecoder(4096);
        handler = new Handler();
        handler.blackhole = blackhole;
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void decode() {
        for (int from = 0; from < stream.length; from += chunk) {
            decoder.decode(stream, from, Math.min(chunk, stream.length - from), handler);
        }
    }
}
