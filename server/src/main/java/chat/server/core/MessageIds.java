package chat.server.core;

/**
 * Gives each message its id: a number that grows with every message and with time, so ids are
 * unique, ordered the way messages were said, and keep growing across a restart even when the
 * last messages before it never reached the disk (an id a client saw is never given again). An
 * id is the wall clock in milliseconds times 1,024, or one more than the last id when that is
 * greater (more than 1,024 messages in a millisecond, or a clock stepped back).
 *
 * <p>On the wire an id is its base-36 digits: short, and opaque to clients, who only compare
 * ids for equality and hand them back.
 *
 * <p>Loop thread only.
 */
public final class MessageIds {

    /** Ids per millisecond before they run ahead of the clock. */
    static final int PER_MILLI_SHIFT = 10;

    private long last;
    /** Ids are {@link #residue} modulo this: 1 on a single node; see {@link #residue(int, int)}. */
    private int stride = 1;
    private int residue;
    /** Ids given since start: every message said, for the metrics. */
    private long issued;

    /** The next id, for a message said at {@code nowMillis}. */
    public long next(long nowMillis) {
        last = aligned(Math.max(last + 1, nowMillis << PER_MILLI_SHIFT));
        issued++;
        return last;
    }

    /** The least id from {@code id} on that is {@link #residue} modulo {@link #stride}. */
    private long aligned(long id) {
        return stride == 1 ? id : id + Math.floorMod(residue - id, (long) stride);
    }

    /**
     * Ids from now on are {@code residue} modulo {@code stride}: each node of a cluster has its
     * own residue, so two nodes never give the same id, and still {@code 1024 / stride} ids a
     * millisecond before running ahead of the clock.
     */
    public void residue(int stride, int residue) {
        if (stride < 1 || stride > 1 << PER_MILLI_SHIFT || residue < 0 || residue >= stride) {
            throw new IllegalArgumentException("stride " + stride + ", residue " + residue);
        }
        this.stride = stride;
        this.residue = residue;
    }

    /** Ids given since start (not since the first id ever): the messages said since start. */
    public long issued() {
        return issued;
    }

    /** Ids go on after {@code id}, the greatest kept from before a restart. */
    public void continueAfter(long id) {
        last = Math.max(last, id);
    }

    /** The id as clients see it. */
    public static String text(long id) {
        return Long.toString(id, 36);
    }

    /** An id a client gave back, or -1 when the server cannot have made it. */
    public static long parse(String text) {
        if (text.isEmpty() || text.length() > 13) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
                return -1;
            }
        }
        try {
            long id = Long.parseLong(text, 36);
            return id > 0 ? id : -1;
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }
}
