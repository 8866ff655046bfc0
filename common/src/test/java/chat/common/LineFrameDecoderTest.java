package chat.common;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feeds {@link LineFrameDecoder} byte arrays and buffers, no sockets. Most tests cut the same
 * input in many ways and check that the frames never depend on where the cuts fall.
 */
class LineFrameDecoderTest {

    /** What the recorder writes down for an over-long line, in place of a frame. */
    private static final String TOO_LONG = "<too long>";

    /** A multi-line input for max = 8 touching every rule; its frames are {@link #MIXED_EVENTS}. */
    private static final int MIXED_MAX = 8;
    private static final byte[] MIXED_INPUT = ascii(
            "alpha\n"
            + "be\r\n"
            + "\n"
            + "\r\n"
            + "12345678\n"              // exactly max, LF
            + "abcdefgh\r\n"            // exactly max, CRLF
            + "123456789\n"             // max + 1
            + "ok\n"
            + "way too long a line\r\n" // far over max, CRLF
            + "a\rb\n"                  // a CR not before LF is data
            + "tail");                  // no final LF: delivered by finish()
    private static final List<String> MIXED_EVENTS = List.of(
            "alpha", "be", "", "", "12345678", "abcdefgh", TOO_LONG, "ok", TOO_LONG, "a\rb", "tail");

    // ---- splitting anywhere gives the same frames ----

    @Test
    void wholeInputGivesTheExpectedFrames() {
        assertEquals(MIXED_EVENTS, decodeCutAt(MIXED_MAX, MIXED_INPUT).events);
    }

    @Test
    void everySplitPointGivesTheSameFramesAsOneChunk() {
        for (int cut = 0; cut <= MIXED_INPUT.length; cut++) {
            assertEquals(MIXED_EVENTS, decodeCutAt(MIXED_MAX, MIXED_INPUT, cut).events, "cut at " + cut);
        }
    }

