package chat.common;

import java.nio.ByteBuffer;

/**
 * Splits a byte stream into newline-delimited frames of bounded length.
 *
 * <p>A frame ends at LF; a CR right before the LF is dropped, so both LF and CRLF work, even
 * when the CR and the LF arrive in different chunks. Framing happens on bytes, before any
 * decoding: in every ASCII-compatible charset (UTF-8, GBK, GB18030, Big5, Shift_JIS...) the
 * byte 0x0A never occurs inside a multibyte character, so a character split across two reads
 * is never torn, and a frame is always a whole number of characters.
 *
 * <p>A frame longer than {@code maxFrameLength} bytes (not counting LF or CR) is reported once to
 * {@link FrameHandler#onFrameTooLong} as soon as it is seen, then discarded up to the next LF,
 * after which decoding carries on. Memory stays bounded: a stream with no LF never makes the
 * decoder hold more than {@code maxFrameLength + 1} bytes.
 *
 * <p>At end of input, {@link #finish} delivers a trailing partial frame (text sent without a
 * final newline, as simple clients do before closing).
 *
 * <p>Not thread-safe: one decoder per stream, used by one thread.
 */
public final class LineFrameDecoder {

    private static final byte LF = '\n';
    private static final byte CR = '\r';
    /** Smallest accumulation buffer; most partial lines in chat traffic are short. */
    private static final int INITIAL_CAPACITY = 128;
    /** An accumulation buffer larger than this is dropped after use, so idle streams stay small. */
    private static final int RETAINED_CAPACITY = 1024;

    /** Longest frame delivered, in bytes, LF and CR excluded. */
    private final int maxFrameLength;
    /** Bytes of the current unfinished frame, carried between calls; null while none is held. */
    private byte[] partial;
    /** How many bytes of {@link #partial} are in use. */
    private int partialLength;
    /** True while skipping the rest of an over-long line up to its LF. */
    private boolean discarding;
    /**
     * Bytes dropped from the over-long line being discarded, for {@link #discardedBytes()};
     * an int that stops at its maximum (a figure for a log line), since there is one decoder per
     * connection and a long would make it 8 bytes larger.
     */
    private int discardedBytes;
    /** Set by {@link #pause()} during a frame callback: the current decode call stops. */
    private boolean paused;

