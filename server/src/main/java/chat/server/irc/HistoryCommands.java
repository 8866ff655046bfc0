package chat.server.irc;

import chat.server.core.MessageIds;
import chat.server.core.MessageKind;
import chat.server.core.Names;
import chat.server.core.Room;
import chat.server.core.User;
import chat.server.history.HistoryQuery;
import chat.server.history.HistoryStore;
import chat.server.history.HistoryTargets;
import chat.server.history.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * IRCv3 {@code CHATHISTORY} (draft): LATEST, BEFORE, AFTER, AROUND, BETWEEN and TARGETS, with
 * references by {@code msgid=} or {@code timestamp=}, answered in a {@code chathistory} batch
 * with each message's original time and msgid; and the replay on join for clients without it.
 * A channel's history is for its members; a conversation's for the nick that holds it now, from
 * when it took the nick. Answers read off the loop hold the client's next lines, so replies
 * keep the order of requests.
 *
 * <p>Loop thread only.
 */
final class HistoryCommands {

    /** Most messages one request returns (ISUPPORT {@code CHATHISTORY}). */
    static final int MAX_LIMIT = 100;

    private HistoryCommands() {
    }

    static void chathistory(IrcSession s, IrcMessage m) {
        String sub = m.params().isEmpty() ? "" : m.param(0).toUpperCase(Locale.ROOT);
        int needed = switch (sub) {
            case "LATEST", "BEFORE", "AFTER", "AROUND", "TARGETS" -> 4;
            case "BETWEEN" -> 5;
            default -> -1;
        };
        if (needed < 0) {
            fail(s, "INVALID_PARAMS", sub.isEmpty() ? "*" : sub, "Unknown subcommand");
            return;
        }
        if (m.params().size() < needed) {
            fail(s, "INVALID_PARAMS", sub, "Not enough parameters");
            return;
        }
        int limit = limit(m.param(needed - 1));
        if (limit < 1) {
            fail(s, "INVALID_PARAMS", sub, m.param(needed - 1), "Invalid limit");
            return;
        }
        if (sub.equals("TARGETS")) {
            targets(s, m.param(1), m.param(2), limit);
            return;
        }
        String targetName = m.param(1);
        Target target = target(s, targetName);
        if (target == null) {
            fail(s, "INVALID_TARGET", sub, targetName, "Messages could not be retrieved");
            return;
        }
        Ref first = sub.equals("LATEST") && m.param(2).equals("*") ? Ref.NONE : Ref.parse(m.param(2));
        Ref second = sub.equals("BETWEEN") ? Ref.parse(m.param(3)) : Ref.NONE;
        if (first == null || second == null) {
            fail(s, "INVALID_PARAMS", sub, m.param(2), "Invalid message reference");
            return;
        }
        List<HistoryQuery> queries = switch (sub) {
            case "LATEST" -> List.of(first.after(target, limit, true));
            case "BEFORE" -> List.of(first.before(target, limit));
            case "AFTER" -> List.of(first.after(target, limit, false));
            case "AROUND" -> {
                int before = limit / 2;
                List<HistoryQuery> around = new ArrayList<>();
                if (before > 0) {
                    around.add(first.before(target, before));
                }
                around.add(first.inclusive().after(target, limit - before, false));
                yield around;
            }
            default -> List.of(first.approxMillis() <= second.approxMillis()
                    ? between(target, first, second, limit, false)
                    : between(target, second, first, limit, true));
        };
        read(s, queries, messages -> s.sendBatch("chathistory " + targetName, lines(s, messages)));
    }

    /**
     * A joiner without {@code draft/chathistory} gets the channel's last messages
     * ({@code --irc-history-on-join}, default none, as IRC clients keep logs of their own) in a
     * {@code chathistory} batch, before anything live: what the store must give is waited for
     * with the client's output held.
     */
    static void replayOnJoin(IrcSession s, String room) {
        int count = s.dialect().history().ircOnJoin();
        if (count == 0 || s.has(Cap.CHATHISTORY)) {
            return;
        }
        chat.server.net.Connection.Hold hold = s.connection().holdOutput();
        s.dialect().history().read(HistoryQuery.latest(HistoryTargets.room(room), count), messages -> {
            try {
                if (!messages.isEmpty()) {
                    s.sendAhead(hold, () -> s.sendBatch("chathistory " + room, lines(s, messages)));
                }
            } finally {
                s.connection().releaseOutput(hold);
            }
        });
    }

