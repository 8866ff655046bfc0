package chat.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ChatCharsetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "GBK", "GB18030", "Big5", "Shift_JIS", "EUC-KR", "ISO-8859-1", "windows-1252", "gbk"})
    void asciiCompatibleCharsetsAreAccepted(String name) {
        assertThat(ChatCharsets.forName(name)).isEqualTo(Charset.forName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16", "UTF-16LE", "UTF-32", "IBM037"})
    void charsetsThatDoNotWriteAsciiAsAsciiAreRefused(String name) {
        assertThatThrownBy(() -> ChatCharsets.forName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not ASCII-compatible");
    }

    @Test
    void unknownNamesAreRefusedWithTheName() {
        assertThatThrownBy(() -> ChatCharsets.forName("klingon"))
                .hasMessage("unknown charset \"klingon\"");
        assertThatThrownBy(() -> ChatCharsets.forName("bad name!"))
                .hasMessage("unknown charset \"bad name!\"");
    }

    @Test
    void decodesCleanlyRefusesMalformedAndUnmappableBytes() {
        byte[] gbk = "你好".getBytes(Charset.forName("GBK"));
        byte[] undefinedIn1252 = {0x41, (byte) 0x81};
        assertThat(ChatCharsets.decodesCleanly(Charset.forName("GB18030"), gbk, 0, gbk.length)).isTrue();
        assertThat(ChatCharsets.decodesCleanly(StandardCharsets.UTF_8, gbk, 0, gbk.length)).isFalse();
        assertThat(ChatCharsets.decodesCleanly(Charset.forName("windows-1252"), undefinedIn1252, 0, 2)).isFalse();
    }

    @Test
    void utf8ValidationAgreesWithTheJdkOnRandomAndNearMissInput() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                // Bias towards bytes that form or almost form multibyte sequences.
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            assertThat(Utf8.isValid(bytes, 0, bytes.length)).as("bytes %s", java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdkSaysValid(bytes));
        }
    }

    @Test
    void utf8EdgeCases() {
        assertThat(valid(0xF4, 0x8F, 0xBF, 0xBF)).isTrue();   // U+10FFFF
        assertThat(valid(0xF4, 0x90, 0x80, 0x80)).isFalse();  // above U+10FFFF
        assertThat(valid(0xED, 0xA0, 0x80)).isFalse();        // a surrogate
        assertThat(valid(0xE0, 0x80, 0xAF)).isFalse();        // overlong '/'
        assertThat(valid(0xE4, 0xBD)).isFalse();              // truncated
        assertThat(valid(0xC3, 0xA9)).isTrue();               // é
    }

    private static boolean valid(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return Utf8.isValid(bytes, 0, bytes.length);
    }

    private static boolean jdkSaysValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
