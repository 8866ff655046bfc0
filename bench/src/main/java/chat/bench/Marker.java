package chat.bench;

/**
 * The fixed-width marker a sender puts in each message so a receiver can tell who sent it, which
 * one it was and when: {@code @@} then the sender id (4 hex digits), the sequence number (8 hex
 * digits) and {@link System#nanoTime()} at sending (16 hex digits), 30 bytes in all.
 *
 * <p>Fixed width, so a receiver finds it at a known distance from the end of a line (the server
 * puts its own prefix in front: {@code [#lobby] guest-12: }, or RESP's bulk-string header) and
 * parses it from the bytes in place, without decoding text or allocating. Hex digits and {@code @}
 * are ASCII, so the marker survives every ASCII-compatible charset unchanged. Both ends run in
 * one process, so their {@code nanoTime} clocks agree.
 *
 * <p>Stateless and thread-safe.
 */
public final class Marker {

    /** Bytes of a marker. */
    public static final int LENGTH = 30;
    /** Most distinct senders a marker can name. */
    public static final int MAX_SENDERS = 1 << 16;

    private static final byte AT = '@';
    private static final int SENDER_AT = 2;
    private static final int SEQUENCE_AT = 6;
    private static final int TIME_AT = 14;
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Hex digit value by byte, -1 for anything else. */
    private static final byte[] VALUES = new byte[256];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 16; i++) {
            VALUES[DIGITS[i]] = (byte) i;
            VALUES[Character.toUpperCase(DIGITS[i])] = (byte) i;
        }
    }

    private Marker() {
    }

    /** Writes a marker at {@code offset}; the sequence number is taken modulo 2^32. */
    public static void write(byte[] dst, int offset, int sender, long sequence, long nanos) {
        if (sender < 0 || sender >= MAX_SENDERS) {
            throw new IllegalArgumentException("sender id out of range: " + sender);
        }
        dst[offset] = AT;
        dst[offset + 1] = AT;
        hex(dst, offset + SENDER_AT, sender, 4);
        hex(dst, offset + SEQUENCE_AT, sequence & 0xFFFF_FFFFL, 8);
        hex(dst, offset + TIME_AT, nanos, 16);
    }

    /** True when a well-formed marker starts at {@code offset} (bounds included in the check). */
    public static boolean isAt(byte[] src, int offset, int end) {
        if (offset < 0 || end - offset < LENGTH || src[offset] != AT || src[offset + 1] != AT) {
            return false;
        }
        for (int i = offset + SENDER_AT; i < offset + LENGTH; i++) {
            if (VALUES[src[i] & 0xFF] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The sender id of the marker at {@code offset}; call only where {@link #isAt} holds. */
    public static int sender(byte[] src, int offset) {
        return (int) unhex(src, offset + SENDER_AT, 4);
    }

    /** The sequence number (0 to 2^32-1) of the marker at {@code offset}. */
    public static long sequence(byte[] src, int offset) {
        return unhex(src, offset + SEQUENCE_AT, 8);
    }

    /** The sending time ({@code System.nanoTime()}) of the marker at {@code offset}. */
    public static long nanos(byte[] src, int offset) {
        return unhex(src, offset + TIME_AT, 16);
    }

    private static void hex(byte[] dst, int offset, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            dst[offset + i] = DIGITS[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    private static long unhex(byte[] src, int offset, int digits) {
        long value = 0;
        for (int i = 0; i < digits; i++) {
            value = (value << 4) | VALUES[src[offset + i] & 0xFF];
        }
        return value;
    }
}