    /**
     * {@code REDACT target msgid [:reason]} (IRCv3 message-redaction): its author withdraws a
     * message, or a channel operator anyone's in the channel; history forgets it and those with
     * the capability are told. Who said it is history's to tell, so a message history does not
     * hold (too old, a TAGMSG, history off) is unknown.
     */
    static void redact(IrcSession s, IrcMessage m) {
        String target = m.param(0);
        String msgid = m.param(1);
        String reason = m.params().size() > 2 && !m.param(2).isEmpty() ? m.param(2) : null;
        Target readable = target(s, target);
        if (readable == null) {
            failRedact(s, "INVALID_TARGET", target, "You cannot redact messages in " + target);
            return;
        }
        int part = msgid.indexOf('-');
        long id = MessageIds.parse(part < 0 ? msgid : msgid.substring(0, part));
        if (id < 0) {
            failRedact(s, "UNKNOWN_MSGID", target, msgid, "This message does not exist or is too old");
            return;
        }
        replyWhenAnswered(s, reply -> s.dialect().history().find(readable.key, id, found -> reply.accept(
                () -> redactFound(s, target, msgid, id, reason, found == null || found.time() <= readable.since ? null : found))));
    }

    private static void redactFound(IrcSession s, String target, String msgid, long id, String reason, StoredMessage found) {
        if (found == null) {
            failRedact(s, "UNKNOWN_MSGID", target, msgid, "This message does not exist or is too old");
            return;
        }
        try {
            s.core().redact(s.user(), target, found.from(), id, reason);
        } catch (chat.server.core.ChatException e) {
            if (e.error() == chat.server.core.ChatError.NOT_YOURS) {
                failRedact(s, "REDACT_FORBIDDEN", target, msgid, "You are not allowed to redact this message");
            } else {
                failRedact(s, "INVALID_TARGET", target, "You cannot redact messages in " + target);
            }
        }
    }

    private static void failRedact(IrcSession s, String code, String... params) {
        List<String> all = new ArrayList<>(params.length + 2);
        all.add("REDACT");
        all.add(code);
        all.addAll(List.of(params));
        s.send(new IrcMessage(Map.of(), s.dialect().serverName(), "FAIL", all).toLine(true));
    }

    /** Messages strictly between {@code low} and {@code high}: the oldest of them, or the newest. */
    private static HistoryQuery between(Target target, Ref low, Ref high, int limit, boolean newest) {
        HistoryQuery a = low.after(target, limit, newest);
        HistoryQuery b = high.before(target, limit);
        return new HistoryQuery(target.key, a.afterId(), b.beforeId(), a.afterTime(), b.beforeTime(), limit, newest);
    }

    /**
     * Reads the queries in turn and hands their messages, in order, to {@code answer}: at once
     * when memory holds them, else when the store answers.
     */
    private static void read(IrcSession s, List<HistoryQuery> queries, Consumer<List<StoredMessage>> answer) {
        replyWhenAnswered(s, reply -> readFrom(s, queries, 0, new ArrayList<>(),
                messages -> reply.accept(() -> answer.accept(messages))));
    }

    private static void readFrom(IrcSession s, List<HistoryQuery> queries, int index, List<StoredMessage> all,
            Consumer<List<StoredMessage>> done) {
        if (index == queries.size()) {
            done.accept(all);
            return;
        }
        s.dialect().history().read(queries.get(index), messages -> {
            all.addAll(messages);
            readFrom(s, queries, index + 1, all, done);
        });
    }

    /**
     * Runs {@code ask}, which hands its reply to the callback at once or later (through the
     * loop's task queue, after a store read). A later reply holds the client's next lines until
     * it is sent, as OPER's does, so replies keep the order of requests.
     */
    private static void replyWhenAnswered(IrcSession s, Consumer<Consumer<Runnable>> ask) {
        boolean[] waiting = {false};
        boolean[] answered = {false};
        ask.accept(reply -> {
            answered[0] = true;
            if (waiting[0]) {
                s.answer(reply);
            } else {
                reply.run();
            }
        });
        if (!answered[0]) {
            waiting[0] = true;
            s.awaitAnswer();
        }
    }

    private static void targets(IrcSession s, String from, String to, int limit) {
        Ref a = Ref.parse(from);
        Ref b = Ref.parse(to);
        if (a == null || b == null || a.time < 0 || b.time < 0) {
            fail(s, "INVALID_PARAMS", "TARGETS", from, "Invalid timestamp");
            return;
        }
        long low = Math.min(a.time, b.time);
        long high = Math.max(a.time, b.time);
        User user = s.user();
        List<String> candidates = new ArrayList<>();
        for (Room room : user.rooms()) {
            candidates.add(HistoryTargets.room(room.name()));
        }
        candidates.addAll(s.dialect().history().conversationsOf(user.nick()));
        replyWhenAnswered(s, reply -> s.dialect().history().targets(candidates, low, high, limit, found -> reply.accept(
                () -> s.sendBatch("draft/chathistory-targets", targetLines(s, found)))));
    }

    private static List<String> targetLines(IrcSession s, List<HistoryStore.TargetActivity> found) {
        String me = Names.key(s.nick());
        List<String> lines = new ArrayList<>();
        for (HistoryStore.TargetActivity t : found) {
            String name = t.target();
            if (HistoryTargets.isConversation(name)) {
                String[] both = name.split(" ", 2);
                name = both[0].equals(me) ? both[1] : both[0];
            } else {
                Room room = s.core().room(name);
                name = room == null ? name : room.name();
            }
            lines.add(new IrcMessage(Map.of(), s.dialect().serverName(), "CHATHISTORY",
                    List.of("TARGETS", name, IrcDialect.formatTime(t.lastTime()))).toLine());
        }
        return lines;
    }

