package chat.bench;

import chat.server.core.MessageKind;
import chat.server.history.HistoryWriter;
import chat.server.history.StoredMessage;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The loop's side of the history writer benchmark: room messages as the server keeps them
 * ({@code textBytes} of ASCII text each, round-robin over {@code rooms} rooms and
 * {@value #SENDERS} senders, ids from 1 up), submitted to a {@link HistoryWriter} from one
 * thread, as the loop is the writer's only producer.
 *
 * <p>The writer drops what arrives while its queue is full, as it must on a server. A producer
 * that ran into that limit would measure drops; this one backs off instead: at
 * {@code highWater} messages waiting it parks until the writer has taken some. So when the
 * writer is the bottleneck the queue stays near the high water mark and what is measured is
 * what the writer commits. With a {@link PacingSchedule} the messages go out at a fixed rate
 * (open loop: message {@code k} is due at its time whatever happened before), and each
 * back-off says the writer did not keep up with that rate.
 *
 * <p>Not thread-safe: one producer thread; the counters are read on it, or after it is done.
 */
final class WriterLoad {

    /** Distinct senders the messages come from. */
    static final int SENDERS = 300;
    /** How long the producer parks while the queue is at its high water mark. */
    static final long BACK_OFF_NANOS = 100_000;
    /** The fewest bytes of text: the id and a space, then filler. */
    static final int MIN_TEXT_BYTES = 24;

    /** Keys as the store keeps them ({@code #room7}), and display names (the same, all lower case). */
    private final String[] rooms;
    private final String[] senders = new String[SENDERS];
    private final String[] addresses = new String[SENDERS];
    private final String filler;
    private final int textBytes;

    /** Messages submitted and accepted; also the index of the next one in a pacing schedule. */
    private long submitted;
    /** Times the producer found the queue at its high water mark and waited. */
    private long backOffs;
    /** Time spent waiting at the high water mark: where a loop would have dropped messages. */
    private long backOffNanos;
    /** Messages the writer refused all the same (closed, or over its limit). */
    private long refused;
    /** Most messages seen waiting for the writer. */
    private long maxPending;

    WriterLoad(int rooms, int textBytes) {
        if (rooms < 1 || textBytes < MIN_TEXT_BYTES) {
            throw new IllegalArgumentException("need 1+ rooms and " + MIN_TEXT_BYTES + "+ bytes of text, not "
                    + rooms + " and " + textBytes);
        }
        this.rooms = new String[rooms];
        for (int i = 0; i < rooms; i++) {
            this.rooms[i] = "#room" + i;
        }
        for (int i = 0; i < SENDERS; i++) {
            senders[i] = "user" + i;
            addresses[i] = "user" + i + "@127.0.0.1";
        }
        char[] text = new char[textBytes];
        String words = "the quick brown fox jumps over the lazy dog ";
        for (int i = 0; i < textBytes; i++) {
            text[i] = words.charAt(i % words.length());
        }
        this.filler = new String(text);
        this.textBytes = textBytes;
    }

    /** Message {@code id}: room {@code id mod rooms}, sender {@code id mod SENDERS}, the id at the start of its text. */
    StoredMessage message(long id, long timeMillis) {
        String room = rooms[(int) (id % rooms.length)];
        int sender = (int) (id % SENDERS);
        String head = id + " ";
        String text = head + filler.substring(0, Math.max(0, textBytes - head.length()));
        return new StoredMessage(id, timeMillis, room, room, senders[sender], addresses[sender], null,
                MessageKind.TEXT, text, Map.of());
    }

    /**
     * Submits messages until {@code untilNanos} on the {@code System.nanoTime()} clock, or until
     * {@code limit} have been submitted in all; with {@code schedule}, none before it is due.
     * Parks while {@code highWater} or more wait for the writer.
     */
    void submitUntil(HistoryWriter writer, long untilNanos, long limit, PacingSchedule schedule, long highWater) {
        boolean waiting = false;
        while (submitted < limit) {
            long now = System.nanoTime();
            if (now - untilNanos >= 0) {
                return;
            }
            long pending = writer.pending();
            maxPending = Math.max(maxPending, pending);
            if (pending >= highWater) {
                if (!waiting) {
                    backOffs++;
                    waiting = true;
                }
                LockSupport.parkNanos(Math.min(BACK_OFF_NANOS, untilNanos - now));
                backOffNanos += System.nanoTime() - now;
                continue;
            }
            waiting = false;
            if (schedule != null) {
                long due = schedule.dueNanos(submitted);
                if (due - now > 0) {
                    LockSupport.parkNanos(Math.min(due, untilNanos) - now);
                    continue;
                }
            }
            if (writer.submit(message(submitted + 1, System.currentTimeMillis()))) {
                submitted++;
            } else {
                refused++;
                return; // closed, or full after all: going on would only count more
            }
        }
    }

    long submitted() {
        return submitted;
    }

    long backOffs() {
        return backOffs;
    }

    long backOffNanos() {
        return backOffNanos;
    }

    long refused() {
        return refused;
    }

    long maxPending() {
        return maxPending;
    }

    /** The rooms' keys, in the order messages go to them. */
    String[] rooms() {
        return Arrays.copyOf(rooms, rooms.length);
    }
}
