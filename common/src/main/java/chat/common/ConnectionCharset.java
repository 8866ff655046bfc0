package chat.common;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * One connection's charset, whatever its dialect: the one it starts with, then the one its user
 * chooses, or, while nobody chose and it is still UTF-8, the one {@link CharsetDetector} finds
 * in lines that are not UTF-8 (docs/charset-detection.md). Once chosen, detected or given up on,
 * nothing is guessed any more.
 *
 * <p>Most connections send only UTF-8 and never allocate a detector. Not thread safe: the
 * thread that reads the connection owns it.
 */
public final class ConnectionCharset {

    /** Marks the charset as settled: nothing is guessed any more (one field for both states). */
    private static final CharsetDetector SETTLED = new CharsetDetector();

    private TextCodec codec;
    /** Null until the first line that is not UTF-8; {@link #SETTLED} once nothing is guessed. */
    private CharsetDetector detector;

    public ConnectionCharset(TextCodec initial) {
        this.codec = initial;
    }

    /** How the connection's bytes become text and back, now. */
    public TextCodec codec() {
        return codec;
    }

    /** Chosen by the user: from now on, this one, and no detection. */
    public void choose(TextCodec chosen) {
        codec = chosen;
        detector = SETTLED;
    }

    /** Whether a line in this charset would still be weighed by detection. */
    public boolean detecting() {
        return detector != SETTLED && StandardCharsets.UTF_8.equals(codec.charset());
    }

    /**
     * Weighs one received line (a frame without its terminator) before it is decoded: when it
     * settles a legacy charset, the connection switches to it, this line included.
     *
     * @return the charset switched to, once; else null (ASCII and valid UTF-8 lines are no evidence)
     */
    public Charset detect(byte[] bytes, int offset, int length) {
        if (!detecting() || Utf8.isAscii(bytes, offset, length) || Utf8.isValid(bytes, offset, length)) {
            return null;
        }
        if (detector == null) {
            detector = new CharsetDetector();
        }
        Charset detected = detector.offer(bytes, offset, length);
        if (detector.isSettled()) {
            detector = SETTLED;
        }
        if (detected != null) {
            codec = new TextCodec(detected);
        }
        return detected;
    }
}