    @Test
    void everyPairOfSplitPointsGivesTheSameFramesAsOneChunk() {
        for (int first = 0; first <= MIXED_INPUT.length; first++) {
            for (int second = first; second <= MIXED_INPUT.length; second++) {
                assertEquals(MIXED_EVENTS, decodeCutAt(MIXED_MAX, MIXED_INPUT, first, second).events,
                        "cuts at " + first + " and " + second);
            }
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameFramesAsOneChunk() {
        assertEquals(MIXED_EVENTS, decodeByteByByte(MIXED_MAX, MIXED_INPUT).events);
    }

    // ---- line endings ----

    @Test
    void crAndLfInDifferentChunksMakeOneLineEnd() {
        LineFrameDecoder decoder = new LineFrameDecoder(16);
        Recorder recorder = new Recorder();

        feed(decoder, recorder, ascii("abc\r"));
        assertEquals(List.of(), recorder.events, "no frame before the LF");
        assertEquals(4, decoder.bufferedBytes(), "the CR is held until we know what follows");

        feed(decoder, recorder, ascii("\nxyz"));
        feed(decoder, recorder, ascii("\r"));
        feed(decoder, recorder, ascii("\n"));

        assertEquals(List.of("abc", "xyz"), recorder.events);
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void mixedLfAndCrlfEndLinesAlike() {
        assertEquals(List.of("one", "two", "three", "four", "five"),
                decodeCutAt(16, ascii("one\ntwo\r\nthree\nfour\r\nfive\n")).events);
    }

    @Test
    void emptyLinesAreDeliveredAsEmptyFrames() {
        assertEquals(List.of("", "", "", "x", ""), decodeCutAt(16, ascii("\n\r\n\nx\n\r\n")).events);
    }

    @Test
    void onlyTheOneCrRightBeforeLfIsDropped() {
        assertEquals(List.of("a\rb", "\r", "c\r"), decodeCutAt(16, ascii("a\rb\n\r\r\nc\r\r\n")).events);
    }

    // ---- maximum frame length ----

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void lineOfExactlyMaxBytesIsAccepted(String ending) {
        int max = 16;
        String line = "x".repeat(max);
        byte[] input = ascii(line + ending + "next" + ending);

        for (Recorder recorder : List.of(decodeCutAt(max, input), decodeByteByByte(max, input))) {
            assertEquals(List.of(line, "next"), recorder.events);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void lineOfMaxPlusOneBytesIsRejected(String ending) {
        int max = 16;
        byte[] input = ascii("y".repeat(max + 1) + ending + "next" + ending);

        for (Recorder recorder : List.of(decodeCutAt(max, input), decodeByteByByte(max, input))) {
            assertEquals(List.of(TOO_LONG, "next"), recorder.events);
            assertEquals(List.of(max), recorder.tooLongMaxima, "the limit is reported with the length seen");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 1000})
    void decoderRecoversAfterOverLongLinesTwiceInARow(int chunkSize) {
        int max = 10;
        byte[] input = ascii("first\n"
                + "z".repeat(25) + "\n"
                + "second\n"
                + "z".repeat(11) + "\r\n"
                + "third\r\n");

        Recorder recorder = decodeInChunksOf(max, input, chunkSize);

        assertEquals(List.of("first", TOO_LONG, "second", TOO_LONG, "third"), recorder.events);
    }

    @Test
    void longLegalLinesHeldAcrossManyChunksComeOutIntact() {
        // Long enough to grow the held buffer several times, and to pass the size it keeps.
        String first = numbered(3_000);
        String second = numbered(200);
        byte[] input = ascii(first + "\r\n" + second + "\n");

        assertEquals(List.of(first, second), decodeInChunksOf(4_096, input, 97).events);
    }

    @Test
    void overLongLineOverManyChunksIsReportedOnceAndMemoryStaysBounded() {
        int max = 32;
        int lineLength = 10_000;
        int chunkSize = 7;
        LineFrameDecoder decoder = new LineFrameDecoder(max);
        Recorder recorder = new Recorder();

        int fed = 0;
        while (fed < lineLength) {
            int n = Math.min(chunkSize, lineLength - fed);
            feed(decoder, recorder, ascii("x".repeat(n)));
            fed += n;
            if (fed <= max) {
                assertEquals(0, recorder.tooLongSeen.size(), "still a legal length after " + fed + " bytes");
            } else if (fed >= max + 2) {
                // max + 1 may be a maximal line plus the CR of a CRLF; one byte more cannot be.
                assertEquals(1, recorder.tooLongSeen.size(), "reported once, by " + fed + " bytes");
                assertTrue(decoder.isDiscarding());
            }
        }
        assertEquals(lineLength, decoder.discardedBytes());

        feed(decoder, recorder, ascii("\nafter\n"));

        assertEquals(List.of(TOO_LONG, "after"), recorder.events);
        assertFalse(decoder.isDiscarding());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void overLongLineInOneHugeChunkIsNotBuffered() {
        LineFrameDecoder decoder = new LineFrameDecoder(64);
        Recorder recorder = new Recorder();

        feed(decoder, recorder, ascii("q".repeat(1 << 20)));

        assertEquals(List.of(TOO_LONG), recorder.events);
        assertEquals(0, decoder.bufferedBytes());
        assertTrue(decoder.isDiscarding());
    }

    @Test
    void rejectsUnusableMaximum() {
        for (int max : new int[] {0, -1, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> new LineFrameDecoder(max), "max " + max);
        }
        assertEquals(1, new LineFrameDecoder(1).maxFrameLength());
    }

    // ---- end of input ----

    @Test
    void finishDeliversTrailingPartialFrameAndResets() {
        LineFrameDecoder decoder = new LineFrameDecoder(16);
        Recorder recorder = new Recorder();

        feed(decoder, recorder, ascii("a\nbc"));
        assertEquals(List.of("a"), recorder.events);
        assertEquals(2, decoder.bufferedBytes());

        decoder.finish(recorder);
        assertEquals(List.of("a", "bc"), recorder.events);
        assertEquals(0, decoder.bufferedBytes());

        feed(decoder, recorder, ascii("d\n"));
        assertEquals(List.of("a", "bc", "d"), recorder.events, "nothing of the old frame is left");
    }

    @Test
    void finishDropsTheCrEndingAPartialFrame() {
        assertEquals(List.of("abc"), decodeCutAt(16, ascii("abc\r")).events);
        assertEquals(List.of("abc"), decodeByteByByte(16, ascii("abc\r")).events);
    }

    @Test
    void finishAtLineBoundaryDeliversNothingMore() {
        assertEquals(List.of("abc"), decodeCutAt(16, ascii("abc\n")).events);

        Recorder fresh = new Recorder();
        new LineFrameDecoder(16).finish(fresh);
        assertEquals(List.of(), fresh.events);
    }

    @Test
    void finishWhileDiscardingDeliversNothing() {
        LineFrameDecoder decoder = new LineFrameDecoder(4);
        Recorder recorder = new Recorder();

        feed(decoder, recorder, ascii("much too long"));
        assertTrue(decoder.isDiscarding());

        decoder.finish(recorder);
        assertEquals(List.of(TOO_LONG), recorder.events);
        assertFalse(decoder.isDiscarding());

        feed(decoder, recorder, ascii("ok\n"));
        assertEquals(List.of(TOO_LONG, "ok"), recorder.events, "a new stream starts clean");
    }

    @Test
    void finishDoesNotDeliverPartialFrameOfMaxPlusOneBytes() {
        int max = 4;
        assertEquals(List.of(TOO_LONG), decodeCutAt(max, ascii("12345")).events);
        assertEquals(List.of("1234"), decodeCutAt(max, ascii("1234\r")).events, "the fifth byte is a CR");
    }

    // ---- ByteBuffer overloads ----

    /** Ways to wrap the same bytes; each puts LF-laden junk around them to catch bad indexing. */
    enum BufferKind {
        HEAP(data -> ByteBuffer.wrap(padded(data), PAD.length, data.length)),
        HEAP_SLICE(data -> ByteBuffer.wrap(padded(data)).position(PAD.length).slice().limit(data.length)),
        READ_ONLY_HEAP(data -> HEAP.wrap(data).asReadOnlyBuffer()),
        DIRECT(data -> {
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 2 * PAD.length);
            direct.put(padded(data)).position(PAD.length).limit(PAD.length + data.length);
            return direct;
        });

        private final Function<byte[], ByteBuffer> wrapper;

        BufferKind(Function<byte[], ByteBuffer> wrapper) {
            this.wrapper = wrapper;
        }

        ByteBuffer wrap(byte[] data) {
            return wrapper.apply(data);
        }
    }

    /** Junk around buffer contents: line ends that must never be read. */
    private static final byte[] PAD = ascii("\nJUNK\r\n");

    private static byte[] padded(byte[] data) {
        byte[] out = new byte[data.length + 2 * PAD.length];
        System.arraycopy(PAD, 0, out, 0, PAD.length);
        System.arraycopy(data, 0, out, PAD.length, data.length);
        System.arraycopy(PAD, 0, out, PAD.length + data.length, PAD.length);
        return out;
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void byteBufferInOnePieceIsFullyConsumed(BufferKind kind) {
        LineFrameDecoder decoder = new LineFrameDecoder(MIXED_MAX);
        Recorder recorder = new Recorder();

        ByteBuffer in = kind.wrap(MIXED_INPUT);
        int limit = in.limit();
        decoder.decode(in, recorder);
        decoder.finish(recorder);

        assertEquals(MIXED_EVENTS, recorder.events);
        assertEquals(limit, in.position());
        assertEquals(limit, in.limit());
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void byteBuffersSplitAtEveryPointGiveTheSameFrames(BufferKind kind) {
        for (int cut = 0; cut <= MIXED_INPUT.length; cut++) {
            LineFrameDecoder decoder = new LineFrameDecoder(MIXED_MAX);
            Recorder recorder = new Recorder();

            decoder.decode(kind.wrap(Arrays.copyOfRange(MIXED_INPUT, 0, cut)), recorder);
            decoder.decode(kind.wrap(Arrays.copyOfRange(MIXED_INPUT, cut, MIXED_INPUT.length)), recorder);
            decoder.finish(recorder);

            assertEquals(MIXED_EVENTS, recorder.events, "cut at " + cut);
        }
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void byteBufferLargerThanTheCopyChunkKeepsLinesWhole(BufferKind kind) {
        // Lines of 100 bytes make some straddle every 8 KiB boundary of the direct-buffer copy.
        List<String> lines = IntStream.range(0, 300)
                .mapToObj(i -> String.format("%05d", i) + "-".repeat(94))
                .toList();
        byte[] input = ascii(String.join("\n", lines) + "\n");

        Recorder recorder = new Recorder();
        new LineFrameDecoder(100).decode(kind.wrap(input), recorder);

        assertEquals(lines, recorder.events);
    }

    // ---- multibyte characters ----

    enum MultibyteSample {
        UTF_8_TEXT("UTF-8", "你好，世界\n😀 emoji 表情\r\nĀé ß ü\n\n中文结尾"),
        // 丂 and 乗 have trail bytes 0x40 and 0x5C, inside the ASCII range but never LF or CR.
        GBK_TEXT("GBK", "你好，世界\n丂乗 混合 ASCII\r\n\n中文结尾"),
        // 😀 and 𠀀 take four bytes in GB18030.
        GB18030_TEXT("GB18030", "你好，世界\n😀 表情 𠀀\r\n丂乗\n\n中文结尾");

        final TextCodec codec;
        final String text;

        MultibyteSample(String charset, String text) {
            this.codec = new TextCodec(Charset.forName(charset));
            this.text = text;
        }

        List<String> lines() {
            return List.of(text.split("\r?\n", -1));
        }

        byte[] bytes() {
            TextCodec.Encoded encoded = codec.encode(text);
            assertEquals(0, encoded.unmappable(), "sample must fit its charset");
            return encoded.bytes();
        }
    }

    @ParameterizedTest
    @EnumSource(MultibyteSample.class)
    void multibyteCharactersSplitAtEveryByteComeOutWhole(MultibyteSample sample) {
        byte[] input = sample.bytes();
        int max = input.length;

        for (int cut = 0; cut <= input.length; cut++) {
            assertEquals(sample.lines(), decodedLines(decodeCutAt(max, input, cut), sample.codec), "cut at " + cut);
        }
        assertEquals(sample.lines(), decodedLines(decodeByteByByte(max, input), sample.codec));
    }

    // ---- seeded random traffic ----

    /** Pieces of line content: ASCII, two-, three- and four-byte UTF-8, and a stray CR. */
    private static final String[] PIECES = {"a", "b", "z", " ", "é", "中", "😀", "\r"};

    @Test
    void randomLinesInRandomChunksMatchASimpleSplit() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            int max = random.nextInt(1, 40);
            byte[] input = randomLines(random, max);
            int[] cuts = randomCuts(random, input.length);

            Recorder recorder = decodeCutAt(max, input, cuts);

            assertEquals(referenceEvents(input, max), recorder.events,
                    "round " + round + ", max " + max + ", cuts " + Arrays.toString(cuts));
        }
    }

    private static byte[] randomLines(Random random, int max) {
        StringBuilder text = new StringBuilder();
        int lines = random.nextInt(1, 30);
        for (int i = 0; i < lines; i++) {
            int target = random.nextInt(max + 8);
            StringBuilder line = new StringBuilder();
            while (line.toString().getBytes(UTF_8).length < target) {
                // A stray CR is rare, so most lines end cleanly.
                line.append(random.nextInt(20) == 0 ? "\r" : PIECES[random.nextInt(PIECES.length - 1)]);
            }
            text.append(line);
            boolean last = i == lines - 1;
            if (!last || random.nextBoolean()) {
                text.append(random.nextBoolean() ? "\n" : "\r\n");
            }
        }
        return text.toString().getBytes(UTF_8);
    }

    private static int[] randomCuts(Random random, int length) {
        List<Integer> cuts = new ArrayList<>();
        int at = 0;
        while (true) {
            // Mostly small chunks, some empty ones, now and then a big one.
            int step = random.nextInt(10) == 0 ? random.nextInt(100) : random.nextInt(12);
            at += step;
            if (at >= length) {
                break;
            }
            cuts.add(at);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The obvious definition: split on LF, drop one CR before it, mark lines over max. */
    private static List<String> referenceEvents(byte[] input, int max) {
        List<String> events = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            boolean lineEnd = i < input.length ? input[i] == '\n' : start < input.length;
            if (!lineEnd) {
                continue;
            }
            int end = i > start && input[i - 1] == '\r' ? i - 1 : i;
            events.add(end - start > max ? TOO_LONG : new String(input, start, end - start, UTF_8));
            start = i + 1;
        }
        return events;
    }

    // ---- helpers ----

    /** Collects what the decoder hands over, in order: frames as text, over-long lines as a marker. */
    private static final class Recorder implements FrameHandler {
        final List<byte[]> frames = new ArrayList<>();
        final List<Long> tooLongSeen = new ArrayList<>();
        final List<Integer> tooLongMaxima = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public void onFrame(byte[] bytes, int offset, int length) {
            // The decoder may reuse the array after this call, so keep a copy.
            byte[] frame = Arrays.copyOfRange(bytes, offset, offset + length);
            frames.add(frame);
            events.add(new String(frame, UTF_8));
        }

        @Override
        public void onFrameTooLong(long lengthSeen, int maxLength) {
            assertTrue(lengthSeen > maxLength, () -> "lengthSeen " + lengthSeen + " <= max " + maxLength);
            tooLongSeen.add(lengthSeen);
            tooLongMaxima.add(maxLength);
            events.add(TOO_LONG);
        }
    }

    /**
     * Decodes {@code input[from, to)} from a private copy framed by LFs and then overwrites the
     * copy, so a decoder that reads outside its range or keeps a reference to the caller's array
     * gets caught. Checks the memory bound after every call.
     */
    private static void feed(LineFrameDecoder decoder, Recorder recorder, byte[] input, int from, int to) {
        byte[] copy = new byte[to - from + 2];
        copy[0] = '\n';
        System.arraycopy(input, from, copy, 1, to - from);
        copy[copy.length - 1] = '\n';

        decoder.decode(copy, 1, to - from, recorder);
        Arrays.fill(copy, (byte) '#');

        int bound = decoder.maxFrameLength() + 1;
        assertTrue(decoder.bufferedBytes() <= bound,
                () -> "buffered " + decoder.bufferedBytes() + " > " + bound);
    }

    private static void feed(LineFrameDecoder decoder, Recorder recorder, byte[] chunk) {
        feed(decoder, recorder, chunk, 0, chunk.length);
    }

    /** Decodes {@code input} in chunks ending at the given ascending cut points, then finishes. */
    private static Recorder decodeCutAt(int max, byte[] input, int... cuts) {
        LineFrameDecoder decoder = new LineFrameDecoder(max);
        Recorder recorder = new Recorder();
        int from = 0;
        for (int cut : cuts) {
            feed(decoder, recorder, input, from, cut);
            from = cut;
        }
        feed(decoder, recorder, input, from, input.length);
        decoder.finish(recorder);
        assertAll(() -> assertEquals(0, decoder.bufferedBytes()), () -> assertFalse(decoder.isDiscarding()));
        return recorder;
    }

    private static Recorder decodeInChunksOf(int max, byte[] input, int chunkSize) {
        int[] cuts = IntStream.iterate(chunkSize, i -> i < input.length, i -> i + chunkSize).toArray();
        return decodeCutAt(max, input, cuts);
    }

    private static Recorder decodeByteByByte(int max, byte[] input) {
        return decodeInChunksOf(max, input, 1);
    }

    private static List<String> decodedLines(Recorder recorder, TextCodec codec) {
        assertEquals(List.of(), recorder.tooLongSeen);
        return recorder.frames.stream().map(frame -> codec.decode(frame, 0, frame.length)).toList();
    }

    /** Text whose every position is distinct enough to show a lost or moved byte. */
    private static String numbered(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; text.length() < length; i++) {
            text.append(i).append(',');
        }
        return text.substring(0, length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(US_ASCII);
    }
}
