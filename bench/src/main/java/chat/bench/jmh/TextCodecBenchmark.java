package chat.bench.jmh;

import chat.common.TextCodec;
import java.nio.charset.Charset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TextCodec} on one chat line, decode (frame bytes to text) and encode (text to bytes), in
 * UTF-8 and GBK, for an ASCII line and a Chinese one of about the same byte length. One operation
 * is one line; {@code gc.alloc.rate.norm} (with {@code -prof gc}) is bytes allocated per line,
 * which for decode is the String itself and for encode the byte array.
 *
 * <p>Run: {@code java -cp bench/target/chat-bench.jar org.openjdk.jmh.Main TextCodec -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TextCodecBenchmark {

    @Param({"UTF-8", "GBK"})
    String charset;

    @Param({"ascii", "chinese"})
    String text;

    private TextCodec codec;
    private String line;
    private byte[] bytes;

    @Setup
    public void setUp() {
        codec = new TextCodec(Charset.forName(charset));
        line = text.equals("ascii")
                ? "[#lobby] alice: the quick brown fox jumps over the lazy dog, twice"
                : "[#lobby] alice: 敏捷的棕色狐狸跳过了懒狗，又跳了一次，还是很快";
        bytes = codec.encode(line).bytes();
    }

    @Benchmark
    public String decode() {
        return codec.decode(bytes, 0, bytes.length);
    }

    @Benchmark
    public TextCodec.Encoded encode() {
        return codec.encode(line);
    }
}
