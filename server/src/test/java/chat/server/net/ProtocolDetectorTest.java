package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detector as a table: for each first-bytes sample, the verdict once all of it is known, and
 * for every prefix of it, what a connection that has read only that much would be told. Bytes
 * arrive in any split, so a prefix may only say "need more" or the final verdict, never another
 * protocol; and a connection that stops waiting at any point is native unless the bytes already
 * said otherwise.
 */
class ProtocolDetectorTest {

    private static final String[] HTTP_METHODS =
            {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "CONNECT", "PATCH", "TRACE"};

    static Stream<Arguments> samples() {
        List<Arguments> samples = new ArrayList<>();
        for (int minor = 0x00; minor <= 0x04; minor++) {
            samples.add(sample("TLS 3." + minor, tls(minor), DetectedProtocol.TLS));
        }
        // Minor 5 and up are no TLS version; 0x80 and up are negative as a Java byte, which the
        // old comparison took for "at most 4".
        for (int minor = 0x05; minor <= 0xFF; minor = minor == 0x05 ? 0x80 : minor + 1) {
            samples.add(sample("not TLS 3." + minor, tls(minor), DetectedProtocol.NATIVE));
        }
        samples.add(sample("handshake of version 2", bytes(0x16, 0x02, 0x01, 0x00), DetectedProtocol.NATIVE));
        samples.add(sample("alert record, not handshake", bytes(0x15, 0x03, 0x01, 0x00), DetectedProtocol.NATIVE));

        for (String method : HTTP_METHODS) {
            samples.add(sample(method, ascii(method + " /index.html?a=b HTTP/1.1\r\nHost: x\r\n\r\n"),
                    DetectedProtocol.HTTP));
        }
        samples.add(sample("GET / HTTP/1.1", ascii("GET / HTTP/1.1"), DetectedProtocol.HTTP));
        samples.add(sample("OPTIONS *", ascii("OPTIONS * HTTP/1.0\r\n"), DetectedProtocol.HTTP));
        samples.add(sample("chat that starts with GET", ascii("GET ready for lunch\n"), DetectedProtocol.NATIVE));
        samples.add(sample("lower-case method", ascii("get / HTTP/1.1\r\n"), DetectedProtocol.NATIVE));
        samples.add(sample("two spaces after the method", ascii("GET  / HTTP/1.1\r\n"), DetectedProtocol.NATIVE));
        samples.add(sample("method without its space", ascii("GETTING / HTTP/1.1\r\n"), DetectedProtocol.NATIVE));
        samples.add(sample("no version", ascii("GET /\r\n"), DetectedProtocol.NATIVE));
        samples.add(sample("raw UTF-8 in the target", concat(ascii("GET /caf"),
                "é".getBytes(java.nio.charset.StandardCharsets.UTF_8), ascii(" HTTP/1.1\r\n")), DetectedProtocol.HTTP));
        samples.add(sample("request line past MAX_BYTES",
                ascii("GET /" + "a".repeat(ProtocolDetector.MAX_BYTES + 100) + " HTTP/1.1\r\n"),
                DetectedProtocol.NATIVE));

        for (String line : List.of("CAP LS 302\r\n", "NICK bob\r\n", "USER bob 0 * :Bob\r\n", "PASS secret\r\n",
                "cap ls\r\n", "nick bob\n", "NiCk bob\n", "pAsS x\n", "NICK ")) {
            samples.add(sample(line.strip(), ascii(line), DetectedProtocol.IRC));
        }
        samples.add(sample("nickname is", ascii("nickname is taken\n"), DetectedProtocol.NATIVE));
        samples.add(sample("NICK and nothing after", ascii("NICK"), DetectedProtocol.NATIVE));
        samples.add(sample("NICK then CRLF", ascii("NICK\r\n"), DetectedProtocol.NATIVE));
        samples.add(sample("CAPS", ascii("CAPS LOCK IS ON\n"), DetectedProtocol.NATIVE));

        samples.add(sample("hello", ascii("hello\n"), DetectedProtocol.NATIVE));
        samples.add(sample("/nick x", ascii("/nick x\n"), DetectedProtocol.NATIVE));
        samples.add(sample("UTF-8", "héllo wörld, 你好\n".getBytes(StandardCharsets.UTF_8), DetectedProtocol.NATIVE));
        samples.add(sample("GBK", bytes(0xC4, 0xE3, 0xBA, 0xC3, 0x0A), DetectedProtocol.NATIVE)); // 你好
        samples.add(sample("empty line", ascii("\r\n"), DetectedProtocol.NATIVE));
        samples.add(sample("one byte that could be TLS", bytes(0x16), DetectedProtocol.NATIVE));
        return samples.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyPrefixNeedsMoreOrGivesTheFinalVerdict(String name, byte[] input, DetectedProtocol expected) {
        assertThat(ProtocolDetector.decideNow(input, 0, input.length)).as("all of it").isEqualTo(expected);
        for (int k = 0; k <= input.length; k++) {
            DetectedProtocol early = ProtocolDetector.detect(input, 0, k);
            if (early != null) {
                assertThat(early).as("first %d bytes", k).isEqualTo(expected);
            }
            assertThat(ProtocolDetector.decideNow(input, 0, k)).as("decided after %d bytes", k)
                    .isIn(expected, DetectedProtocol.NATIVE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void anOffsetIntoALargerArrayIsRespected(String name, byte[] input, DetectedProtocol expected) {
        byte[] padded = new byte[input.length + 7];
        Arrays.fill(padded, (byte) 'G');
        System.arraycopy(input, 0, padded, 3, input.length);
        assertThat(ProtocolDetector.decideNow(padded, 3, input.length)).isEqualTo(expected);
    }

    @Test
    void threeBytesDecideTls() {
        assertThat(ProtocolDetector.detect(tls(0x03), 0, 1)).isNull();
        assertThat(ProtocolDetector.detect(tls(0x03), 0, 2)).isNull();
        assertThat(ProtocolDetector.detect(tls(0x03), 0, 3)).isEqualTo(DetectedProtocol.TLS);
    }

    @Test
    void anHttpRequestLineIsOnlyRecognizedWithItsVersion() {
        byte[] line = ascii("GET / HTTP/1.1\r\n");
        assertThat(ProtocolDetector.detect(line, 0, "GET / HTTP".length())).isNull();
        assertThat(ProtocolDetector.detect(line, 0, "GET / HTTP/".length())).isEqualTo(DetectedProtocol.HTTP);
    }

    @Test
    void anIrcVerbIsOnlyRecognizedWithItsSpace() {
        byte[] nick = ascii("NICK bob");
        assertThat(ProtocolDetector.detect(nick, 0, 4)).isNull();
        assertThat(ProtocolDetector.decideNow(nick, 0, 4)).isEqualTo(DetectedProtocol.NATIVE);
        assertThat(ProtocolDetector.detect(nick, 0, 5)).isEqualTo(DetectedProtocol.IRC);
    }

    @Test
    void bytesStillUndecidedAtMaxBytesAreNative() {
        byte[] endless = ascii("GET /" + "a".repeat(ProtocolDetector.MAX_BYTES * 2));
        assertThat(ProtocolDetector.detect(endless, 0, ProtocolDetector.MAX_BYTES - 1)).isNull();
        assertThat(ProtocolDetector.detect(endless, 0, ProtocolDetector.MAX_BYTES))
                .isEqualTo(DetectedProtocol.NATIVE);
        assertThat(ProtocolDetector.detect(endless, 0, endless.length)).isEqualTo(DetectedProtocol.NATIVE);
    }

    private static Arguments sample(String name, byte[] input, DetectedProtocol expected) {
        return Arguments.of(name, input, expected);
    }

    private static byte[] tls(int minor) {
        // A record header (type, version, length) and the start of a ClientHello.
        return bytes(0x16, 0x03, minor, 0x00, 0x2F, 0x01, 0x00, 0x00, 0x2B);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
