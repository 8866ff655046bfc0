package chat.common;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns whole frames into text and text into bytes, in one explicitly named charset.
 *
 * <p>Malformed-input policy: bytes that are not valid in the charset decode to U+FFFD (the
 * Unicode replacement character), one per malformed sequence; decoding never throws. Because
 * frames are cut on LF bytes before decoding (see {@link LineFrameDecoder}), a character is never
 * split between two frames, so a replacement always means the sender's bytes really were bad.
 *
 * <p>Unmappable-output policy: a character the charset cannot hold (an emoji sent to a GBK
 * user) is encoded as the charset's replacement, {@code ?} for the charsets we serve; encoding
 * never throws. {@link #encode(String)} reports how many such characters it replaced through
 * {@link Encoded#unmappable()}.
 *
 * <p>Immutable and thread-safe: the JDK's {@code String} conversions are used for speed, and a
 * fresh encoder is only made on the rare slow path.
 */
public final class TextCodec {

    /** The UTF-8 codec, the default of server and client. */
    public static final TextCodec UTF_8 = new TextCodec(StandardCharsets.UTF_8);

    private final Charset charset;
    private final boolean utf8;

    /** True when every ASCII character encodes as its own single byte, as in US-ASCII. */
    private final boolean asciiIdentity;

    public TextCodec(Charset charset) {
        this.charset = charset;
        this.utf8 = StandardCharsets.UTF_8.equals(charset);
        this.asciiIdentity = utf8 || ChatCharsets.encodesAllAsciiAsItself(charset);
    }

    public Charset charset() {
        return charset;
    }

    /** Decodes a whole frame; malformed bytes become U+FFFD. */
    public String decode(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, charset);
    }

    /** Encodes text, replacing characters this charset cannot hold. */
    public Encoded encode(String text) {
        if (utf8) {
            // UTF-8 holds every character; only a lone surrogate could be replaced, and
            // String.getBytes does that on its own.
            return new Encoded(text.getBytes(charset), 0);
        }
        if (asciiIdentity && isAscii(text)) {
            // Same bytes as US-ASCII, whose encoder is a JVM intrinsic: far cheaper than a
            // GBK or Big5 encoder for the plain-ASCII lines most chat traffic is.
            return new Encoded(text.getBytes(StandardCharsets.US_ASCII), 0);
        }
        CharsetEncoder encoder = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer out = encoder.encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return new Encoded(bytes, 0);
        } catch (CharacterCodingException unmappable) {
            return encodeReplacing(text);
        }
    }

    /** The slow path: encode character by character, counting what had to be replaced. */
    private Encoded encodeReplacing(String text) {
        CharsetEncoder encoder = charset.newEncoder();
        StringBuilder mapped = new StringBuilder(text.length());
        int replaced = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            CharSequence ch = text.subSequence(i, i + n);
            if (encoder.canEncode(ch)) {
                mapped.append(ch);
            } else {
                mapped.append('?');
                replaced++;
            }
            i += n;
        }
        return new Encoded(mapped.toString().getBytes(charset), replaced);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "TextCodec[" + charset.name() + "]";
    }

    /**
     * Encoded text and how many characters had to be replaced because the charset lacks them.
     */
    public record Encoded(byte[] bytes, int unmappable) {
    }
}
