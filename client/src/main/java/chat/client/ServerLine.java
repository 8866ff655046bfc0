package chat.client;

import java.util.List;

/**
 * One line from the server, as {@link ServerLineParser} understood it (docs/protocol.md,
 * "Server lines"). Every text field has already been made terminal-safe.
 *
 * <p>Immutable values; safe to share between threads.
 */
sealed interface ServerLine {

    /** The line as received (made terminal-safe), for plain output and for what is not understood. */
    String raw();

    /** {@code [#room] nick: text} or, for an action, {@code [#room] * nick text}. */
    record RoomMessage(String raw, String room, String nick, String text, boolean action) implements ServerLine {
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
    record PrivateMessage(String raw, String nick, String text, boolean action) implements ServerLine {
    }

    /** {@code [pm -> nick] text}: the echo of a private message we sent. */
    record PrivateEcho(String raw, String to, String text, boolean action) implements ServerLine {
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
