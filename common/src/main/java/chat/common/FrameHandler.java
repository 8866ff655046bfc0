package chat.common;

/**
 * Receives what a {@link LineFrameDecoder} finds in a byte stream.
 *
 * <p>Called on the decoder's thread, synchronously from {@code decode} or {@code finish}. The
 * bytes passed to {@link #onFrame} are only valid during the call: the decoder reuses the array.
 */
public interface FrameHandler {

    /**
     * One complete frame: the bytes of a line without its LF (and without the CR of a CRLF).
     * May be empty.
     */
    void onFrame(byte[] bytes, int offset, int length);

    /**
     * A line grew past the maximum. Called once per over-long line, as soon as it is detected;
     * the rest of the line, up to and including the next LF, is discarded without further calls.
     *
     * @param lengthSeen bytes of the line seen so far (always more than {@code maxLength})
     * @param maxLength the maximum frame length in bytes
     */
    void onFrameTooLong(long lengthSeen, int maxLength);
}
