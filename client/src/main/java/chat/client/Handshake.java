package chat.client;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines the client sends first on every connection.
 *
 * <p>{@code /charset NAME} goes first, so the server decodes everything after it, our nick
 * included, in the charset we really use (the command itself is ASCII, which every allowed charset
 * spells the same). Then {@code /nick}, when we want one; then, after a reconnect, one
 * {@code /join} per room we were in, the current room last, because the server talks in the room
 * joined last.
 *
 * <p>Stateless and thread-safe.
 */
final class Handshake {

    private Handshake() {
    }

    /** Where a connection should take us: a nick (or null) and the rooms, the current one last. */
    record Target(String nick, List<String> rooms, String currentRoom) {
        Target {
            rooms = List.copyOf(rooms);
        }

        /** What restoring this target does, for the user. */
        String describe() {
            String who = nick == null ? "keeping the guest nick" : "restoring nick " + nick;
            return rooms.isEmpty() ? who : who + " and rejoining " + String.join(" ", rooms);
        }
    }

    /** The lines for a first connection. */
    static List<String> lines(Charset charset, String nick) {
        return lines(charset, new Target(nick, List.of(), null));
    }

    /** The lines that take a fresh connection to {@code target}. */
    static List<String> lines(Charset charset, Target target) {
        List<String> lines = new ArrayList<>();
        lines.add("/charset " + charset.name());
        if (target.nick() != null && !target.nick().isBlank()) {
            lines.add("/nick " + target.nick());
        }
        String current = target.currentRoom();
        for (String room : target.rooms()) {
            if (!room.equalsIgnoreCase(current)) {
                lines.add("/join " + room);
            }
        }
        if (current != null) {
            lines.add("/join " + current);
        }
        return lines;
    }
}
