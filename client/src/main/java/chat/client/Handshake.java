package chat.client;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lines the client sends first on every connection.
 *
 * <p>{@code /charset NAME} goes first, so the server decodes everything after it, our nick
 * included, in the charset we really use (the command itself is ASCII, which every allowed charset
 * spells the same). Then {@code /nick}, when we want one; then, after a reconnect, one
 * {@code /join} per room we were in, the current room last, because the server talks in the room
 * joined last. The server also puts every new connection in its default room; after a reconnect
 * that is undone when we had left it ({@link Target#wants}).
 *
 * <p>Stateless and thread-safe.
 */
final class Handshake {

    private Handshake() {
    }

    /**
     * Where a connection should take us: a nick (or null) and the rooms, the current one last.
     * A first connection goes where the server puts it; a restoring one goes back to exactly
     * the rooms it lists.
     */
    record Target(String nick, List<String> rooms, String currentRoom, boolean restoring) {
        Target {
            rooms = List.copyOf(rooms);
        }

        /** A first connection: our nick, if we asked for one, and whatever room the server gives us. */
        static Target first(String nick) {
            return new Target(nick, List.of(), null, false);
        }

        /** Back to where a lost connection was. */
        static Target restore(String nick, List<String> rooms, String currentRoom) {
            return new Target(nick, rooms, currentRoom, true);
        }

        /** Whether a room the server put us in on its own belongs to this target. */
        boolean wants(String room) {
            // Room names compare as the server compares them: lower-cased in the root locale.
            String key = room.toLowerCase(Locale.ROOT);
            return !restoring || rooms.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals(key));
        }

        /** What restoring this target does, for the user. */
        String describe() {
            String who = nick == null ? "keeping the guest nick" : "restoring nick " + nick;
            return rooms.isEmpty() ? who : who + " and rejoining " + String.join(" ", rooms);
        }
    }

    /** The lines for a first connection. */
    static List<String> lines(Charset charset, String nick) {
        return lines(charset, Target.first(nick));
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
