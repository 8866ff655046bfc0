package chat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Broadcasts in a room of {@code members}: one member ({@code m0}) says a line, and each of the
 * others receives it; an operation is done when the last of them has. The speaker does not get
 * its own line back, so one broadcast is {@code members - 1} deliveries. At most
 * {@code inFlight} lines are said and not yet received by everyone.
 *
 * <p>Each line carries a {@link Marker} with its sequence number. Every listener receives the
 * lines in order, so a line is complete once its count of receipts reaches the listeners'
 * number, and lines complete in the order said: a ring of {@code inFlight} counters is enough.
 *
 * <p>Loop thread only.
 */
final class BroadcastRun extends OpRun {

    private final String room;
    private final int bodyLength;
    private final int inFlight;
    private final BenchConnection speaker;
    private final BenchConnection[] listeners;
    /** One line as sent; its marker is rewritten for each. */
    private final byte[] template;
    private final int markerOffset;
    /** Receipts so far of line {@code seq}, at {@code seq % inFlight}. */
    private final int[] receipts;

    BroadcastRun(String room, int members, int inFlight, int bodyLength) {
        if (members < 2 || inFlight < 1) {
            throw new IllegalArgumentException("need 2+ members and 1+ lines in flight");
        }
        this.room = room;
        this.bodyLength = bodyLength;
        this.inFlight = inFlight;
        this.speaker = member(BenchConnection.Role.SENDER, 0, "m0", room);
        this.listeners = new BenchConnection[members - 1];
        for (int i = 0; i < listeners.length; i++) {
            listeners[i] = member(BenchConnection.Role.RECEIVER, i, "m" + (i + 1), room);
        }
        this.template = Protocol.NATIVE.messageTemplate(room, Protocol.body(bodyLength));
        this.markerOffset = Protocol.NATIVE.bodyOffset(template, bodyLength);
        this.receipts = new int[inFlight];
    }

    @Override
    List<BenchConnection> connections() {
        List<BenchConnection> all = new ArrayList<>();
        all.add(speaker);
        all.addAll(List.of(listeners));
        return all;
    }

    @Override
    void startMore(LoadLoop loop) {
        boolean any = false;
        while (started < limit && started - done < inFlight && speaker.out.remaining() >= template.length) {
            Marker.write(template, markerOffset, 0, started, System.nanoTime());
            speaker.out.put(template);
            started++;
            any = true;
        }
        if (any) {
            loop.flush(speaker);
        }
    }

    @Override
    void onReadyLine(BenchConnection c, byte[] bytes, int start, int end, long nowNanos) {
        if (c == speaker) {
            return; // the later members' join notices
        }
        lines++;
        int at = end - bodyLength;
        if (at < start || !Marker.isAt(bytes, at, end)) {
            return; // join notices
        }
        if (Protocol.NATIVE.isReplayed(bytes, start, end)) {
            replayedLines++;
            return;
        }
        int slot = (int) (Marker.sequence(bytes, at) % inFlight);
        if (++receipts[slot] == listeners.length) {
            receipts[slot] = 0;
            done++;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "broadcasts in %s to %d listeners, %d in flight: %d said, %d received by all",
                room, listeners.length, inFlight, started, done);
    }
}
