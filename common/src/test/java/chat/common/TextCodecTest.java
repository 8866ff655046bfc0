package chat.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TextCodec} on byte arrays: round trips, malformed input, unmappable output. */
class TextCodecTest {

    private static final TextCodec UTF_8 = TextCodec.UTF_8;
    private static final TextCodec GBK = codec("GBK");
    private static final TextCodec GB18030 = codec("GB18030");

    private static final String CHINESE = "你好，世界！欢迎来到聊天室。中文 ABC 123";
    private static final char REPLACEMENT = '\uFFFD';

    // ---- round trips ----

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "GBK", "GB18030"})
    void chineseTextRoundTrips(String charset) {
        TextCodec codec = codec(charset);

        TextCodec.Encoded encoded = codec.encode(CHINESE);

        assertEquals(0, encoded.unmappable());
        assertArrayEquals(CHINESE.getBytes(codec.charset()), encoded.bytes());
        assertEquals(CHINESE, decode(codec, encoded.bytes()));
    }

    @Test
    void eachCodecUsesItsOwnCharsetNotThePlatformDefault() {
        assertEquals("e4b8ad", hex(UTF_8.encode("中").bytes()));
        assertEquals("d6d0", hex(GBK.encode("中").bytes()));
        assertEquals("9439fc36", hex(GB18030.encode("😀").bytes()));
        assertEquals("中", GBK.decode(new byte[] {(byte) 0xD6, (byte) 0xD0}, 0, 2));
        assertEquals(StandardCharsets.UTF_8, UTF_8.charset());
        assertEquals("TextCodec[GBK]", GBK.toString());
    }

    @Test
    void gb18030HoldsEveryCharacterIncludingEmoji() {
        String text = "表情 😀🎉 和 𠀀";

        TextCodec.Encoded encoded = GB18030.encode(text);

        assertEquals(0, encoded.unmappable());
        assertEquals(text, decode(GB18030, encoded.bytes()));
    }

    @Test
    void decodesOnlyTheGivenRange() {
        byte[] bytes = "xx中文yy".getBytes(StandardCharsets.UTF_8);

        assertEquals("中文", UTF_8.decode(bytes, 2, 6));
    }

    // ---- malformed input ----

    @Test
    void invalidUtf8ContinuationByteBecomesReplacementCharacter() {
        assertEquals("a" + REPLACEMENT + "b", decode(UTF_8, bytes(0x61, 0x80, 0x62)));
    }

    @Test
    void truncatedUtf8SequenceBecomesReplacementCharacter() {
        // 中 is E4 B8 AD; the last byte is missing.
        assertEquals("a" + REPLACEMENT, decode(UTF_8, bytes(0x61, 0xE4, 0xB8)));
        assertEquals(REPLACEMENT + "a", decode(UTF_8, bytes(0xE4, 0xB8, 0x61)));
    }

    @Test
    void truncatedGbkLeadByteBecomesReplacementCharacter() {
        byte[] chinese = "中文".getBytes(GBK.charset());
        byte[] truncated = Arrays.copyOf(chinese, chinese.length - 1);

        assertEquals("中" + REPLACEMENT, decode(GBK, truncated));
    }

    @Test
    void gbkLeadByteBeforeAsciiKeepsTheAscii() {
        assertEquals(REPLACEMENT + " a", decode(GBK, bytes(0xD6, 0x20, 0x61)));
    }

    @Test
    void truncatedGb18030FourByteSequenceBecomesReplacementCharacter() {
        String decoded = decode(GB18030, bytes(0x61, 0x94, 0x39, 0xFC));

        assertTrue(decoded.startsWith("a"), decoded);
        assertTrue(decoded.indexOf(REPLACEMENT) > 0, decoded);
        assertFalse(decoded.contains("😀"), decoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "GBK", "GB18030"})
    void randomBytesNeverThrowAndNeverVanish(String charset) {
        TextCodec codec = codec(charset);
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[random.nextInt(1, 64)];
            random.nextBytes(garbage);

            String decoded = codec.decode(garbage, 0, garbage.length);

            // Every byte ends up in a character or a U+FFFD, so bad input is visible, not dropped.
            assertFalse(decoded.isEmpty(), () -> "nothing from " + hex(garbage));
        }
    }

    // ---- unmappable output ----

    @Test
    void emojiSentToGbkBecomeQuestionMarksAndAreCounted() {
        TextCodec.Encoded encoded = GBK.encode("你好😀世界🎉");

        // Two emoji, four UTF-16 chars: counted per character, not per char.
        assertEquals(2, encoded.unmappable());
        assertEquals("你好?世界?", decode(GBK, encoded.bytes()));
    }

    @Test
    void singleUnmappableCharacterAmongAsciiIsCounted() {
        TextCodec.Encoded encoded = GBK.encode("hi 😀!");

        assertEquals(1, encoded.unmappable());
        assertArrayEquals("hi ?!".getBytes(StandardCharsets.US_ASCII), encoded.bytes());
    }

    @Test
    void chineseSentToLatin1BecomesQuestionMarks() {
        TextCodec latin1 = new TextCodec(StandardCharsets.ISO_8859_1);

        TextCodec.Encoded encoded = latin1.encode("café 中文");

        assertEquals(2, encoded.unmappable());
        assertEquals("café ??", decode(latin1, encoded.bytes()));
    }

    @Test
    void firstCharacterPastAsciiIsNotMistakenForAscii() {
        TextCodec ascii = new TextCodec(StandardCharsets.US_ASCII);

        TextCodec.Encoded encoded = ascii.encode("a\u0080b");

        assertEquals(1, encoded.unmappable());
        assertEquals("a?b", decode(ascii, encoded.bytes()));
    }

    // ---- fast paths ----

    @Test
    void asciiTextReportsNoUnmappable() {
        String ascii = "plain ascii, no surprises ~!@#";

        TextCodec.Encoded encoded = GBK.encode(ascii);

        assertEquals(0, encoded.unmappable());
        assertArrayEquals(ascii.getBytes(StandardCharsets.US_ASCII), encoded.bytes());
    }

    @Test
    void utf8ReportsNoUnmappableForAnyCharacter() {
        String text = "中文 😀🎉 𠀀 Āé";

        TextCodec.Encoded encoded = UTF_8.encode(text);

        assertEquals(0, encoded.unmappable());
        assertEquals(text, decode(UTF_8, encoded.bytes()));
    }

    // ---- helpers ----

    private static TextCodec codec(String charset) {
        return new TextCodec(Charset.forName(charset));
    }

    private static String decode(TextCodec codec, byte[] bytes) {
        return codec.decode(bytes, 0, bytes.length);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
