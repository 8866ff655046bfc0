package chat.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {

    private static boolean valid(byte... bytes) {
        Utf8Validator v = new Utf8Validator();
        for (byte b : bytes) {
            if (!v.accept(b)) {
                return false;
            }
        }
        return v.atBoundary();
    }

    private static byte[] hex(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void acceptsEveryFormOfUtf8() {
        assertThat(valid("héllo 你好 👍🏽 \u0000 \uFFFF".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(valid(hex(0xF4, 0x8F, 0xBF, 0xBF))).as("U+10FFFF").isTrue();
        assertThat(valid(hex(0xED, 0x9F, 0xBF))).as("U+D7FF, just below the surrogates").isTrue();
    }

    @Test
    void refusesWhatAStrictDecoderRefuses() {
        assertThat(valid(hex(0xC0, 0x80))).as("overlong NUL").isFalse();
        assertThat(valid(hex(0xE0, 0x9F, 0xBF))).as("overlong three bytes").isFalse();
        assertThat(valid(hex(0xF0, 0x8F, 0xBF, 0xBF))).as("overlong four bytes").isFalse();
        assertThat(valid(hex(0xED, 0xA0, 0x80))).as("a surrogate").isFalse();
        assertThat(valid(hex(0xF4, 0x90, 0x80, 0x80))).as("above U+10FFFF").isFalse();
        assertThat(valid(hex(0xF5, 0x80, 0x80, 0x80))).as("lead byte F5").isFalse();
        assertThat(valid(hex(0x80))).as("a lone continuation").isFalse();
        assertThat(valid(hex(0xC3, 0x41))).as("a lead without its continuation").isFalse();
    }

    @Test
    void aCharacterCutShortIsNotAtABoundary() {
        Utf8Validator v = new Utf8Validator();
        assertThat(v.accept((byte) 0xE4)).isTrue();
        assertThat(v.accept((byte) 0xBD)).isTrue();
        assertThat(v.atBoundary()).isFalse();
        assertThat(v.accept((byte) 0xA0)).isTrue();
        assertThat(v.atBoundary()).isTrue();
    }
}
