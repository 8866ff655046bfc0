package chat.server.irc;

import chat.server.core.ChatException;
import chat.server.core.RegisteredRoom;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Registered channels in IRC, as ergo's ChanServ offers them: {@code PRIVMSG ChanServ :REGISTER
 * #chan}, {@code DROP #chan} and {@code INFO #chan}, or the same after the {@code CS} and
 * {@code CHANSERV} commands. ChanServ is not a user: its answers are NOTICEs from
 * {@code ChanServ!ChanServ@services}, and so is the +o it gives the accounts a channel lists.
 * What a registration keeps, and every check, is the core's ({@link chat.server.core.ChatCore#registerRoom}).
 *
 * <p>Stateless; loop thread only.
 */
final class ChanServCommands {

    static final String CHANSERV = "ChanServ";
    static final String CHANSERV_PREFIX = "ChanServ!ChanServ@services";

    private ChanServCommands() {
    }

    /** {@code CS TEXT} and {@code CHANSERV TEXT}: the same as {@code PRIVMSG ChanServ :TEXT}. */
    static void chanServCommand(IrcSession s, IrcMessage m) {
        chanServ(s, String.join(" ", m.params()));
    }

    /** A message to ChanServ: one of its commands. */
    static void chanServ(IrcSession s, String text) {
        if (s.dialect().accounts() == null) {
            notice(s, "accounts are off on this server, and with them registered channels");
            return;
        }
        String[] words = text.strip().split(" +");
        String command = words[0].toUpperCase(Locale.ROOT);
        if (words.length != 2 || !List.of("REGISTER", "DROP", "INFO").contains(command)) {
            notice(s, "commands: REGISTER #CHANNEL (you are its operator, logged in), DROP #CHANNEL (its founder),"
                    + " INFO #CHANNEL");
            return;
        }
        String channel = words[1];
        try {
            switch (command) {
                case "REGISTER" -> {
                    RegisteredRoom room = s.core().registerRoom(s.user(), channel);
                    notice(s, "channel " + room.name() + " registered to " + room.founder()
                            + ": its topic, modes and lists are kept, and +o for the accounts you op");
                }
                case "DROP" -> notice(s, "channel " + s.core().dropRoom(s.user(), channel) + " is no longer registered");
                default -> info(s, s.core().registeredRoom(channel));
            }
        } catch (ChatException e) {
            notice(s, refusal(s, e));
        }
    }

    private static void info(IrcSession s, RegisteredRoom room) {
        notice(s, "channel " + room.name() + " founded by " + room.founder() + ", registered "
                + IrcDialect.formatTime(room.registeredMillis()));
        notice(s, room.operators().isEmpty() ? "operators: the founder only"
                : "operators: " + room.founder() + " (founder), " + String.join(", ", room.operators()));
    }

    /** ChanServ's words for a refusal. */
    private static String refusal(IrcSession s, ChatException e) {
        String subject = e.subject();
        return switch (e.error()) {
            case NOT_LOGGED_IN -> "you are not logged in; IDENTIFY with NickServ first";
            case NO_SUCH_ROOM -> "no such channel " + subject + "; JOIN it first";
            case NOT_IN_ROOM -> "you are not on " + subject;
            case NOT_OPERATOR -> "you are not a channel operator of " + subject;
            case ROOM_REGISTERED -> subject + " is registered already";
            case ROOM_NOT_REGISTERED -> subject + " is not registered";
            case NOT_FOUNDER -> "only the founder of " + subject + " may do that";
            case TOO_MANY_REGISTERED_ROOMS -> subject + " founded " + s.dialect().accounts().rooms().maxPerFounder()
                    + " channels, as many as one may; DROP one first";
            case INVALID_ROOM -> "invalid channel name " + subject;
            default -> e.error() + " " + subject;
        };
    }

    private static void notice(IrcSession s, String text) {
        s.send(new IrcMessage(Map.of(), CHANSERV_PREFIX, "NOTICE", List.of(s.nick(), text)).toLine(true));
    }
}
