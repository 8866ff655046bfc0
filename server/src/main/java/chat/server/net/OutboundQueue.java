package chat.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes waiting to go out on one connection.
 *
 * <p>Holds references to byte arrays that may be shared by many connections (a broadcast encodes
 * a line once), so it never writes into them and never copies them on enqueue: the only
 * per-connection cost of a delivery is one slot in a ring. On {@link #writeTo}, queued arrays are
 * packed into the loop's one direct buffer, so several lines leave in one system call and the JDK
 * needs no temporary buffer of its own.
 *
 * <p>The oldest line sits in a field of its own and only the lines behind it in a ring: in a
 * large room most connections have one line queued at a time, and a delivery then touches this
 * object and nothing else of the queue (a 1,000-member broadcast is as many connections' worth of
 * cache lines). The ring grows by doubling and never shrinks while the connection is busy, so a
 * connection that regularly has a backlog allocates nothing per delivery. A ring that stayed
 * empty for a whole housekeeping period ({@link #trimIfQuiet}) is given back, so an idle
 * connection holds none; a connection that never has more than one line queued never allocates one.
 *
 * <p>Not thread-safe: owned by its connection, on the event-loop thread.
 */
final class OutboundQueue {

    /** Ring size when a second line is queued and there is no ring. */
    private static final int INITIAL_SLOTS = 8;

    /** The oldest queued line; null when nothing is queued. Shared array, never modified. */
    private byte[] first;
    /** Lines queued behind {@link #first}, oldest at {@link #head}; null until needed. */
    private byte[][] ring;
    /** Index of the oldest line in {@link #ring}. */
    private int head;
    /** Lines in {@link #ring}. */
    private int size;
    /** True when the ring was used since the last {@link #trimIfQuiet}. */
    private boolean ringUsedSinceTrim;
    /** Bytes of {@link #first} already written. */
    private int headOffset;
    /** Bytes queued and not yet written, for the pending-output limits. */
    private long pendingBytes;

    void add(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        pendingBytes += bytes.length;
        if (first == null) {
            first = bytes;
            return;
        }
        if (ring == null) {
            ring = new byte[INITIAL_SLOTS][];
        } else if (size == ring.length) {
            grow();
        }
        ring[(head + size) & (ring.length - 1)] = bytes;
        size++;
        ringUsedSinceTrim = true;
    }

    boolean isEmpty() {
        return first == null;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /**
     * Writes as much as the transport takes, at most {@code maxBytes}, through {@code scratch}.
     *
     * @return the number of bytes written (0 when the socket's send buffer is full)
     */
    long writeTo(java.nio.channels.WritableByteChannel transport, ByteBuffer scratch, long maxBytes) throws IOException {
        long total = 0;
        while (first != null && total < maxBytes) {
            scratch.clear();
            scratch.limit((int) Math.min(scratch.capacity(), maxBytes - total));
            pack(scratch);
            scratch.flip();
            int packed = scratch.remaining();
            int written = transport.write(scratch);
            advance(written);
            total += written;
            if (written < packed) {
                break; // the socket is full; OP_WRITE will tell us when it drains
            }
        }
        return total;
    }

    /** Copies queued bytes, from the unsent part of the oldest line on, until scratch is full. */
    private void pack(ByteBuffer scratch) {
        scratch.put(first, headOffset, Math.min(first.length - headOffset, scratch.remaining()));
        for (int i = 0; i < size && scratch.hasRemaining(); i++) {
            byte[] line = ring[(head + i) & (ring.length - 1)];
            scratch.put(line, 0, Math.min(line.length, scratch.remaining()));
        }
    }

    /** Drops what was written from the front of the queue. */
    private void advance(int written) {
        pendingBytes -= written;
        int left = written;
        while (left > 0) {
            int rest = first.length - headOffset;
            if (left < rest) {
                headOffset += left;
                return;
            }
            left -= rest;
            headOffset = 0;
            first = takeFromRing();
        }
    }

    /** Removes and returns the oldest line of the ring, or null when it is empty. */
    private byte[] takeFromRing() {
        if (size == 0) {
            return null;
        }
        byte[] line = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        return line;
    }

    /**
     * Housekeeping, about once a second: gives the ring back when nothing was queued since the
     * last call and nothing is waiting, so idle connections cost no ring at all.
     */
    void trimIfQuiet() {
        if (size == 0 && !ringUsedSinceTrim) {
            ring = null;
            head = 0;
        }
        ringUsedSinceTrim = false;
    }

    private void grow() {
        byte[][] bigger = new byte[ring.length * 2][];
        int firstPart = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, firstPart);
        System.arraycopy(ring, 0, bigger, firstPart, size - firstPart);
        ring = bigger;
        head = 0;
    }

    /**
     * Everything queued and not yet written, as one array, and the queue empty: for a transport
     * that takes over the connection (an upgrade) and must send it first, as it is.
     */
    byte[] takeAll() {
        byte[] all = new byte[(int) pendingBytes];
        int at = 0;
        if (first != null) {
            System.arraycopy(first, headOffset, all, 0, first.length - headOffset);
            at = first.length - headOffset;
        }
        for (int i = 0; i < size; i++) {
            byte[] line = ring[(head + i) & (ring.length - 1)];
            System.arraycopy(line, 0, all, at, line.length);
            at += line.length;
        }
        clear();
        return all;
    }

    /** Forgets everything queued (the connection is closing or its queue overflowed). */
    void clear() {
        first = null;
        ring = null;
        head = 0;
        size = 0;
        headOffset = 0;
        pendingBytes = 0;
    }
}
