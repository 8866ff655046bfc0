package chat.client;

import java.util.List;
import java.util.Locale;

/**
 * The commands a user can type: the few the client answers itself, and the server's, which it
 * passes on (the server's {@code /help} describes those). Used by {@code /help} and by Tab
 * completion.
 *
 * <p>Constants only; thread-safe.
 */
final class ClientCommands {

    /** What {@code /help} prints before asking the server for its own list. */
    static final List<String> CLIENT_HELP = List.of(
            "client: /help shows this and the server's commands; /quit [REASON] (or Ctrl-D) leaves",
            "client: Tab completes commands and the nicks in the current room; Up/Down recall history",
            "client: Ctrl-C clears the line being typed, or leaves when it is empty",
            "client: after a lost connection the client reconnects, restores your nick and rejoins your rooms,",
            "client:   showing first, dimmed, what was said in them while it was away; earlier messages are dimmed too",
            "client: /charset NAME switches this client and the server to NAME together (GBK, Big5, UTF-8...)",
            "client: started with --login, it logs in as --nick after every connect and reconnect; /logout stops that",
            "client: lines with a password (/login, /register, /password, /unregister...) are never kept in the history");

    /** Every command, for completion: the server's, then the client's own. */
    static final List<String> ALL = List.of(
            "/nick", "/join", "/part", "/msg", "/me", "/who", "/rooms", "/quit", "/help", "/charset",
            "/away", "/whois", "/topic", "/invite", "/kick", "/ban", "/unban", "/op", "/deop", "/voice",
            "/devoice", "/mode", "/history", "/resume", "/ids",
            "/register", "/login", "/identify", "/logout", "/password", "/unregister");

    /** Commands whose first argument is a nick. */
    static final List<String> TAKES_NICK = List.of(
            "/msg", "/whois", "/invite", "/kick", "/ban", "/unban", "/op", "/deop", "/voice", "/devoice");
    /** Commands whose first argument is a room. */
    static final List<String> TAKES_ROOM = List.of("/join", "/part", "/who");
    /** Commands whose first argument is a room or a nick. */
    static final List<String> TAKES_ROOM_OR_NICK = List.of("/history", "/resume");

    /**
     * Commands whose arguments hold a password: the server's account commands, and IRC habits
     * ({@code /ns}, {@code /nickserv}) that a user may type at a server that does not know them.
     */
    static final List<String> CARRY_PASSWORD = List.of(
            "/register", "/login", "/identify", "/password", "/unregister", "/ns", "/nickserv");
    /** A private message to this service is how IRC users log in: {@code /msg NickServ IDENTIFY ...}. */
    private static final String NICK_SERVICE = "nickserv";

    private ClientCommands() {
    }

    /** The command word of a typed line, lower-cased, or null when the line is not a command. */
    static String commandOf(String line) {
        String s = line.strip();
        if (!s.startsWith("/") || s.startsWith("//")) {
            return null;
        }
        int space = s.indexOf(' ');
        return (space < 0 ? s : s.substring(0, space)).toLowerCase(Locale.ROOT);
    }

    /**
     * True for a line that may carry a password, which must never reach the history: an account
     * command ({@link #CARRY_PASSWORD}) with or without arguments, or a message to NickServ. Case
     * is ignored, as the server ignores it.
     */
    static boolean carriesPassword(String line) {
        String command = commandOf(line);
        if (command == null) {
            return false;
        }
        if (CARRY_PASSWORD.contains(command)) {
            return true;
        }
        String[] words = line.strip().split("\\s+", 3);
        return command.equals("/msg") && words.length > 1 && words[1].equalsIgnoreCase(NICK_SERVICE);
    }

    /** True for a line that makes the server say goodbye and close. */
    static boolean isQuit(String line) {
        String command = commandOf(line);
        return "/quit".equals(command) || "/exit".equals(command);
    }
}
