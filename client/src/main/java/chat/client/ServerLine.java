package chat.client;

import java.time.Instant;
import java.util.List;

/**
 * One line from the server, as {@link ServerLineParser} understood it (docs/protocol.md,
 * "Server lines" and "History and message ids"). Every text field has already been made
 * terminal-safe.
 *
 * <p>Immutable values; safe to share between threads.
 */
sealed interface ServerLine {

    /**
     * The line as received (made terminal-safe) without its {@code @ID } prefix, for plain output
     * and for what is not understood.
     */
    String raw();

    /**
     * A line that carries a message someone said: in a room or privately, live or from history.
     * Its id is the server's (letters and digits, compared only for equality); its time is there
     * only when the line comes from history.
     */
    sealed interface Message extends ServerLine {
        /** The message's id, from the {@code @ID } prefix that {@code /ids on} asks for; null without one. */
        String id();

        /** When it was said, for a history line; null for a live one, which is happening now. */
        Instant time();

        /** The room ({@code #room}, {@code @#room}), or the nick of the private conversation, it belongs to. */
        String target();

        default boolean fromHistory() {
            return time() != null;
        }
    }

    /**
     * {@code [#room] nick: text} or, for an action, {@code [#room] * nick text}; a history line has
     * its time after the bracket. A line for a room's operators or voiced members only
     * ({@code [@#room]}, {@code [+#room]}) has that mark in its room.
     */
    record RoomMessage(String raw, String room, String nick, String text, boolean action, String id, Instant time)
            implements Message {
        /** A live line without an id. */
        RoomMessage(String raw, String room, String nick, String text, boolean action) {
            this(raw, room, nick, text, action, null, null);
        }

        @Override
        public String target() {
            return room;
        }
    }

    /** {@code [#room] -- nick joined}. */
    record Joined(String raw, String room, String nick) implements ServerLine {
    }

    /** {@code [#room] -- nick left[: reason]}; the reason is empty when none was given. */
    record Left(String raw, String room, String nick, String reason) implements ServerLine {
    }

    /** {@code [#room] -- nick was kicked by op[: reason]}: out of the room as if it had left. */
    record Kicked(String raw, String room, String nick, String by, String reason) implements ServerLine {
    }

    /** {@code [pm] nick: text} or {@code [pm] * nick text}: a private message to us. */
    record PrivateMessage(String raw, String nick, String text, boolean action, String id, Instant time)
            implements Message {
        /** A live line without an id. */
        PrivateMessage(String raw, String nick, String text, boolean action) {
            this(raw, nick, text, action, null, null);
        }

        @Override
        public String target() {
            return nick;
        }
    }

    /** {@code [pm -> nick] text}: the echo of a private message we sent. */
    record PrivateEcho(String raw, String to, String text, boolean action, String id, Instant time)
            implements Message {
        /** A live line without an id. */
        PrivateEcho(String raw, String to, String text, boolean action) {
            this(raw, to, text, action, null, null);
        }

        @Override
        public String target() {
            return to;
        }
    }

    /** {@code -- old is now known as new}. */
    record NickChanged(String raw, String oldNick, String newNick) implements ServerLine {
    }

    /** {@code -- nick quit[: reason]}; the reason is empty when none was given. */
    record Quit(String raw, String nick, String reason) implements ServerLine {
    }

    /** {@code -- welcome NICK; /help lists the commands}: the first line, naming our nick. */
    record Welcome(String raw, String nick) implements ServerLine {
    }

    /** {@code -- now talking in #room}: where our plain lines go from now on. */
    record NowTalking(String raw, String room) implements ServerLine {
    }

    /** {@code -- #room (N): a b c}: the answer to {@code /who}. */
    record Members(String raw, String room, List<String> nicks) implements ServerLine {
    }

    /** {@code -- ids on} or {@code -- ids off}: whether message lines carry ids and our own come back to us. */
    record Ids(String raw, boolean on) implements ServerLine {
    }

    /**
     * {@code -- resumed TARGET: N missed messages[; more: ...]}: the end of the answer to
     * {@code /resume TARGET ID}, after the history lines it announces.
     */
    record Resumed(String raw, String target, int missed) implements ServerLine {
    }

    /**
     * {@code -- history of TARGET: ...} or {@code -- no history of TARGET}: the end of the answer
     * to {@code /history}.
     */
    record HistoryEnd(String raw, String target) implements ServerLine {
    }

    /** {@code -- server shutting down}: the server is going away on purpose. */
    record ShuttingDown(String raw) implements ServerLine {
    }

    /** Any other {@code -- text} line from the server itself. */
    record Notice(String raw, String text) implements ServerLine {
    }

    /** {@code ! text}: an error meant for us alone. */
    record Error(String raw, String text) implements ServerLine {
    }

    /** A line that follows none of the forms above; shown as it came. */
    record Unknown(String raw) implements ServerLine {
    }
}
