package chat.server.irc;

import chat.server.core.ChatError;
import chat.server.core.ChatException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HELP (and HELPOP), OPER, KILL, WALLOPS, LUSERS, STATS, MOTD, VERSION, TIME, INFO, LINKS and ADMIN: the server and its operators.
 * Handlers of {@link IrcCommands}' table: each starts from a request the table has checked.
 *
 * <p>Stateless; loop thread only.
 */
final class ServerCommands {

    private ServerCommands() {
    }

    /** What HELP knows: a topic per command, the command table's names. */
    static void help(IrcSession s, IrcMessage m) {
        String topic = m.param(0) == null || m.param(0).isEmpty() ? "*" : m.param(0).toUpperCase(Locale.ROOT);
        if (!topic.equals("*") && !IrcCommands.COMMANDS.containsKey(topic)) {
            s.reply(Numeric.ERR_HELPNOTFOUND, topic, "No help available on this topic");
            return;
        }
        if (topic.equals("*")) {
            s.reply(Numeric.RPL_HELPSTART, topic, "This server speaks IRC and plain lines, on one port.");
            s.reply(Numeric.RPL_HELPTXT, topic, "Commands: " + String.join(" ", new java.util.TreeSet<>(IrcCommands.COMMANDS.keySet())));
            s.reply(Numeric.RPL_HELPTXT, topic, "HELP <command> tells more; docs/protocol.md tells all.");
        } else {
            IrcCommands.Command command = IrcCommands.COMMANDS.get(topic);
            s.reply(Numeric.RPL_HELPSTART, topic, topic + ": takes at least " + command.minParams() + " parameter(s)"
                    + (command.needsRegistration() ? ", after registration" : ""));
            s.reply(Numeric.RPL_HELPTXT, topic, "See docs/protocol.md, \"IRC\", for its replies.");
        }
        s.reply(Numeric.RPL_ENDOFHELP, topic, "End of /HELP");
    }


    /**
     * Tells the client it became a server operator (by OPER, or by logging in to an operator
     * account) or stopped being one (it logged out of that account): user mode {@code o}.
     */
    static void toldOperator(IrcSession s, boolean on) {
        if (on) {
            s.reply(Numeric.RPL_YOUREOPER, "You are now an IRC operator");
        }
        s.send(new IrcMessage(Map.of(), s.user().nick(), "MODE", List.of(s.user().nick(), on ? "+o" : "-o")).toLine(true));
    }

    /**
     * The password is checked off the loop; the client's later lines wait for the answer, so
     * they are answered after it, in order.
     */
    static void oper(IrcSession s, IrcMessage m) {
        chat.server.auth.PasswordChecker operators = s.dialect().operators();
        if (operators == null || !operators.hasOperators()) {
            s.reply(Numeric.ERR_NOOPERHOST, "No O-lines for your host");
            return;
        }
        s.awaitAnswer();
        operators.check(m.param(0), m.param(1), ok -> {
            if (!s.connection().isOpen()) {
                return;
            }
            s.answer(() -> {
                if (ok) {
                    s.core().makeServerOperator(s.user());
                    toldOperator(s, true);
                } else {
                    s.reply(Numeric.ERR_PASSWDMISMATCH, "Password incorrect");
                }
            });
        });
    }


