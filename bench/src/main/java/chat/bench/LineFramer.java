package chat.bench;

/**
 * Cuts what a connection read into LF-terminated lines (a CR before the LF is dropped, so RESP's
 * CRLF works too) and hands each to a {@link LoadLoop.LineListener} in place. Only a line that
 * spans two reads is copied, into the connection's carry buffer; a line longer than
 * {@link BenchConnection#MAX_CARRIED_LINE} is skipped, as no marked message is that long.
 *
 * <p>Stateless: the state lives in the {@link BenchConnection}. Loop thread only.
 */
final class LineFramer {

    private LineFramer() {
    }

    /** Frames {@code bytes[0, n)}, read by {@code c} at {@code now}. */
    static void frame(BenchConnection c, byte[] bytes, int n, long now, LoadLoop.LineListener listener) {
        int pos = 0;
        if (c.carryLength > 0 || c.skippingLongLine) {
            int lf = indexOfLf(bytes, 0, n);
            if (lf < 0) {
                carry(c, bytes, 0, n);
                return;
            }
            carry(c, bytes, 0, lf);
            if (!c.skippingLongLine) {
                line(c, c.carry, 0, c.carryLength, now, listener);
            }
            c.carryLength = 0;
            c.skippingLongLine = false;
            pos = lf + 1;
        }
        while (pos < n) {
            int lf = indexOfLf(bytes, pos, n);
            if (lf < 0) {
                carry(c, bytes, pos, n);
                return;
            }
            line(c, bytes, pos, lf, now, listener);
            pos = lf + 1;
        }
    }

    private static void line(BenchConnection c, byte[] bytes, int start, int end, long now,
            LoadLoop.LineListener listener) {
        if (end > start && bytes[end - 1] == '\r') {
            end--;
        }
        listener.onLine(c, bytes, start, end, now);
    }

    private static void carry(BenchConnection c, byte[] bytes, int from, int to) {
        if (c.skippingLongLine) {
            return;
        }
        int length = to - from;
        int needed = c.carryLength + length;
        if (needed > BenchConnection.MAX_CARRIED_LINE) {
            c.skippingLongLine = true;
            c.carryLength = 0;
            return;
        }
        if (c.carry == null || c.carry.length < needed) {
            byte[] bigger = new byte[needed <= 128 ? 128 : BenchConnection.MAX_CARRIED_LINE];
            if (c.carry != null) {
                System.arraycopy(c.carry, 0, bigger, 0, c.carryLength);
            }
            c.carry = bigger;
        }
        System.arraycopy(bytes, from, c.carry, c.carryLength, length);
        c.carryLength = needed;
    }

    private static int indexOfLf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
