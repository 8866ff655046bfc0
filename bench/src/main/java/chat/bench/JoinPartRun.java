package chat.bench;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Join-and-part cycles in a room with history: what a join's replay costs the server.
 *
 * <p>A speaker ({@code s0}) enters the room and says {@code kept} lines, which the room keeps.
 * Then each of {@code inFlight} joiners ({@code j0}, {@code j1}...), each in a room of its own,
 * sends {@code /join ROOM} and {@code /part ROOM} in one write, and its cycle ends when its own
 * part line comes back ({@code [ROOM] -- j3 left}). On a server with history each join replays
 * the room's last {@code --history-on-join} messages between the two; with
 * {@code --history-on-join 0} the same cycle replays nothing, so the difference between the two
 * runs is the replay. Both pay the same join and part notices (to the joiner and the speaker)
 * and "now talking in" lines.
 *
 * <p>Loop thread only.
 */
final class JoinPartRun extends OpRun {

    private final String room;
    private final int kept;
    private final int bodyLength;
    private final BenchConnection speaker;
    private final BenchConnection[] joiners;
    /** "/join ROOM\n/part ROOM\n": one cycle. */
    private final byte[] cycle;
    /** Each joiner's own part line, which ends its cycle. */
    private final byte[][] partLines;
    /** The start of the answer to the speaker's /who, which says its lines were taken. */
    private final byte[] whoAnswer;
    /** Joiners whose cycle ended and that may start another. */
    private final ArrayDeque<BenchConnection> idle = new ArrayDeque<>();
    private boolean spoken;

    JoinPartRun(String room, int kept, int inFlight, int bodyLength) {
        if (kept < 0 || inFlight < 1) {
            throw new IllegalArgumentException("kept must not be negative, in-flight at least 1");
        }
        this.room = room;
        this.kept = kept;
        this.bodyLength = bodyLength;
        this.speaker = member(BenchConnection.Role.SENDER, 0, "s0", room);
        this.joiners = new BenchConnection[inFlight];
        this.partLines = new byte[inFlight][];
        for (int i = 0; i < inFlight; i++) {
            String nick = "j" + i;
            joiners[i] = member(BenchConnection.Role.RECEIVER, i, nick, "#home-" + nick);
            partLines[i] = ascii("[" + room + "] -- " + nick + " left");
            idle.add(joiners[i]);
        }
        this.cycle = ascii("/join " + room + "\n/part " + room + "\n");
        this.whoAnswer = ascii("-- " + room + " (");
    }

    @Override
    List<BenchConnection> connections() {
        List<BenchConnection> all = new ArrayList<>();
        all.add(speaker);
        all.addAll(List.of(joiners));
        return all;
    }

    /** The speaker says the lines the joins will replay, then asks /who, whose answer comes after them. */
    @Override
    void prepare(LoadLoop loop, long deadlineNanos) throws IOException {
        byte[] body = Protocol.body(bodyLength);
        for (int k = 0; k < kept; k++) {
            Marker.write(body, 0, 0, k, System.nanoTime());
            byte[] line = Protocol.NATIVE.messageTemplate(room, body);
            if (speaker.out.remaining() < line.length + whoAnswer.length + 16) {
                loop.poll(1); // let the socket take what is queued
            }
            send(loop, speaker, line);
        }
        send(loop, speaker, ascii("/who " + room + "\n"));
        while (!spoken) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new IllegalStateException("the speaker's " + kept + " lines were not taken in time");
            }
            loop.poll(10);
            loop.flush(speaker);
        }
    }

    @Override
    void startMore(LoadLoop loop) {
        while (started < limit && !idle.isEmpty()) {
            BenchConnection c = idle.poll();
            started++;
            send(loop, c, cycle);
        }
    }

    @Override
    void onReadyLine(BenchConnection c, byte[] bytes, int start, int end, long nowNanos) {
        if (c == speaker) {
            if (!spoken && startsWith(bytes, start, end, whoAnswer)) {
                spoken = true;
            }
            return; // the joiners' join and part notices
        }
        lines++;
        if (Protocol.NATIVE.isReplayed(bytes, start, end)) {
            replayedLines++;
        } else if (equals(bytes, start, end, partLines[c.id])) {
            done++;
            idle.add(c);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "join-part cycles in %s (%d kept), %d joiners: %d started, %d done",
                room, kept, joiners.length, started, done);
    }
}
