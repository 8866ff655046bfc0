package chat.server.irc;

import chat.server.core.Audience;
import chat.server.core.ChatCore;
import chat.server.core.ChatException;
import chat.server.core.MessageKind;
import chat.server.core.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PRIVMSG, NOTICE, TAGMSG and MONITOR: what users say to channels and to each other, and who is online.
 * Handlers of {@link IrcCommands}' table: each starts from a request the table has checked.
 *
 * <p>Stateless; loop thread only.
 */
final class MessageCommands {

    /** Most targets of one PRIVMSG or NOTICE (TARGMAX). */
    static final int MAX_TARGETS = 4;

    private MessageCommands() {
    }

    static void message(IrcSession s, IrcMessage m, MessageKind kind) {
        boolean notice = kind == MessageKind.NOTICE;
        if (m.params().isEmpty() || m.param(0).isEmpty()) {
            if (!notice) {
                s.reply(Numeric.ERR_NORECIPIENT, "No recipient given (" + m.command() + ")");
            }
            return;
        }
        String text = kind == MessageKind.TAGMSG ? "" : m.param(1);
        if (kind != MessageKind.TAGMSG && (text == null || text.isEmpty())) {
            if (!notice) {
                s.reply(Numeric.ERR_NOTEXTTOSEND, "No text to send");
            }
            return;
        }
        String command = notice ? "NOTICE" : "PRIVMSG";
        MessageKind sent = kind;
        if (!notice && text.length() > 8 && text.startsWith("\u0001ACTION ") && text.endsWith("\u0001")) {
            sent = MessageKind.ACTION; // CTCP ACTION: a /me, for native users too
            text = text.substring(8, text.length() - 1);
        }
        String[] targets = m.param(0).split(",");
        for (int i = 0; i < targets.length && i < MAX_TARGETS; i++) {
            if (kind != MessageKind.TAGMSG && !IrcDialect.fitsRelayed(s.user(), command, targets[i], m.param(1))) {
                s.reply(Numeric.ERR_INPUTTOOLONG, "Input line was too long");
                continue;
            }
            messageOne(s, m, targets[i], text, sent);
        }
    }


    static void messageOne(IrcSession s, IrcMessage m, String target, String text, MessageKind kind) {
        messageOne(s, m, target, text, kind, null);
    }

    /** The same for a message of several lines ({@code lines}; null for one), its client tags those of {@code m}. */
    static void messageOne(IrcSession s, IrcMessage m, String target, String text, MessageKind kind,
            chat.server.core.Multiline lines) {
        boolean notice = kind == MessageKind.NOTICE || kind == MessageKind.TAGMSG;
        ChatCore core = s.core();
        Map<String, String> tags = s.has(Cap.MESSAGE_TAGS) ? clientTags(m) : Map.of();
        try {
            chat.server.core.ChatEvent sent;
            Audience audience = Audience.ofTarget(target);
            if (audience != Audience.EVERYONE) {
                target = target.substring(target.indexOf('#'));
            }
            if (target.startsWith("#")) {
                sent = core.say(s.user(), target, text, kind, tags, audience, lines);
            } else if (target.equalsIgnoreCase(AccountCommands.NICKSERV) && s.dialect().accounts() != null) {
                if (kind == MessageKind.TEXT) {
                    AccountCommands.nickServ(s, text); // not echoed: it carries a password
                }
                return;
            } else if (target.equalsIgnoreCase(ChanServCommands.CHANSERV) && s.dialect().accounts() != null) {
                if (kind == MessageKind.TEXT) {
                    ChanServCommands.chanServ(s, text);
                }
                return;
            } else {
                chat.server.core.ChatEvent.PrivateMessage message = core.sendPrivate(s.user(), target, text, kind, tags, lines);
                sent = message;
                User addressee = core.user(target);
                if (!notice && addressee != null && addressee.away() != null) {
                    s.reply(Numeric.RPL_AWAY, message.to(), addressee.away());
                } else if (!notice && addressee == null) { // kept for an account whose owner is offline
                    s.reply(Numeric.RPL_AWAY, message.to(), "is offline; the message is kept until they log in");
                }
            }
            if (s.has(Cap.ECHO_MESSAGE)) {
                s.echo(sent); // the same line, time and msgid as everyone else got
            }
        } catch (ChatException e) {
            if (notice) {
                return; // NOTICE is never answered with an error
            }
            switch (e.error()) {
                case NO_SUCH_NICK -> s.reply(Numeric.ERR_NOSUCHNICK, target, "No such nick/channel");
                case MAILBOX_FULL -> s.reply(Numeric.ERR_NOSUCHNICK, target,
                        "is offline and keeps as many messages as it may");
                case CANNOT_SEND -> s.reply(Numeric.ERR_CANNOTSENDTOCHAN, target, "Cannot send to channel");
                case NOT_IN_ROOM -> {
                    if (core.room(target) == null) {
                        s.reply(Numeric.ERR_NOSUCHCHANNEL, target, "No such channel");
                    } else {
                        s.reply(Numeric.ERR_CANNOTSENDTOCHAN, target, "Cannot send to channel");
                    }
                }
                default -> s.reply(Numeric.ERR_NOSUCHNICK, target, "No such nick/channel");
            }
        }
    }


