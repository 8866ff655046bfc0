package chat.server.text;

import chat.server.net.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a native client asked for before its session started: the lines that only set the
 * session up ({@code /nick}, {@code /charset}, {@code /join}), sent before the welcome, as the
 * console client and scripts do. They are applied before the automatic join, so a client that
 * connects with a nick enters the room under it, announced once, and one that names its rooms is
 * not first put in the default room.
 *
 * <p>Holds at most {@link #MAX_LINES} lines; lives from the dialect's start to the session's, at
 * most the detection window. Loop thread only.
 */
final class SessionSetup {

    /** Most setup lines taken before the session starts anyway. */
    static final int MAX_LINES = 32;

    /** The nick asked for last; null if none. */
    private String nick;
    /** {@code /charset} and {@code /join} lines, in order, to be run once the user exists. */
    private final List<String> commands = new ArrayList<>(2);
    /** Notices for the client that arose before its welcome (charset detection). */
    private final List<String> notices = new ArrayList<>(1);
    private int lines;
    /** Starts the session when the window closes; null once it has. */
    EventLoop.Timer timer;

    /** The kinds of setup line. */
    enum Kind { NICK, CHARSET, JOIN, RESUME, IDS }

    /** The line that ends the setup at once: {@code /ready}, in any case. */
    static boolean isEnd(String line) {
        return line.strip().equalsIgnoreCase("/ready");
    }

    /**
     * The kind of setup line {@code line} is, or null when it is anything else (chat, another
     * command, {@code /charset} with no name) and the session must start before it is handled.
     */
    static Kind kindOf(String line) {
        if (!line.startsWith("/") || line.startsWith("//")) {
            return null;
        }
        int space = line.indexOf(' ');
        if (space < 0 || line.substring(space + 1).isBlank()) {
            return null;
        }
        return switch (line.substring(1, space).toLowerCase(Locale.ROOT)) {
            case "nick" -> Kind.NICK;
            case "charset" -> Kind.CHARSET;
            case "join" -> Kind.JOIN;
            case "resume" -> Kind.RESUME;
            case "ids" -> Kind.IDS;
            default -> null;
        };
    }

    /**
     * Takes a setup line of kind {@code kind}.
     *
     * @return false when no more lines fit and the session must start now
     */
    boolean take(Kind kind, String line) {
        if (lines >= MAX_LINES) {
            return false;
        }
        lines++;
        if (kind == Kind.NICK) {
            nick = line.substring(line.indexOf(' ') + 1).strip();
        } else {
            commands.add(line);
        }
        return true;
    }

    void notice(String line) {
        notices.add(line);
    }

    String nick() {
        return nick;
    }

    List<String> commands() {
        return commands;
    }

    List<String> notices() {
        return notices;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