    /** @param maxFrameLength the longest frame in bytes (LF and CR excluded), at least 1 */
    public LineFrameDecoder(int maxFrameLength) {
        if (maxFrameLength < 1 || maxFrameLength == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxFrameLength: " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** Bytes held for an unfinished frame (0 when the last input ended at a line boundary). */
    public int bufferedBytes() {
        return partialLength;
    }

    /** True while the rest of an over-long line is being skipped. */
    public boolean isDiscarding() {
        return discarding;
    }

    /** Bytes skipped so far from the over-long line being discarded. */
    public long discardedBytes() {
        return discardedBytes;
    }

    /**
     * Decodes the remaining bytes of a heap or direct buffer. Consumes all of them, unless the
     * handler calls {@link #pause()}: then the buffer's position is left after the last frame
     * delivered.
     */
    public void decode(ByteBuffer in, FrameHandler handler) {
        if (in.hasArray()) {
            int consumed = decode(in.array(), in.arrayOffset() + in.position(), in.remaining(), handler);
            in.position(in.position() + consumed);
            return;
        }
        byte[] chunk = new byte[Math.min(in.remaining(), 8192)];
        while (in.hasRemaining()) {
            int start = in.position();
            int n = Math.min(in.remaining(), chunk.length);
            in.get(chunk, 0, n);
            int consumed = decode(chunk, 0, n, handler);
            if (consumed < n) {
                in.position(start + consumed);
                return;
            }
        }
    }

    /**
     * Stops the {@code decode} call in progress after the frame being delivered: the handler
     * calls this from {@link FrameHandler#onFrame} to apply backpressure (flood control,
     * fairness). {@code decode} then returns how many bytes it consumed, and the caller passes
     * the rest again later; nothing is lost or reordered.
     */
    public void pause() {
        paused = true;
    }

    /**
     * Decodes {@code length} bytes of {@code src} from {@code offset}; frames go to the handler.
     *
     * @return how many bytes were consumed: all of them, unless the handler called
     *     {@link #pause()}, in which case decoding stopped right after that frame
     */
    public int decode(byte[] src, int offset, int length, FrameHandler handler) {
        paused = false;
        int end = offset + length;
        int pos = offset;
        while (pos < end && !paused) {
            int lf = indexOfLf(src, pos, end);
            if (lf < 0) {
                hold(src, pos, end - pos, handler);
                return length;
            }
            if (discarding) {
                discardedBytes = addSaturated(discardedBytes, lf - pos);
                discarding = false;
            } else if (partialLength == 0) {
                // Whole line inside this chunk: hand it over without copying.
                emit(src, pos, lf - pos, handler);
            } else {
                hold(src, pos, lf - pos, handler);
                if (discarding) {
                    discarding = false;
                } else {
                    emit(partial, 0, partialLength, handler);
                }
                releasePartial();
            }
            pos = lf + 1;
        }
        return pos - offset;
    }

    /**
     * Ends the input: delivers a trailing frame that had no final LF (a lone trailing CR is
     * dropped as it would be before an LF) and resets the decoder.
     */
    public void finish(FrameHandler handler) {
        if (!discarding && partialLength > 0) {
            emit(partial, 0, partialLength, handler);
        }
        discarding = false;
        releasePartial();
    }

    private void emit(byte[] bytes, int offset, int length, FrameHandler handler) {
        if (length > 0 && bytes[offset + length - 1] == CR) {
            length--;
        }
        if (length > maxFrameLength) {
            // Only possible for a line of exactly maxFrameLength + 1 bytes with no CR, which
            // fits the buffer; longer ones were caught in hold().
            handler.onFrameTooLong(length, maxFrameLength);
            return;
        }
        handler.onFrame(bytes, offset, length);
    }

    private static int addSaturated(int a, long b) {
        return (int) Math.min(Integer.MAX_VALUE, a + b);
    }

    /** Appends bytes of an unfinished line, switching to discarding when it gets too long. */
    private void hold(byte[] src, int offset, int length, FrameHandler handler) {
        if (discarding) {
            discardedBytes = addSaturated(discardedBytes, length);
            return;
        }
        // One byte of slack for the CR of a CRLF that may follow a maximal line.
        long newLength = (long) partialLength + length;
        if (newLength > maxFrameLength + 1L) {
            discarding = true;
            discardedBytes = (int) Math.min(Integer.MAX_VALUE, newLength);
            releasePartial();
            handler.onFrameTooLong(newLength, maxFrameLength);
            return;
        }
        ensureCapacity((int) newLength);
        System.arraycopy(src, offset, partial, partialLength, length);
        partialLength = (int) newLength;
    }

    private void ensureCapacity(int needed) {
        if (partial == null) {
            partial = new byte[Math.min(Math.max(INITIAL_CAPACITY, needed), maxFrameLength + 1)];
        } else if (partial.length < needed) {
            int grown = (int) Math.min(Math.max((long) partial.length * 2, needed), maxFrameLength + 1L);
            byte[] bigger = new byte[grown];
            System.arraycopy(partial, 0, bigger, 0, partialLength);
            partial = bigger;
        }
    }

    private void releasePartial() {
        partialLength = 0;
        if (partial != null && partial.length > RETAINED_CAPACITY) {
            partial = null;
        }
    }

    private static int indexOfLf(byte[] src, int from, int end) {
        for (int i = from; i < end; i++) {
            if (src[i] == LF) {
                return i;
            }
        }
        return -1;
    }
}
