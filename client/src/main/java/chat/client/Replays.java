package chat.client;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Why a message line came: live, or from history, and then whether it was missed while we were
 * away (the answer to {@code /resume}), asked for ({@code /history}), or said before we joined (the
 * replay that follows a join). Also says when a run of history lines begins, so the session can
 * head it with a note: on a terminal without colour the heading and the server's closing line
 * ({@code -- resumed #lobby: 3 missed messages}) are what set such a run apart from live lines.
 *
 * <p>The server answers commands in order and sends a replay before anything live (docs/protocol.md,
 * "History and message ids"), so a history line about a target with a {@code /resume} under way is
 * part of its answer, and one that comes while a {@code /history} is under way answers that.
 *
 * <p>Thread-safe: the console thread tells of the {@code /history} it sends, the connection thread
 * of the {@code /resume} lines it sends and of every line it receives.
 */
final class Replays {

    /** Where a message line comes from. */
    enum Kind {
        /** Said now. */
        LIVE,
        /** Said while we were away: the answer to {@code /resume}. */
        MISSED,
        /** The answer to a {@code /history} the user typed. */
        ASKED,
        /** Said before we joined: the replay after a join. */
        EARLIER
    }

    /** Rooms and nicks, lower-cased, whose {@code /resume} has not been answered to its end. */
    private final Set<String> resuming = new HashSet<>();
    /**
     * Rooms and nicks, lower-cased, resumed on this connection, answered or not: the server may
     * send a room's join line after the answer to its {@code /resume} (when an earlier resume
     * waits for the disk, later lines are held back while the later answer goes ahead).
     */
    private final Set<String> resumed = new HashSet<>();
    /** {@code /history} commands sent whose answer has not ended. */
    private int asked;
    /** The kind and target of the run of history lines shown last; null after any other line. */
    private String run;

    /** A {@code /resume TARGET ID} went out. */
    synchronized void resumeSent(String target) {
        resuming.add(key(target));
        resumed.add(key(target));
    }

    /** A {@code /history} went out. */
    synchronized void historySent() {
        asked++;
    }

    /** A {@code /history} could not be sent after all. */
    synchronized void historyNotSent() {
        asked = Math.max(0, asked - 1);
    }

    /** True when a room or conversation was resumed on this connection, rather than joined afresh. */
    synchronized boolean resumedHere(String target) {
        return resumed.contains(key(target));
    }

    /** The connection is gone, and with it every answer still to come. */
    synchronized void connectionLost() {
        resuming.clear();
        resumed.clear();
        asked = 0;
        run = null;
    }

    /** Where a message line comes from; also notes the ends of answers among the other lines. */
    synchronized Kind kindOf(ServerLine line) {
        if (line instanceof ServerLine.Resumed r) {
            resuming.remove(key(r.target()));
        } else if (line instanceof ServerLine.HistoryEnd || line instanceof ServerLine.Error && asked > 0) {
            asked = Math.max(0, asked - 1); // a refused /history ends with its error
        }
        if (!(line instanceof ServerLine.Message m) || !m.fromHistory()) {
            return Kind.LIVE;
        }
        if (asked > 0) {
            return Kind.ASKED;
        }
        return resuming.contains(key(m.target())) ? Kind.MISSED : Kind.EARLIER;
    }

    /**
     * Called for each line shown: the note that heads a run of history lines when this line begins
     * one, else null. The answer to {@code /history} gets none: the user has just asked for it.
     */
    synchronized String maybeHeading(ServerLine line, Kind kind) {
        if (kind == Kind.LIVE || !(line instanceof ServerLine.Message m)) {
            run = null;
            return null;
        }
        String thisRun = kind + " " + key(m.target());
        if (thisRun.equals(run)) {
            return null;
        }
        run = thisRun;
        String where = m instanceof ServerLine.RoomMessage ? "in " + m.target() : "in the conversation with " + m.target();
        return switch (kind) {
            case MISSED -> "missed " + where + " while disconnected:";
            case EARLIER -> "earlier " + where + ":";
            default -> null;
        };
    }

    private static String key(String target) {
        return target.toLowerCase(Locale.ROOT);
    }
}