    static void kill(IrcSession s, IrcMessage m) {
        String reason = m.param(1) == null || m.param(1).isEmpty() ? "no reason given" : m.param(1);
        try {
            s.core().kill(s.user(), m.param(0), reason);
        } catch (ChatException e) {
            if (e.error() == ChatError.NO_SUCH_NICK) {
                s.reply(Numeric.ERR_NOSUCHNICK, m.param(0), "No such nick/channel");
            } else {
                s.reply(Numeric.ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
            }
        }
    }


    static void wallops(IrcSession s, IrcMessage m) {
        try {
            s.core().wallops(s.user(), m.param(0));
        } catch (ChatException e) {
            s.reply(Numeric.ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
        }
    }


    static void lusers(IrcSession s) {
        int users = s.core().userCount();
        int max = s.core().peakUserCount();
        int rooms = s.core().rooms().size();
        s.reply(Numeric.RPL_LUSERCLIENT, "There are " + users + " users and 0 invisible on 1 servers");
        s.reply(Numeric.RPL_LUSERCHANNELS, String.valueOf(rooms), "channels formed");
        s.reply(Numeric.RPL_LUSERME, "I have " + users + " clients and 0 servers");
        s.reply(Numeric.RPL_LOCALUSERS, String.valueOf(users), String.valueOf(max),
                "Current local users " + users + ", max " + max);
        s.reply(Numeric.RPL_GLOBALUSERS, String.valueOf(users), String.valueOf(max),
                "Current global users " + users + ", max " + max);
    }


    /**
     * STATS (Modern IRC): {@code u}, the uptime (242), for anyone; {@code z}, the server's key
     * figures, the same lines as the native {@code /stats} (one 249 each), for server operators
     * only (481 otherwise), as ircu and hybrid keep their {@code z} for operators. Any other letter
     * has nothing to report: only the end, 219, as Modern IRC says.
     */
    static void stats(IrcSession s, IrcMessage m) {
        String query = m.param(0);
        String letter = query.isEmpty() ? "*" : query.substring(0, 1);
        chat.server.metrics.ServerStats stats = s.dialect().stats().get();
        if (letter.equals("z")) {
            if (!s.user().isServerOperator()) {
                s.reply(Numeric.ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
                return;
            }
            if (stats != null) {
                for (String line : chat.server.metrics.StatsReport.lines(stats)) {
                    s.reply(Numeric.RPL_STATSDEBUG, letter, line);
                }
            }
        } else if (letter.equals("u") && stats != null) {
            long seconds = stats.uptimeMillis() / 1000;
            s.reply(Numeric.RPL_STATSUPTIME, String.format(Locale.ROOT, "Server Up %d days %d:%02d:%02d",
                    seconds / 86400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60));
        }
        s.reply(Numeric.RPL_ENDOFSTATS, letter, "End of /STATS report");
    }


    static void motd(IrcSession s) {
        List<String> motd = s.dialect().motd();
        if (motd.isEmpty()) {
            s.reply(Numeric.ERR_NOMOTD, "MOTD File is missing");
            return;
        }
        s.reply(Numeric.RPL_MOTDSTART, "- " + s.dialect().serverName() + " Message of the day - ");
        for (String line : motd) {
            s.reply(Numeric.RPL_MOTD, "- " + line);
        }
        s.reply(Numeric.RPL_ENDOFMOTD, "End of /MOTD command.");
    }


    static void version(IrcSession s, IrcMessage m) {
        s.reply(Numeric.RPL_VERSION, IrcSession.VERSION, s.dialect().serverName(), "");
        for (List<String> tokens : Isupport.lines(s.dialect())) {
            List<String> params = new ArrayList<>(tokens);
            params.add("are supported by this server");
            s.replyParams(Numeric.RPL_ISUPPORT, params, true);
        }
    }


    static void time(IrcSession s, IrcMessage m) {
        s.reply(Numeric.RPL_TIME, s.dialect().serverName(),
                ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)));
    }


    static void info(IrcSession s, IrcMessage m) {
        s.reply(Numeric.RPL_INFO, IrcSession.VERSION + ": a chat server that speaks IRC and plain lines");
        s.reply(Numeric.RPL_ENDOFINFO, "End of /INFO list");
    }


    /** One server, no links: itself at hop count 0, then the end (RFC 2812, Modern IRC). */
    static void links(IrcSession s, IrcMessage m) {
        String name = s.dialect().serverName();
        s.reply(Numeric.RPL_LINKS, name, name, "0 " + s.dialect().description());
        s.reply(Numeric.RPL_ENDOFLINKS, "*", "End of /LINKS list");
    }


    /** Who runs the server: its name and description; there is no contact address to give. */
    static void admin(IrcSession s, IrcMessage m) {
        s.reply(Numeric.RPL_ADMINME, s.dialect().serverName(), "Administrative info");
        s.reply(Numeric.RPL_ADMINLOC1, s.dialect().description());
        s.reply(Numeric.RPL_ADMINLOC2, "Network " + s.dialect().network());
        s.reply(Numeric.RPL_ADMINEMAIL, "No contact address is configured");
    }
}
