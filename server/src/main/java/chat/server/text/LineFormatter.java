package chat.server.text;

import chat.common.TerminalSafeText;
import chat.server.core.ChatError;
import chat.server.core.ChatEvent;
import chat.server.core.ChatException;
import chat.server.core.MessageKind;
import chat.server.core.Metadata;
import chat.server.core.ModeChange;
import chat.server.core.Names;
import chat.server.net.LimitKind;

/**
 * The native dialect's output grammar (docs/protocol.md, "Server lines"): every line the server
 * sends is made here, so the grammar is written down in one place. Lines are returned without
 * their LF.
 *
 * <p>Stateless and thread-safe.
 */
final class LineFormatter {

    /** Marks a line from the server itself. */
    static final String INFO = "-- ";
    /** Marks an error, sent only to the client that caused it. */
    static final String ERROR = "! ";
    /** IRC's colour code, ^C, followed by the colour's digits. */
    private static final char IRC_COLOUR = 0x03;

    private LineFormatter() {
    }

    /**
     * A core event as a line; the same for every recipient, so it can be encoded once. Text from
     * other dialects (IRC's colour and formatting codes, for one) is made terminal-safe here, as
     * native input is when it arrives.
     */
    static String format(ChatEvent event) {
        if (event instanceof ChatEvent.RoomMessage m) {
            String room = m.audience().prefix() + m.room(); // [@#room]: for its operators only
            return said("[" + room + "] ", m.from().nick(), m.kind(), m.text());
        }
        if (event instanceof ChatEvent.PrivateMessage m) {
            return said("[pm] ", m.from().nick(), m.kind(), m.text());
        }
        if (event instanceof ChatEvent.Joined j) {
            return "[" + j.room() + "] " + INFO + j.nick() + " joined";
        }
        if (event instanceof ChatEvent.Parted p) {
            return "[" + p.room() + "] " + INFO + p.nick() + " left" + withReason(p.reason());
        }
        if (event instanceof ChatEvent.NickChanged n) {
            return INFO + n.oldNick() + " is now known as " + n.newNick();
        }
        if (event instanceof ChatEvent.Quit q) {
            return INFO + q.nick() + " quit" + withReason(q.reason());
        }
        if (event instanceof ChatEvent.TopicChanged t) {
            return "[" + t.room() + "] " + INFO + t.by().nick()
                    + (t.topic().isEmpty() ? " cleared the topic" : " set the topic: " + safe(t.topic()));
        }
        if (event instanceof ChatEvent.Kicked k) {
            return "[" + k.room() + "] " + INFO + k.target() + " was kicked by " + k.by().nick() + withReason(k.reason());
        }
        if (event instanceof ChatEvent.ModeChanged m) {
            StringBuilder changes = new StringBuilder();
            for (ModeChange change : m.changes()) {
                changes.append(' ').append(change);
            }
            String by = m.byRegistration() ? "the room's registration" : m.by().nick();
            return "[" + m.room() + "] " + INFO + by + " set mode" + changes;
        }
        if (event instanceof ChatEvent.Invited i) {
            return INFO + i.by().nick() + " invites you to " + i.room() + "; /join " + i.room();
        }
        if (event instanceof ChatEvent.Wallops w) {
            return INFO + "WALLOPS from " + w.from().nick() + ": " + safe(w.text());
        }
        if (event instanceof ChatEvent.Killed k) {
            return ERROR + "you were disconnected by " + k.by().nick() + withReason(k.reason());
        }
        if (event instanceof ChatEvent.Ghosted g) {
            return ERROR + "you logged in as " + g.by().account() + " from another connection; this one is closed";
        }
        if (event instanceof ChatEvent.ServerNotice n) {
            return INFO + n.text();
        }
        if (event instanceof ChatEvent.ServerOperatorChanged o) {
            return INFO + (o.on() ? "you are a server operator, as account " + o.who().account()
                    : "you are no longer a server operator");
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /** The echo a sender gets for its own private message. */
    static String privateEcho(String to, String text, boolean action) {
        return "[pm -> " + to + "] " + (action ? "* " : "") + text;
    }

    /**
     * A kept message as a history line (docs/protocol.md, "History and message ids"): its room or
     * pm line with the time after the bracket; a private message {@code viewer} sent reads as
     * its own echo.
     */
    static String history(chat.server.history.StoredMessage m, String viewer) {
        String time = HISTORY_TIME.format(java.time.Instant.ofEpochMilli(m.time()));
        if (!m.isPrivate()) {
            return said("[" + m.room() + "] " + time + " ", m.from(), m.kind(), m.text());
        }
        if (Names.key(m.from()).equals(Names.key(viewer))) {
            String head = "[pm -> " + m.to() + "] " + time + " ";
            return led(m.kind() == MessageKind.ACTION ? head + "* " : head, m.text()); // as privateEcho words it live
        }
        return said("[pm] " + time + " ", m.from(), m.kind(), m.text());
    }

    /**
     * {@code head nick: text} or, for an action, {@code head * nick text}; a text of several
     * lines (IRC multiline) as one such line per line of it, blank lines left out, so every line
     * still has the form of "Server lines".
     */
    private static String said(String head, String nick, MessageKind kind, String text) {
        return led(kind == MessageKind.ACTION ? head + "* " + nick + " " : head + nick + ": ", text);
    }

    /** {@code lead text}, a text of several lines as one such line per line of it, blank lines left out. */
    private static String led(String lead, String text) {
        if (text.indexOf('\n') < 0) {
            return lead + safe(text);
        }
        StringBuilder lines = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                lines.append(lines.length() == 0 ? "" : "\n").append(lead).append(safe(line));
            }
        }
        return lines.length() == 0 ? lead : lines.toString();
    }

