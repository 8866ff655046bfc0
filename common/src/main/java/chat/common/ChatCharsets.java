package chat.common;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;

/**
 * Which charsets a connection may use.
 *
 * <p>Allowed: every ASCII-compatible charset the JVM knows, meaning one that writes LF, CR and
 * the printable ASCII letters, digits and punctuation as the same single bytes ASCII does (UTF-8,
 * GBK, GB18030, Big5, Shift_JIS, EUC-KR, ISO-8859-x, windows-125x...). Framing cuts lines on the
 * LF byte before decoding, which is only sound for those. UTF-16 and UTF-32 are refused.
 *
 * <p>Detection of a legacy charset from what a client sends is {@link CharsetDetector}'s job.
 *
 * <p>Stateless and thread-safe.
 */
public final class ChatCharsets {

    /** ASCII bytes that must encode as themselves; {@code \} and {@code ~} are left out, since
     *  Shift_JIS and some others put currency signs there, which framing does not care about. */
    private static final String ASCII_PROBE;

    static {
        StringBuilder probe = new StringBuilder("\n\r\t");
        for (char c = 0x20; c < 0x7F; c++) {
            if (c != '\\' && c != '~') {
                probe.append(c);
            }
        }
        ASCII_PROBE = probe.toString();
    }

    private ChatCharsets() {
    }

    /**
     * Looks a charset up by name and checks it can carry the line protocol.
     *
     * @throws IllegalArgumentException with a message fit for the user when it is unknown or
     *     not ASCII-compatible
     */
    public static Charset forName(String name) {
        Charset charset;
        try {
            charset = Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException("unknown charset \"" + name + "\"");
        }
        if (!isAsciiCompatible(charset)) {
            throw new IllegalArgumentException("charset " + charset.name()
                    + " is not ASCII-compatible; use UTF-8, GBK, GB18030, Big5, Shift_JIS, ISO-8859-1...");
        }
        return charset;
    }

    /** Every ASCII character, for {@link #encodesAllAsciiAsItself}. */
    private static final String ALL_ASCII;

    static {
        StringBuilder all = new StringBuilder(128);
        for (char c = 0; c < 128; c++) {
            all.append(c);
        }
        ALL_ASCII = all.toString();
    }

    /** True when LF, CR and printable ASCII encode to their ASCII bytes, one byte each. */
    public static boolean isAsciiCompatible(Charset charset) {
        return encodesAsAscii(charset, ASCII_PROBE);
    }

    /**
     * True when every ASCII character, {@code \} and {@code ~} included, encodes to its own
     * single byte, so ASCII text can be encoded as US-ASCII (a JVM intrinsic) instead.
     */
    static boolean encodesAllAsciiAsItself(Charset charset) {
        return encodesAsAscii(charset, ALL_ASCII);
    }

    private static boolean encodesAsAscii(Charset charset, String probe) {
        if (!charset.canEncode()) {
            return false;
        }
        byte[] encoded;
        try {
            ByteBuffer out = charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(probe));
            encoded = new byte[out.remaining()];
            out.get(encoded);
        } catch (CharacterCodingException | UnsupportedOperationException e) {
            return false;
        }
        return Arrays.equals(encoded, probe.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * True when the bytes decode in {@code charset} without a single malformed or unmappable
     * sequence. Makes a decoder per call: meant for detection, a few lines per connection.
     */
    public static boolean decodesCleanly(Charset charset, byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(bytes, offset, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
