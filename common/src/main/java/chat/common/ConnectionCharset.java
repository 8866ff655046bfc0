package chat.common;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * One connection's charset, whatever its dialect: the one it starts with, then the one its user
 * chooses, or, while nobody chose and it is still UTF-8, the one {@link CharsetDetector} finds
 * in lines that are not UTF-8 (docs/charset-detection.md). Once chosen, detected or given up on,
 * nothing is guessed any more.
 *
 * <p>Most connections send only UTF-8 and never allocate a detector, nor a state of their own:
 * they share {@link #startingWith}'s UTF-8 start until a choice or a line that is not UTF-8 needs
 * one ({@link #owned}), since an idle server holds a session per connection. Not thread safe: the
 * thread that reads the connection owns it.
 */
public final class ConnectionCharset {

    /** Marks the charset as settled: nothing is guessed any more (one field for both states). */
    private static final CharsetDetector SETTLED = new CharsetDetector();

    /** Where every connection that starts on UTF-8 begins; shared, and never changed. */
    private static final ConnectionCharset UTF_8_START = new ConnectionCharset(TextCodec.UTF_8, true);

    private TextCodec codec;
    /** Null until the first line that is not UTF-8; {@link #SETTLED} once nothing is guessed. */
    private CharsetDetector detector;
    /** True for {@link #UTF_8_START}: what would change it gets an owned copy instead. */
    private final boolean shared;

    /** A state of one connection's own, starting on {@code initial}. */
    public ConnectionCharset(TextCodec initial) {
        this(initial, false);
    }

    private ConnectionCharset(TextCodec initial, boolean shared) {
        this.codec = initial;
        this.shared = shared;
    }

    /** The start of a connection on {@code initial}: shared for UTF-8, until {@link #owned} is asked. */
    public static ConnectionCharset startingWith(TextCodec initial) {
        // A codec is its charset and nothing more, so any UTF-8 one starts from the shared state.
        return StandardCharsets.UTF_8.equals(initial.charset()) ? UTF_8_START : new ConnectionCharset(initial);
    }

    /** This state, or, for the shared start, a copy of the connection's own to change: keep what it returns. */
    public ConnectionCharset owned() {
        return shared ? new ConnectionCharset(codec) : this;
    }

    /** How the connection's bytes become text and back, now. */
    public TextCodec codec() {
        return codec;
    }

    /** Chosen by the user: from now on, this one, and no detection. Not on the shared start. */
    public void choose(TextCodec chosen) {
        requireOwned();
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
        return weighs(bytes, offset, length) ? offer(bytes, offset, length) : null;
    }

    /** Whether detection would weigh this line: only then does {@link #offer} need an owned state. */
    public boolean weighs(byte[] bytes, int offset, int length) {
        return detecting() && !Utf8.isAscii(bytes, offset, length) && !Utf8.isValid(bytes, offset, length);
    }

    /**
     * Weighs a line {@link #weighs} said is evidence; not on the shared start.
     *
     * @return the charset switched to, once; else null
     */
    public Charset offer(byte[] bytes, int offset, int length) {
        requireOwned();
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

    private void requireOwned() {
        if (shared) {
            throw new IllegalStateException("the shared UTF-8 start does not change: ask owned() first");
        }
    }
}
