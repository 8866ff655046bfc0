package chat.server.text;

import chat.server.core.ChatError;
import chat.server.core.ChatException;
import chat.server.core.MessageIds;
import chat.server.core.Room;
import chat.server.core.User;
import chat.server.history.History;
import chat.server.history.HistoryQuery;
import chat.server.history.HistoryTargets;
import chat.server.history.StoredMessage;
import chat.server.net.Connection;
import java.util.List;

/**
 * The native dialect's history (docs/protocol.md, "History and message ids"): the replay on
 * join, {@code /history} with its paging, and {@code /resume}. Each answer is sent ahead of
 * live traffic, which the connection holds back until a replay read off the loop arrives.
 *
 * <p>Loop thread only; made for one command of one {@link LineSession}.
 */
final class LineHistory {

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;
    /** Most messages one {@code /history ... after} or {@code /resume} sends; the rest on request. */
    static final int MAX_AFTER = 500;

    private final LineSession session;

    LineHistory(LineSession session) {
        this.session = session;
    }

    /** Replays a room's last messages to its new member, if history keeps any. */
    void replayOnJoin(String room) {
        int count = history().onJoin();
        if (count > 0) {
            replay(HistoryQuery.latest(HistoryTargets.room(room), count), (messages, hold) -> { });
        }
    }

    /** {@code /history [TARGET] [N]}, {@code /history TARGET after ID}. */
    void history(String args) throws ChatException {
        if (!checkEnabled()) {
            return;
        }
        String[] words = args.isEmpty() ? new String[0] : args.split(" +");
        if (words.length == 3 && words[1].equalsIgnoreCase("after")) {
            long after = parseId(words[2]);
            if (after > 0) {
                Target target = target(words[0]);
                sendAfter(target, after, "history of " + target.name, "message", " after " + words[2]);
            }
            return;
        }
        int count = DEFAULT_PAGE;
        String named = null;
        for (String word : words) {
            if (!word.isEmpty() && Character.isDigit(word.charAt(0))) {
                count = parseCount(word);
                if (count < 0) {
                    return;
                }
            } else if (named == null) {
                named = word;
            } else {
                usage();
                return;
            }
        }
        if (named == null && session.currentRoom() == null) {
            session.sendLine(LineFormatter.error("you are in no room; /history #ROOM or /history NICK"));
            return;
        }
        Target target = target(named == null ? session.currentRoom() : named);
        LineSession.HistoryPage last = session.historyPage();
        long before = last != null && last.target().equals(target.key) ? last.oldestId() : HistoryQuery.NONE_ABOVE;
        HistoryQuery query = new HistoryQuery(target.key, HistoryQuery.NONE_BELOW, before, target.since,
                HistoryQuery.NONE_ABOVE, count, true);
        int asked = count;
        replay(query, (messages, hold) -> {
            if (messages.isEmpty()) {
                session.historyPage(null);
                session.sendLineAhead(hold, LineFormatter.info(before == HistoryQuery.NONE_ABOVE
                        ? "no history of " + target.name : "history of " + target.name + ": none earlier"));
                return;
            }
            session.historyPage(new LineSession.HistoryPage(target.key, messages.get(0).id()));
            session.sendLineAhead(hold, LineFormatter.info("history of " + target.name + ": " + count(messages.size(), "message")
                    + (messages.size() < asked ? ", none earlier" : "; /history " + target.name + " for earlier ones")));
        });
    }

    /** {@code /resume TARGET ID}: joins a room (not replaying its last messages), then what came after ID. */
    void resume(String args, LineCommands commands) throws ChatException {
        String[] words = args.isEmpty() ? new String[0] : args.split(" +");
        if (words.length != 2) {
            session.sendLine(LineFormatter.error("usage: /resume #ROOM ID or /resume NICK ID"));
            return;
        }
        if (words[0].startsWith("#")) {
            commands.joinRoom(words[0], null, false); // joined even when the id is bad: the client asked for the room
        }
        long after = parseId(words[1]);
        if (after <= 0 || !history().enabled()) {
            return; // joined all the same: resuming works against a server without history too
        }
        Target target = target(words[0]);
        sendAfter(target, after, "resumed " + target.name, "missed message", "");
    }

    private void sendAfter(Target target, long after, String head, String noun, String tail) {
        HistoryQuery query = new HistoryQuery(target.key, after, HistoryQuery.NONE_ABOVE, target.since,
                HistoryQuery.NONE_ABOVE, MAX_AFTER, false);
        replay(query, (messages, hold) -> {
            String more = messages.size() == MAX_AFTER
                    ? "; more: /history " + target.name + " after " + MessageIds.text(messages.get(messages.size() - 1).id())
                    : "";
            session.sendLineAhead(hold, LineFormatter.info(head + ": " + count(messages.size(), noun) + tail + more));
        });
    }

    /** Sends the messages {@code query} finds, then what {@code after} adds, before anything live. */
    private void replay(HistoryQuery query, java.util.function.BiConsumer<List<StoredMessage>, Connection.Hold> after) {
        Connection.Hold hold = session.connection().holdOutput();
        history().read(query, messages -> {
            try {
                String viewer = session.user().nick();
                for (StoredMessage m : messages) {
                    session.sendHistoryLine(hold, m, viewer);
                }
                after.accept(messages, hold);
            } finally {
                session.connection().releaseOutput(hold);
            }
        });
    }

    /** A room the user is in ({@code #name}), or its conversation with a nick, which it sees from when it took its nick. */
    private Target target(String named) throws ChatException {
        User user = session.user();
        if (named.startsWith("#")) {
            Room room = session.core().room(named);
            if (room == null || !user.isIn(room)) {
                throw new ChatException(ChatError.NOT_IN_ROOM, named);
            }
            return new Target(HistoryTargets.room(room.name()), room.name(), HistoryQuery.NONE_BELOW);
        }
        if (!chat.server.core.Names.isValidNick(named)) {
            throw new ChatException(ChatError.NO_SUCH_NICK, named);
        }
        return new Target(HistoryTargets.conversation(user.nick(), named), named, user.nickSince() - 1);
    }

    /** {@code 1 message}, {@code 3 messages}. */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private boolean checkEnabled() {
        if (!history().enabled()) {
            session.sendLine(LineFormatter.error("history is off on this server"));
            return false;
        }
        return true;
    }

    private long parseId(String text) {
        long id = MessageIds.parse(text);
        if (id < 0) {
            session.sendLine(LineFormatter.error("invalid message id " + text));
        }
        return id;
    }

    private int parseCount(String word) {
        try {
            int count = Integer.parseInt(word);
            if (count >= 1 && count <= MAX_PAGE) {
                return count;
            }
        } catch (NumberFormatException tooLong) {
            // told below
        }
        session.sendLine(LineFormatter.error("how many messages: 1 to " + MAX_PAGE + ", not " + word));
        return -1;
    }

    private void usage() {
        session.sendLine(LineFormatter.error("usage: /history [#ROOM|NICK] [N], /history #ROOM|NICK after ID"));
    }

    private History history() {
        return session.history();
    }

    /** What a history command reads: a key, a name to show, and the time before which it may not look. */
    private record Target(String key, String name, long since) {
    }
}
