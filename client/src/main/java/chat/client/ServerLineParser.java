package chat.client;

import chat.common.TerminalSafeText;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's output grammar (docs/protocol.md, "Server lines" and "History and message
 * ids"; written by the server's {@code LineFormatter}) into {@link ServerLine} values.
 *
 * <p>Every line is made terminal-safe before it is looked at, so nothing the parser hands out can
 * carry an escape sequence. The grammar is unambiguous because nicks and room names are made of
 * letters, digits, {@code _} and {@code -} only: a nick never holds a space or a colon, so the first
 * {@code ": "} ends it. A server line never starts with {@code @} except for the message id that
 * {@code /ids on} asks for, which is taken off every line, so no id reaches the screen; a text
 * holding {@code @x } is text. A history line has a UTC time right after its bracket, and a nick
 * never starts with a digit, so a time there is never a nick. A line that fits no form becomes
 * {@link ServerLine.Unknown} and is shown as it came; the parser never throws.
 *
 * <p>One form is ambiguous on the wire: the echo of a private message we sent whose text starts
 * with a time ({@code [pm -> bob] 2026-12-01T09:14:03Z is when}) reads as a history line.
 *
 * <p>Stateless and thread-safe.
 */
final class ServerLineParser {

    private static final String INFO = "-- ";
    private static final String ERROR = "! ";
    private static final String ACTION = "* ";
    private static final String PM = "[pm] ";
    private static final String PM_ECHO = "[pm -> ";

    private static final Pattern WELCOME = Pattern.compile("welcome (\\S+); .*");
    private static final Pattern NOW_TALKING = Pattern.compile("now talking in (#\\S+)");
    private static final Pattern MEMBERS = Pattern.compile("(#\\S+) \\((\\d+)\\):(.*)");
    private static final Pattern NICK_CHANGED = Pattern.compile("(\\S+) is now known as (\\S+)");
    private static final Pattern QUIT = Pattern.compile("(\\S+) quit(?:: (.*))?");
    private static final Pattern JOINED = Pattern.compile("(\\S+) joined");
    private static final Pattern LEFT = Pattern.compile("(\\S+) left(?:: (.*))?");
    private static final Pattern KICKED = Pattern.compile("(\\S+) was kicked by (\\S+)(?:: (.*))?");
    /** {@code @ID } in front of a message line: letters and digits (docs/protocol.md). */
    private static final Pattern ID = Pattern.compile("@([A-Za-z0-9]+) ");
    /** A history line's time after its bracket: UTC, to the second. */
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ");
    private static final Pattern IDS = Pattern.compile("ids (on|off)");
    private static final Pattern RESUMED = Pattern.compile("resumed (\\S+): (\\d{1,9}) missed messages?(?:;.*)?");
    private static final Pattern HISTORY_END = Pattern.compile("(?:no )?history of ([^\\s:]+)(?::.*)?");
    static final String SHUTTING_DOWN = "server shutting down";

    private ServerLineParser() {
    }

    /** Parses one line, given without its line terminator. */
    static ServerLine parse(String line) {
        String raw = TerminalSafeText.strip(line);
        String id = null;
        Matcher prefix = ID.matcher(raw);
        if (prefix.lookingAt()) {
            id = prefix.group(1);
            raw = raw.substring(prefix.end());
        }
        if (raw.startsWith(ERROR)) {
            return new ServerLine.Error(raw, raw.substring(ERROR.length()));
        }
        if (raw.startsWith(INFO)) {
            return info(raw, raw.substring(INFO.length()));
        }
        if (raw.startsWith(PM)) {
            return privateMessage(raw, raw.substring(PM.length()), id);
        }
        if (raw.startsWith(PM_ECHO)) {
            return privateEcho(raw, id);
        }
        if (raw.startsWith("[#") || raw.startsWith("[@#") || raw.startsWith("[+#")) {
            return roomLine(raw, id);
        }
        return new ServerLine.Unknown(raw);
    }

