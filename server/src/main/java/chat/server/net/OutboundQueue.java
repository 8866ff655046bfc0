package chat.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;

/**
 * The bytes waiting to go out on one connection.
 *
 * <p>Holds references to byte arrays that may be shared by many connections (a broadcast encodes
 * a line once), so it never writes into them and never copies them on enqueue: the only
 * per-connection state is the queue slot and how far into the head array has been sent. On
 * {@link #writeTo}, queued arrays are packed into the loop's one direct buffer, so several lines
 * leave in one system call and the JDK needs no temporary buffer of its own.
 *
 * <p>Not thread-safe: owned by its connection, on the event-loop thread.
 */
final class OutboundQueue {

    /** A queue that grew past this many lines is dropped once drained, to give its memory back. */
    private static final int RETAINED_LINES = 64;

    /** Queued lines; shared, never modified. Created on first use and kept while small. */
    private ArrayDeque<byte[]> lines;
    /** Most lines queued at once since {@link #lines} was created. */
    private int peakLines;
    /** Bytes of the head array already written. */
    private int headOffset;
    /** Bytes queued and not yet written, for the pending-output limit. */
    private long pendingBytes;

    void add(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        if (lines == null) {
            lines = new ArrayDeque<>(8);
        }
        lines.addLast(bytes);
        peakLines = Math.max(peakLines, lines.size());
        pendingBytes += bytes.length;
    }

    boolean isEmpty() {
        return pendingBytes == 0;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /**
     * Writes as much as the channel takes, at most {@code maxBytes}, through {@code scratch}.
     *
     * @return the number of bytes written (0 when the socket's send buffer is full)
     */
    long writeTo(GatheringByteChannel channel, ByteBuffer scratch, long maxBytes) throws IOException {
        long total = 0;
        while (pendingBytes > 0 && total < maxBytes) {
            scratch.clear();
            int budget = (int) Math.min(scratch.capacity(), maxBytes - total);
            scratch.limit(budget);
            pack(scratch);
            scratch.flip();
            int packed = scratch.remaining();
            int written = channel.write(scratch);
            advance(written);
            total += written;
            if (written < packed) {
                break; // the socket is full; OP_WRITE will tell us when it drains
            }
        }
        return total;
    }

    /** Copies queued bytes, from the unsent part of the head on, until scratch is full. */
    private void pack(ByteBuffer scratch) {
        int offset = headOffset;
        for (byte[] line : lines) {
            int n = Math.min(line.length - offset, scratch.remaining());
            scratch.put(line, offset, n);
            offset = 0;
            if (!scratch.hasRemaining()) {
                return;
            }
        }
    }

    /** Drops what was written from the front of the queue. */
    private void advance(int written) {
        pendingBytes -= written;
        int left = written;
        while (left > 0) {
            byte[] head = lines.peekFirst();
            int rest = head.length - headOffset;
            if (left >= rest) {
                lines.pollFirst();
                left -= rest;
                headOffset = 0;
            } else {
                headOffset += left;
                left = 0;
            }
        }
        if (pendingBytes == 0 && peakLines > RETAINED_LINES) {
            lines = null; // a backlog is over: give its array back
            peakLines = 0;
        }
    }

    void clear() {
        lines = null;
        peakLines = 0;
        headOffset = 0;
        pendingBytes = 0;
    }
}
