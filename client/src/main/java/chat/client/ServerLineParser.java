package chat.client;

import chat.common.TerminalSafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's output grammar (docs/protocol.md, "Server lines"; written by the server's
 * {@code LineFormatter}) into {@link ServerLine} values.
 *
 * <p>Every line is made terminal-safe before it is looked at, so nothing the parser hands out can
 * carry an escape sequence. The grammar is unambiguous because nicks and room names are made of
 * letters, digits, {@code _} and {@code -} only: a nick never holds a space or a colon, so the first
 * {@code ": "} ends it. A line that fits no form becomes {@link ServerLine.Unknown} and is shown as
 * it came; the parser never throws.
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
    static final String SHUTTING_DOWN = "server shutting down";

    private ServerLineParser() {
    }

    /** Parses one line, given without its line terminator. */
    static ServerLine parse(String line) {
        String raw = TerminalSafeText.strip(line);
        if (raw.startsWith(ERROR)) {
            return new ServerLine.Error(raw, raw.substring(ERROR.length()));
        }
        if (raw.startsWith(INFO)) {
            return info(raw, raw.substring(INFO.length()));
        }
        if (raw.startsWith(PM)) {
            return privateMessage(raw, raw.substring(PM.length()));
        }
        if (raw.startsWith(PM_ECHO)) {
            return privateEcho(raw);
        }
        if (raw.startsWith("[#")) {
            return roomLine(raw);
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
            String names = m.group(3).strip();
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
        return new ServerLine.Notice(raw, text);
    }

    private static ServerLine privateMessage(String raw, String body) {
        Said said = said(body);
        return said == null
                ? new ServerLine.Unknown(raw)
                : new ServerLine.PrivateMessage(raw, said.nick, said.text, said.action);
    }

    private static ServerLine privateEcho(String raw) {
        int close = raw.indexOf("] ", PM_ECHO.length());
        if (close < 0) {
            return new ServerLine.Unknown(raw);
        }
        String to = raw.substring(PM_ECHO.length(), close);
        String text = raw.substring(close + 2);
        boolean action = text.startsWith(ACTION);
        return new ServerLine.PrivateEcho(raw, to, action ? text.substring(ACTION.length()) : text, action);
    }

    private static ServerLine roomLine(String raw) {
        int close = raw.indexOf("] ");
        if (close < 0) {
            return new ServerLine.Unknown(raw);
        }
        String room = raw.substring(1, close);
        String body = raw.substring(close + 2);
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
                : new ServerLine.RoomMessage(raw, room, said.nick, said.text, said.action);
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