    /** What {@code name} reads: a channel the user is in, or its conversation with a nick; null when neither. */
    private static Target target(IrcSession s, String name) {
        User user = s.user();
        if (name.startsWith("#")) {
            Room room = s.core().room(name);
            return room == null || !user.isIn(room) ? null : new Target(HistoryTargets.room(room.name()), HistoryQuery.NONE_BELOW);
        }
        if (!Names.isValidNick(name)) {
            return null;
        }
        return new Target(HistoryTargets.conversation(user.nick(), name), user.nickSince() - 1);
    }

    /** Kept messages as this client's lines: the original source, target, time and msgid. */
    static List<String> lines(IrcSession s, List<StoredMessage> messages) {
        boolean time = s.has(Cap.SERVER_TIME);
        boolean tags = s.has(Cap.MESSAGE_TAGS);
        List<String> lines = new ArrayList<>(messages.size());
        for (StoredMessage m : messages) {
            StringBuilder line = new StringBuilder();
            if (time || tags) {
                line.append('@');
                if (time) {
                    line.append("time=").append(IrcDialect.formatTime(m.time()));
                }
                if (tags) {
                    line.append(time ? ";" : "").append("msgid=").append(MessageIds.text(m.id()));
                    for (Map.Entry<String, String> tag : m.tags().entrySet()) {
                        line.append(';').append(tag.getKey());
                        if (!tag.getValue().isEmpty()) {
                            line.append('=').append(IrcMessage.escapeTagValue(tag.getValue()));
                        }
                    }
                }
                line.append(' ');
            }
            boolean action = m.kind() == MessageKind.ACTION;
            line.append(':').append(m.from()).append('!').append(m.fromAddress()).append(' ')
                    .append(m.kind() == MessageKind.NOTICE ? "NOTICE" : "PRIVMSG").append(' ')
                    .append(m.isPrivate() ? m.to() : m.room()).append(" :")
                    .append(action ? "\u0001ACTION " : "").append(m.text()).append(action ? "\u0001" : "");
            lines.add(line.toString());
        }
        return lines;
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            return limit < 1 ? -1 : Math.min(limit, MAX_LIMIT);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void fail(IrcSession s, String code, String... params) {
        List<String> all = new ArrayList<>(params.length + 2);
        all.add("CHATHISTORY");
        all.add(code);
        all.addAll(List.of(params));
        s.send(new IrcMessage(Map.of(), s.dialect().serverName(), "FAIL", all).toLine(true));
    }

    /** A target's key, and the time before which its reader may not look. */
    private record Target(String key, long since) {
    }

    /**
     * A message reference: {@code msgid=} (an id, exclusive) or {@code timestamp=} (a time,
     * exclusive); {@link #NONE} for {@code *}.
     */
    private record Ref(long id, long time) {
        static final Ref NONE = new Ref(-1, -1);

        /** The reference, or null when it is neither form. */
        static Ref parse(String text) {
            int equals = text.indexOf('=');
            if (equals < 0) {
                return null;
            }
            String kind = text.substring(0, equals).toLowerCase(Locale.ROOT);
            String value = text.substring(equals + 1);
            if (kind.equals("msgid")) {
                int part = value.indexOf('-'); // the second line of a cut message: the message's own id
                long id = MessageIds.parse(part < 0 ? value : value.substring(0, part));
                return id < 0 ? null : new Ref(id, -1);
            }
            if (kind.equals("timestamp")) {
                long time = IrcDialect.parseTime(value);
                return time < 0 ? null : new Ref(-1, time);
            }
            return null;
        }

        /** The same point, the referenced message itself included on the way forward. */
        Ref inclusive() {
            return id > 0 ? new Ref(id - 1, -1) : time > 0 ? new Ref(-1, time - 1) : this;
        }

        /** Roughly when: a message id grows with the clock, 1,024 per millisecond. */
        long approxMillis() {
            return id > 0 ? id >> 10 : time;
        }

        HistoryQuery after(Target target, int limit, boolean newest) {
            return new HistoryQuery(target.key, id > 0 ? id : HistoryQuery.NONE_BELOW, HistoryQuery.NONE_ABOVE,
                    Math.max(time > 0 ? time : HistoryQuery.NONE_BELOW, target.since), HistoryQuery.NONE_ABOVE, limit, newest);
        }

        HistoryQuery before(Target target, int limit) {
            return new HistoryQuery(target.key, HistoryQuery.NONE_BELOW, id > 0 ? id : HistoryQuery.NONE_ABOVE,
                    target.since, time > 0 ? time : HistoryQuery.NONE_ABOVE, limit, true);
        }
    }
}