    private static ServerLine info(String raw, String text) {
        Matcher m;
        if (text.equals(SHUTTING_DOWN)) {
            return new ServerLine.ShuttingDown(raw);
        }
        if ((m = WELCOME.matcher(text)).matches()) {
            return new ServerLine.Welcome(raw, m.group(1));
        }
        if ((m = NOW_TALKING.matcher(text)).matches()) {
            return new ServerLine.NowTalking(raw, m.group(1));
        }
        if ((m = MEMBERS.matcher(text)).matches()) {
            String names = m.group(3);
            int paged = names.indexOf("; "); // "; 1-200 of 500, more: /who #room 2": no nick holds ';'
            names = (paged < 0 ? names : names.substring(0, paged)).strip();
            List<String> nicks = new ArrayList<>();
            for (String name : names.isEmpty() ? new String[0] : names.split(" +")) {
                nicks.add(withoutRank(name));
            }
            return new ServerLine.Members(raw, m.group(1), List.copyOf(nicks));
        }
        if ((m = NICK_CHANGED.matcher(text)).matches()) {
            return new ServerLine.NickChanged(raw, m.group(1), m.group(2));
        }
        if ((m = QUIT.matcher(text)).matches()) {
            return new ServerLine.Quit(raw, m.group(1), orEmpty(m.group(2)));
        }
        if ((m = IDS.matcher(text)).matches()) {
            return new ServerLine.Ids(raw, m.group(1).equals("on"));
        }
        if ((m = RESUMED.matcher(text)).matches()) {
            return new ServerLine.Resumed(raw, m.group(1), Integer.parseInt(m.group(2)));
        }
        if ((m = HISTORY_END.matcher(text)).matches()) {
            return new ServerLine.HistoryEnd(raw, m.group(1));
        }
        return new ServerLine.Notice(raw, text);
    }

    private static ServerLine privateMessage(String raw, String body, String id) {
        Instant time = timeAtStart(body);
        Said said = said(time == null ? body : afterTime(body));
        return said == null
                ? new ServerLine.Unknown(raw)
                : new ServerLine.PrivateMessage(raw, said.nick, said.text, said.action, id, time);
    }

    private static ServerLine privateEcho(String raw, String id) {
        int close = raw.indexOf("] ", PM_ECHO.length());
        if (close < 0) {
            return new ServerLine.Unknown(raw);
        }
        String to = raw.substring(PM_ECHO.length(), close);
        String text = raw.substring(close + 2);
        Instant time = timeAtStart(text);
        if (time != null) {
            text = afterTime(text);
        }
        boolean action = text.startsWith(ACTION);
        return new ServerLine.PrivateEcho(raw, to, action ? text.substring(ACTION.length()) : text, action, id, time);
    }

    private static ServerLine roomLine(String raw, String id) {
        int close = raw.indexOf("] ");
        if (close < 0) {
            return new ServerLine.Unknown(raw);
        }
        String room = raw.substring(1, close);
        String body = raw.substring(close + 2);
        Instant time = timeAtStart(body);
        if (time != null) {
            Said said = said(afterTime(body)); // history keeps messages and actions only
            return said == null
                    ? new ServerLine.Unknown(raw)
                    : new ServerLine.RoomMessage(raw, room, said.nick, said.text, said.action, id, time);
        }
        if (body.startsWith(INFO)) {
            String event = body.substring(INFO.length());
            Matcher m;
            if ((m = JOINED.matcher(event)).matches()) {
                return new ServerLine.Joined(raw, room, m.group(1));
            }
            if ((m = LEFT.matcher(event)).matches()) {
                return new ServerLine.Left(raw, room, m.group(1), orEmpty(m.group(2)));
            }
            if ((m = KICKED.matcher(event)).matches()) {
                return new ServerLine.Kicked(raw, room, m.group(1), m.group(2), orEmpty(m.group(3)));
            }
            return new ServerLine.Unknown(raw);
        }
        Said said = said(body);
        return said == null
                ? new ServerLine.Unknown(raw)
                : new ServerLine.RoomMessage(raw, room, said.nick, said.text, said.action, id, null);
    }

    /** The time a history line has at the start of {@code body}, or null when it has none. */
    private static Instant timeAtStart(String body) {
        Matcher m = TIME.matcher(body);
        if (!m.lookingAt()) {
            return null;
        }
        try {
            return Instant.parse(body.substring(0, m.end() - 1));
        } catch (DateTimeParseException e) {
            return null; // shaped like a time, but no time (month 13): not a history line
        }
    }

    private static String afterTime(String body) {
        return body.substring(body.indexOf(' ') + 1);
    }

    /** {@code * nick text} or {@code nick: text}; null when the body is neither. */
    private static Said said(String body) {
        if (body.startsWith(ACTION)) {
            String rest = body.substring(ACTION.length());
            int space = rest.indexOf(' ');
            return space <= 0
                    ? new Said(rest, "", true)
                    : new Said(rest.substring(0, space), rest.substring(space + 1), true);
        }
        int colon = body.indexOf(": ");
        if (colon <= 0 || body.lastIndexOf(' ', colon) >= 0) {
            return null; // no nick, or a space before the colon: not "nick: text"
        }
        return new Said(body.substring(0, colon), body.substring(colon + 2), false);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private record Said(String nick, String text, boolean action) {
    }

    /** A member's nick without the {@code @} or {@code +} that marks an operator or a voiced member. */
    private static String withoutRank(String name) {
        return name.startsWith("@") || name.startsWith("+") ? name.substring(1) : name;
    }
}