    /** {@code 2026-12-01T09:14:03Z}: UTC, to the second. */
    private static final java.time.format.DateTimeFormatter HISTORY_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC);

    /** What starts a message line for a client with ids on: {@code @ID }. */
    static String idPrefix(long id) {
        return "@" + chat.server.core.MessageIds.text(id) + " ";
    }

    static String info(String text) {
        return INFO + text;
    }

    static String error(String text) {
        return ERROR + text;
    }

    static String error(ChatException refusal) {
        String subject = refusal.subject();
        ChatError code = refusal.error();
        return ERROR + switch (code) {
            case INVALID_NICK -> "invalid nickname \"" + subject + "\": use 1-" + Names.MAX_NAME_LENGTH
                    + " letters, digits or _-[]\\`^{}|, not starting with a digit or -";
            case NICK_TAKEN -> "nickname \"" + subject + "\" is taken";
            case NICK_RESERVED -> "nickname \"" + subject + "\" is registered: /login " + subject
                    + " PASSWORD if it is yours";
            case MAILBOX_FULL -> subject + " is offline and keeps as many messages as it may; try again once they have read them";
            case INVALID_ROOM -> "invalid room name \"" + subject + "\": use 1-" + Names.MAX_NAME_LENGTH
                    + " letters, digits, _ or -";
            case NOT_IN_ROOM -> "you are not in " + subject;
            case NO_SUCH_ROOM -> "no such room " + subject;
            case NO_SUCH_NICK -> "no such nick \"" + subject + "\"";
            case ROOM_FULL -> subject + " is full (+l); ask one of its operators";
            case TOO_MANY_ROOMS -> "you are in as many rooms as one may be; /part one to join " + subject;
            case SERVER_ROOMS_FULL -> "the server has as many rooms as it may; " + subject
                    + " cannot be made, but existing rooms can be joined (/rooms)";
            case INVITE_ONLY -> subject + " is invite-only (+i); ask one of its operators to /invite you";
            case BANNED -> "you are banned from " + subject;
            case BAD_KEY -> subject + " has a key (+k): /join " + subject + " KEY";
            case NOT_OPERATOR -> "only operators of " + subject + " may do that";
            case CANNOT_SEND -> "you cannot speak in " + subject + " (moderated, or you are banned)";
            case USER_NOT_IN_ROOM -> subject + " is not in that room";
            case ALREADY_IN_ROOM -> subject + " is already in that room";
            case UNKNOWN_MODE -> "unknown mode " + subject + "; modes: imnst, k KEY, l N, b/e/I MASK, o/v NICK";
            case NOT_SERVER_OPERATOR -> "only server operators may use " + subject;
            case INVALID_MODE_PARAM -> "invalid argument for mode " + subject
                    + ": one word without commas, not starting with :";
            case INVALID_KEY -> "invalid metadata key \"" + subject + "\": letters, digits and _.:/- only";
            case INVALID_VALUE -> "the value of " + subject + " is too long (at most " + Metadata.MAX_VALUE_BYTES
                    + " bytes)";
            case NOT_YOURS -> "only " + subject + " may change its metadata";
            case LIMIT_REACHED -> subject + " has " + Metadata.MAX_KEYS + " metadata keys already";
            case KEY_NOT_SET -> "metadata key " + subject + " is not set";
            case LIST_FULL -> "the +" + subject + " list is full (" + ModeChange.MAX_LIST_LENGTH
                    + " masks); remove one first";
            case NOT_LOGGED_IN -> "only a user logged in to an account may do that to " + subject
                    + "; /login NICK PASSWORD first";
            case ROOM_REGISTERED -> subject + " is registered already; /room info " + subject + " tells by whom";
            case ROOM_NOT_REGISTERED -> subject + " is not registered";
            case NOT_FOUNDER -> "only the founder of " + subject + " may do that; /room info " + subject
                    + " tells who it is";
            case TOO_MANY_REGISTERED_ROOMS -> subject + " founded as many registered rooms as one may;"
                    + " /room drop one first";
        };
    }

    /** What a client is told when it hits a limit, just before it is disconnected. */
    static String limit(LimitKind limit, long figure, long max) {
        return ERROR + limitText(limit, figure, max);
    }

    /** The words of {@link #limit}, without the error mark. */
    static String limitText(LimitKind limit, long figure, long max) {
        return switch (limit) {
            case SEND_QUEUE -> "send queue exceeded: you are not reading fast enough (" + figure
                    + " bytes waiting, limit " + max + "); disconnecting";
            case MAX_CLIENTS -> "server full (" + figure + " clients, limit " + max + "); try again later";
            case MAX_PER_ADDRESS -> "too many connections from your address (" + figure + ", limit " + max
                    + "); disconnecting";
            case IDLE -> "idle for " + figure + " seconds (limit " + max + "); disconnecting";
        };
    }

    private static String withReason(String reason) {
        return reason == null || reason.isEmpty() ? "" : ": " + safe(reason);
    }

    private static String safe(String text) {
        return TerminalSafeText.strip(withoutIrcColours(text));
    }

    /**
     * IRC text without its colour codes ({@code ^C} and up to two digits, a comma and two more),
     * digits included: stripping the control character alone would leave {@code 04,01} in front
     * of the word. Native text never holds a {@code ^C} (control characters are stripped on
     * arrival), so this touches only what IRC users said.
     */
    private static String withoutIrcColours(String text) {
        if (text.indexOf(IRC_COLOUR) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i++);
            if (c != IRC_COLOUR) {
                out.append(c);
                continue;
            }
            int afterForeground = skipDigits(text, i);
            boolean background = afterForeground > i && afterForeground + 1 < text.length()
                    && text.charAt(afterForeground) == ',' && isDigit(text.charAt(afterForeground + 1));
            i = background ? skipDigits(text, afterForeground + 1) : afterForeground;
        }
        return out.toString();
    }

    /** Past at most two ASCII digits from {@code from}. */
    private static int skipDigits(String text, int from) {
        int i = from;
        while (i < text.length() && i - from < 2 && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
