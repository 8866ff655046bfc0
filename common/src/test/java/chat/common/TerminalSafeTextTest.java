package chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TerminalSafeText}: what may reach another user's terminal. */
class TerminalSafeTextTest {

    static Stream<Arguments> unsafeCharacters() {
        Stream<Arguments> named = Stream.of(
                Arguments.of("NUL", '\u0000'),
                Arguments.of("BEL", '\u0007'),
                Arguments.of("backspace", '\b'),
                Arguments.of("LF", '\n'),
                Arguments.of("CR", '\r'),
                Arguments.of("ESC", '\u001B'),
                Arguments.of("unit separator", '\u001F'),
                Arguments.of("DEL", '\u007F'),
                Arguments.of("C1 first", '\u0080'),
                Arguments.of("C1 CSI", '\u009B'),
                Arguments.of("C1 last", '\u009F'));
        Stream<Arguments> bidi = IntStream
                .concat(IntStream.rangeClosed(0x202A, 0x202E), IntStream.rangeClosed(0x2066, 0x2069))
                .mapToObj(c -> Arguments.of(String.format("bidi U+%04X", c), (char) c));
        return Stream.concat(named, bidi);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsafeCharacters")
    void unsafeCharacterIsRemoved(String name, char unsafe) {
        assertTrue(TerminalSafeText.isUnsafe(unsafe));
        assertEquals("ab", TerminalSafeText.strip("a" + unsafe + "b"));
        assertEquals("ab", TerminalSafeText.strip(unsafe + "ab" + unsafe));
        assertEquals("", TerminalSafeText.strip("" + unsafe + unsafe));
    }

    @Test
    void escapeSequenceIsLeftAsHarmlessText() {
        assertEquals("[31mred[0m", TerminalSafeText.strip("\u001B[31mred\u001B[0m"));
        assertEquals("31mred", TerminalSafeText.strip("\u009B31mred"));
    }

    @Test
    void bidiOverrideCannotReorderText() {
        // With U+202E a terminal would show "invoice exe.pdf"; stripped, it shows what was sent.
        assertEquals("invoice fdp.exe", TerminalSafeText.strip("invoice \u202Efdp.exe\u202C"));
    }

    @Test
    void neighboursOfTheUnsafeRangesAreKept() {
        for (char c : new char[] {' ', '~', '\u00A0', '\u00A1', '\u2029', '\u202F', '\u2065', '\u206A'}) {
            assertFalse(TerminalSafeText.isUnsafe(c), () -> String.format("U+%04X", (int) c));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "plain text",
        "tab\tseparated\tcolumns",
        "你好，世界",
        "emoji 😀🎉 and 𠀀",
        "Āé ß ü ñ"
    })
    void safeTextIsReturnedAsTheSameInstance(String text) {
        assertSame(text, TerminalSafeText.strip(text));
    }

    @Test
    void chineseEmojiAndTabSurviveNextToStrippedCharacters() {
        assertEquals("你好\t😀世界", TerminalSafeText.strip("\u001B你好\t\u0007😀\u202E世界\u007F"));
    }
}
