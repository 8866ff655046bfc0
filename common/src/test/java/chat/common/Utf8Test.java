package chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Utf8}: validity of byte ranges, and lengths and cuts of strings counted in encoded bytes. */
class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "café", "中文", "emoji 😀 here", "mixed é中😀x"})
    void theLengthIsWhatTheEncoderWrites(String text) {
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Utf8.length(text));
    }

    @Test
    void anUnpairedSurrogateCountsAsTheOneByteItIsEncodedAs() {
        String lone = "a\uD83Db";
        assertEquals(lone.getBytes(StandardCharsets.UTF_8).length, Utf8.length(lone));
    }

    @Test
    void aCutFallsBetweenCharactersNeverInsideOne() {
        String text = "ab中😀c"; // 1 1 3 4 1 bytes
        assertEquals(2, Utf8.endWithin(text, 0, 4)); // 中 would make 5
        assertEquals(3, Utf8.endWithin(text, 0, 5));
        assertEquals(3, Utf8.endWithin(text, 0, 8)); // 😀 would make 9
        assertEquals(5, Utf8.endWithin(text, 0, 9));
        assertEquals(6, Utf8.endWithin(text, 0, 10));
        assertEquals(3, Utf8.endWithin(text, 2, 3));
        assertEquals("ab中", Utf8.cut(text, 8));
    }

    @Test
    void whatFitsIsKeptAsTheSameInstance() {
        String text = "é".repeat(100); // 200 bytes
        assertSame(text, Utf8.cut(text, 200));
        assertEquals("é".repeat(99), Utf8.cut(text, 199)); // half an é is not kept
    }

    @Test
    void validityFollowsRfc3629() {
        byte[] good = "é中😀".getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8.isValid(good, 0, good.length));
        assertFalse(Utf8.isValid(good, 0, good.length - 1)); // ends inside 😀
        assertFalse(Utf8.isValid(new byte[] {(byte) 0xC0, (byte) 0x80}, 0, 2)); // overlong NUL
        assertFalse(Utf8.isValid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)); // a surrogate
        assertTrue(Utf8.isAscii(new byte[] {'a', 'b'}, 0, 2));
        assertFalse(Utf8.isAscii(good, 0, 2));
    }
}