    /**
     * MARKREAD target [timestamp=T] (draft/read-marker): gets, or moves forward, how far the
     * user has read a channel or a conversation; the answer is the marker then stored.
     */
    static void markRead(IrcSession s, IrcMessage m) {
        String target = m.param(0);
        if (target == null || target.isEmpty()) {
            s.sendFromServer("FAIL", "MARKREAD", "NEED_MORE_PARAMS", "MARKREAD needs a target");
            return;
        }
        String stamp = m.param(1);
        if (stamp == null) {
            tellReadMarker(s, target);
            return;
        }
        long at = stamp.startsWith("timestamp=") ? IrcDialect.parseTime(stamp.substring("timestamp=".length())) : -1;
        if (at < 0) {
            s.sendFromServer("FAIL", "MARKREAD", "INVALID_PARAMS", target, "give timestamp=YYYY-MM-DDThh:mm:ss.sssZ");
            return;
        }
        s.core().markRead(s.user(), target, at);
        tellReadMarker(s, target);
    }

    /** {@code MARKREAD target timestamp=T}, or {@code *} when the user never said. */
    static void tellReadMarker(IrcSession s, String target) {
        long at = s.core().readMarker(s.user(), target);
        s.send(new IrcMessage(Map.of(), s.dialect().serverName(), "MARKREAD",
                List.of(target, at < 0 ? "*" : "timestamp=" + IrcDialect.formatTime(at))).toLine(false));
    }

    /** The tags a client may relay to others: client-only ones, {@code +name}. */
    static Map<String, String> clientTags(IrcMessage m) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> tag : m.tags().entrySet()) {
            if (tag.getKey().startsWith("+")) {
                tags.put(tag.getKey(), tag.getValue());
            }
        }
        return tags;
    }


    /** MONITOR + nicks, - nicks, C, L, S (IRCv3). */
    static void monitor(IrcSession s, IrcMessage m) {
        String sub = m.param(0);
        String targets = m.param(1) == null ? "" : m.param(1);
        switch (sub) {
            case "+" -> {
                List<String> nicks = List.of(targets.split(","));
                for (int i = 0; i < nicks.size(); i++) {
                    String nick = nicks.get(i);
                    if (nick.isEmpty() || nick.indexOf('!') >= 0 || nick.indexOf('@') >= 0 || nick.indexOf('*') >= 0) {
                        continue; // nicks only, never masks
                    }
                    if (!s.core().monitor(s.user(), nick)) {
                        s.reply(Numeric.ERR_MONLISTFULL, String.valueOf(ChatCore.MAX_MONITORED),
                                String.join(",", nicks.subList(i, nicks.size())), "Monitor list is full.");
                        return;
                    }
                }
            }
            case "-" -> {
                for (String nick : targets.split(",")) {
                    s.core().unmonitor(s.user(), nick);
                }
            }
            case "C", "c" -> s.core().clearMonitor(s.user());
            case "L", "l" -> {
                List<String> nicks = s.core().monitored(s.user());
                if (!nicks.isEmpty()) {
                    s.reply(Numeric.RPL_MONLIST, String.join(",", nicks));
                }
                s.reply(Numeric.RPL_ENDOFMONLIST, "End of MONITOR list");
            }
            case "S", "s" -> {
                List<String> online = new ArrayList<>();
                List<String> offline = new ArrayList<>();
                for (String key : s.core().monitored(s.user())) {
                    User user = s.core().user(key);
                    if (user != null) {
                        online.add(IrcDialect.prefix(user.nick(), user));
                    } else {
                        offline.add(key);
                    }
                }
                if (!online.isEmpty()) {
                    s.reply(Numeric.RPL_MONONLINE, String.join(",", online));
                }
                if (!offline.isEmpty()) {
                    s.reply(Numeric.RPL_MONOFFLINE, String.join(",", offline));
                }
            }
            default -> s.reply(Numeric.ERR_UNKNOWNCOMMAND, "MONITOR", "Unknown MONITOR subcommand");
        }
    }
}
