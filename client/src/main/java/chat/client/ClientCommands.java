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
            "client: /charset NAME switches this client and the server to NAME together (GBK, Big5, UTF-8...)");

    /** Every command, for completion: the server's, then the client's own. */
    static final List<String> ALL = List.of(
            "/nick", "/join", "/part", "/msg", "/me", "/who", "/rooms", "/quit", "/help", "/charset",
            "/away", "/whois", "/topic", "/invite", "/kick", "/ban", "/unban", "/op", "/deop", "/voice",
            "/devoice", "/mode", "/history", "/resume", "/ids");

    /** Commands whose first argument is a nick. */
    static final List<String> TAKES_NICK = List.of(
            "/msg", "/whois", "/invite", "/kick", "/ban", "/unban", "/op", "/deop", "/voice", "/devoice");
    /** Commands whose first argument is a room. */
    static final List<String> TAKES_ROOM = List.of("/join", "/part", "/who");
    /** Commands whose first argument is a room or a nick. */
    static final List<String> TAKES_ROOM_OR_NICK = List.of("/history", "/resume");

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

    /** True for a line that makes the server say goodbye and close. */
    static boolean isQuit(String line) {
        String command = commandOf(line);
        return "/quit".equals(command) || "/exit".equals(command);
    }
}
