package chat.client;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lines the client sends first on every connection, all of them setup lines the server applies
 * before its welcome (docs/protocol.md, "Session start").
 *
 * <p>{@code /charset NAME} goes first, so the server decodes everything after it, our nick
 * included, in the charset we really use (the command itself is ASCII, which every allowed charset
 * spells the same). Then {@code /ids on}, so every message line comes with its id, our own room
 * lines come back to us, and a replay asked for below already carries ids. Then {@code /nick},
 * when we want one; then, after a reconnect, one line per room we were in, the current room last,
 * because the server talks in the room joined last: {@code /resume #room ID} when we saw a message
 * there (the server joins us and replays what was said after it), else {@code /join #room}; and
 * {@code /resume NICK ID} for each private conversation we saw a message of. The server also puts
 * every new connection in its default room when none was named; after a reconnect that is undone
 * when we had left it ({@link Target#wants}).
 *
 * <p>Logging in ({@code --login}) is no setup line: the session sends {@code /login} once the
 * welcome has come ({@link AutoLogin}). What depends on the nick then waits for its answer
 * ({@link #afterLogin}): {@code /nick}, which the server refuses for an account's nick until we
 * are logged in, and the {@code /resume NICK ID} lines, since a conversation is told to the nick
 * that holds it. The rooms are still setup lines: they see a guest join and then take our nick.
 *
 * <p>A script gets {@link #forScript}: no ids, so what it reads is the server's plain grammar.
 *
 * <p>Stateless and thread-safe.
 */
final class Handshake {

    private Handshake() {
    }

    /**
     * Where a connection should take us: a nick (or null), the rooms, the current one last, and
     * the last message id seen per room and conversation (by name, rooms starting with {@code #}).
     * A first connection goes where the server puts it; a restoring one goes back to exactly the
     * rooms it lists, and picks up each room and conversation after its last id.
     */
    record Target(String nick, List<String> rooms, String currentRoom, boolean restoring, Map<String, String> lastIds) {
        Target {
            rooms = List.copyOf(rooms);
            lastIds = Collections.unmodifiableMap(new LinkedHashMap<>(lastIds));
        }

        /** A first connection: our nick, if we asked for one, and whatever room the server gives us. */
        static Target first(String nick) {
            return new Target(nick, List.of(), null, false, Map.of());
        }

        /** Back to where a lost connection was. */
        static Target restore(String nick, List<String> rooms, String currentRoom, Map<String, String> lastIds) {
            return new Target(nick, rooms, currentRoom, true, lastIds);
        }

        /** Whether a room the server put us in on its own belongs to this target. */
        boolean wants(String room) {
            String key = key(room);
            return !restoring || rooms.stream().anyMatch(r -> key(r).equals(key));
        }

        /** The rooms (those of this target) and conversations that this target resumes, with their ids. */
        Map<String, String> resumed() {
            Map<String, String> resumed = new LinkedHashMap<>();
            for (String room : rooms) {
                String id = idOf(room);
                if (id != null) {
                    resumed.put(room, id);
                }
            }
            lastIds.forEach((target, id) -> {
                if (!target.startsWith("#")) {
                    resumed.put(target, id);
                }
            });
            return resumed;
        }

        /** What restoring this target does, for the user; {@code loggingIn} as {@link #lines}. */
        String describe(boolean loggingIn) {
            String who = nick == null ? "keeping the guest nick"
                    : loggingIn ? "logging in as " + nick : "restoring nick " + nick;
            return rooms.isEmpty() ? who : who + " and rejoining " + String.join(" ", rooms);
        }

        private String idOf(String target) {
            String key = key(target);
            for (Map.Entry<String, String> e : lastIds.entrySet()) {
                if (key(e.getKey()).equals(key)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    /** Ends the setup lines: the server welcomes us at once instead of waiting out its 0.3 s window. */
    static final String READY = "/ready";

    /**
     * The lines for a script's connection: its charset and nick, and no ids. A script that logs
     * in sends its {@code /login} right after these, and the login gives it the nick.
     */
    static List<String> forScript(Charset charset, String nick, boolean loggingIn) {
        List<String> lines = new ArrayList<>();
        lines.add("/charset " + charset.name());
        if (!loggingIn && nick != null && !nick.isBlank()) {
            lines.add("/nick " + nick);
        }
        lines.add(READY);
        return lines;
    }

    /** The lines that take a fresh connection of the interactive client to {@code target}. */
    static List<String> lines(Charset charset, Target target) {
        return lines(charset, target, false);
    }

    /**
     * The same; when {@code loggingIn}, without the lines that depend on the nick, which
     * {@link #afterLogin} gives once the login is answered.
     */
    static List<String> lines(Charset charset, Target target, boolean loggingIn) {
        List<String> lines = new ArrayList<>();
        lines.add("/charset " + charset.name());
        lines.add("/ids on");
        if (!loggingIn && target.nick() != null && !target.nick().isBlank()) {
            lines.add("/nick " + target.nick());
        }
        String current = target.currentRoom();
        for (String room : target.rooms()) {
            if (!room.equalsIgnoreCase(current)) {
                lines.add(enter(room, target));
            }
        }
        if (current != null) {
            lines.add(enter(current, target));
        }
        if (!loggingIn) {
            lines.addAll(conversations(target));
        }
        lines.add(READY);
        return lines;
    }

    /**
     * The lines held back from a logging-in connection, once its login is answered: our nick,
     * when {@code nickNow} (the nick the login gave us, or the one we have) is not the target's,
     * then the conversations to resume.
     */
    static List<String> afterLogin(Target target, String nickNow) {
        List<String> lines = new ArrayList<>();
        String nick = target.nick();
        if (nick != null && !nick.isBlank() && !nick.equalsIgnoreCase(nickNow)) {
            lines.add("/nick " + nick);
        }
        lines.addAll(conversations(target));
        return lines;
    }

    /** {@code /resume NICK ID} for each private conversation the target resumes. */
    private static List<String> conversations(Target target) {
        List<String> lines = new ArrayList<>();
        target.resumed().forEach((name, id) -> {
            if (!name.startsWith("#")) {
                lines.add("/resume " + name + " " + id);
            }
        });
        return lines;
    }

    /** Back into a room: after its last message when we saw one, else as a plain join. */
    private static String enter(String room, Target target) {
        String id = target.idOf(room);
        return id == null ? "/join " + room : "/resume " + room + " " + id;
    }

    /** Names compare as the server compares them: lower-cased in the root locale. */
    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
