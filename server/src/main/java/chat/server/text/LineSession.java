package chat.server.text;

import chat.common.ConnectionCharset;
import chat.common.ChatCharsets;
import chat.common.TerminalSafeText;
import chat.common.TextCodec;
import chat.server.core.ChatCore;
import chat.server.core.ChatEvent;
import chat.server.core.ChatException;
import chat.server.core.Identity;
import chat.server.core.MessageKind;
import chat.server.core.Recipient;
import chat.server.core.User;
import chat.server.net.CloseReason;
import chat.server.net.Connection;
import chat.server.net.DetectedProtocol;
import chat.server.net.LimitKind;
import chat.server.net.ProtocolDetector;
import chat.server.net.ProtocolHandler;
import java.nio.charset.Charset;
import java.util.List;

/**
 * One connection speaking the native line dialect: decodes each frame with the connection's
 * charset, makes it terminal-safe, turns slash-commands into calls on the {@link ChatCore}, and
 * turns the core's events back into lines (docs/protocol.md).
 *
 * <p>Also keeps the one piece of state that is this dialect's alone: the current room, where a
 * plain line goes.
 *
 * <p>Loop thread only.
 */
public final class LineSession implements ProtocolHandler, Recipient {

    /** The user name every native user has, shown by IRC as {@code nick!~chat@host}. */
    static final String NATIVE_USERNAME = "~chat";

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LineSession.class);

    private final Connection connection;
    /** What every native session shares: the core, the per-event encoding cache. */
    private final LineDialect dialect;
    /** How this client's bytes become text and back: chosen with /charset, or detected. */
    private ConnectionCharset charset;
    /** What the client asked for before its session started; null once it has. */
    private SessionSetup setup;
    /** The user in the core; null until the session starts. */
    private User user;
    /** Where a plain line goes: the room joined last, or null when in none. */
    private String currentRoom;
    /** True once the client asked for message ids ({@code /ids on}), and its own messages echoed. */
    private boolean ids;
    /** True once the client sent a line: the first is looked at for what must never be chat. */
    private boolean heard;
    /** Where the last {@code /history} page began, for the next one; null when none is under way. */
    private HistoryPage historyPage;

    /** The oldest message the last {@code /history} of a target showed. */
    record HistoryPage(String target, long oldestId) {
    }

    LineSession(Connection connection, LineDialect dialect, TextCodec codec) {
        this.connection = connection;
        this.dialect = dialect;
        this.charset = ConnectionCharset.startingWith(codec);
    }

    /**
     * The connection speaks this dialect. The session starts when the client sends a line that
     * is not setup, or when the detection window closes, whichever comes first: a client that
     * said nothing is welcomed at once, one that is setting up gets the rest of the window.
     */
    @Override
    public void onOpen() {
        setup = new SessionSetup();
        long left = connection.detectionWindowLeftMillis();
        if (left == 0) {
            start();
        } else {
            setup.timer = connection.schedule(left, this::start);
        }
    }

    /**
     * Who a native user is to the others: no user name is asked for, so all share one, and the
     * address it connected from.
     */
    private Identity identity() {
        return new Identity(NATIVE_USERNAME, "", connection.peer().getAddress());
    }

    /**
     * Starts the session: the user, under the nick it asked for if it can have it; the welcome;
     * its setup commands; the default room unless it joined rooms of its own. Acts once.
     */
    private void start() {
        SessionSetup asked = setup;
        if (asked == null || !connection.isOpen()) {
            return;
        }
        setup = null;
        asked.cancelTimer();
        ChatException nickRefused = null;
        if (asked.nick() != null) {
            try {
                user = core().connect(this, asked.nick(), identity());
            } catch (ChatException e) {
                nickRefused = e;
            }
        }
        if (user == null) {
            user = core().connect(this, identity());
        }
        sendLine(LineFormatter.info("welcome " + user.nick() + "; /help lists the commands"));
        if (nickRefused != null) {
            sendLine(LineFormatter.error(nickRefused));
        }
        asked.notices().forEach(this::sendLine);
        LineCommands commands = new LineCommands(this, true);
        asked.commands().forEach(commands::execute);
        if (core().roomsOf(user).isEmpty()) {
            try {
                currentRoom = core().join(user, core().defaultRoom());
                new LineHistory(this).replayOnJoin(currentRoom);
            } catch (ChatException e) {
                sendLine(LineFormatter.error(e)); // cannot happen: the default room is checked at startup
            }
        }
    }

    @Override
    public void onFrame(byte[] bytes, int offset, int length) {
        if (!heard) {
            heard = true;
            if (ProtocolDetector.decideNow(bytes, offset, length) == DetectedProtocol.HTTP) {
                // A browser's connection that was silent past the window, taken for nc: its
                // request and headers (cookies among them) must not become lines in a room.
                log.info("closing {}: an HTTP request after {} ms of silence, too late to be told from a"
                        + " native client; nothing of it was relayed", connection.peer(), Connection.DETECTION_WINDOW_MILLIS);
                connection.close(CloseReason.PROTOCOL, "HTTP request after the detection window");
                return;
            }
        }
        String detected = maybeDetectCharset(bytes, offset, length);
        String text = TerminalSafeText.strip(charset.codec().decode(bytes, offset, length));
        if (setup != null && SessionSetup.isEnd(text)) {
            if (detected != null) {
                setup.notice(detected);
            }
            start(); // the client has set up all it meant to: no reason to wait out the window
            return;
        }
        if (setup != null && (text.isBlank() || takenAsSetup(text))) {
            // A blank line says nothing, before the session as after it: telnet users press
            // Enter to see whether anyone is there, and the welcome comes within the window.
            if (detected != null) {
                setup.notice(detected);
            }
            return;
        }
        start();
        if (detected != null) {
            sendLine(detected);
        }
        if (text.isBlank()) {
            return;
        }
        if (text.startsWith("//")) {
            say(text.substring(1), MessageKind.TEXT);
        } else if (text.charAt(0) == '/') {
            // Made per command rather than held: commands are rare, idle sessions are many.
            new LineCommands(this).execute(text);
        } else {
            say(text, MessageKind.TEXT);
        }
    }

    /** A setup line before the session started: kept for the start; a charset applies at once. */
    private boolean takenAsSetup(String text) {
        SessionSetup.Kind kind = SessionSetup.kindOf(text);
        if (kind == null || !setup.take(kind, text)) {
            return false;
        }
        if (kind == SessionSetup.Kind.CHARSET) {
            // At once, so the lines after it (a nick in GBK) decode right; the start replays
            // the command for its answer.
            try {
                chooseCodec(new TextCodec(ChatCharsets.forName(text.substring(text.indexOf(' ') + 1).strip())));
            } catch (IllegalArgumentException refused) {
                // The replay at the start answers with the reason.
            }
        }
        return true;
    }

    /**
     * Charset detection ({@link ConnectionCharset}, docs/charset-detection.md), while the
     * connection still uses UTF-8 and nobody chose a charset: the line that settles it is itself
     * decoded in the detected charset, and so is everything after it, both ways. Most clients
     * send only UTF-8 and never get a detector.
     *
     * @return the notice for the client when the charset changed, else null
     */
    private String maybeDetectCharset(byte[] bytes, int offset, int length) {
        if (!charset.weighs(bytes, offset, length)) {
            return null;
        }
        charset = charset.owned();
        Charset detected = charset.offer(bytes, offset, length);
        return detected == null ? null
                : LineFormatter.info("charset is now " + detected.name() + " (detected); /charset NAME to change it");
    }

    @Override
    public void onFrameTooLong(long lengthSeen, int maxLength) {
        start();
        sendLine(LineFormatter.error("line too long (" + lengthSeen + " bytes or more, the limit is "
                + maxLength + "); discarded up to the next newline"));
    }

    @Override
    public void onLimitExceeded(LimitKind limit, long figure, long max) {
        sendLine(LineFormatter.limit(limit, figure, max));
    }

    @Override
    public void onClose(CloseReason reason, String detail) {
        if (setup != null) {
            setup.cancelTimer(); // never started: nobody to tell
            setup = null;
        }
        if (user != null) {
            String why;
            if (reason == CloseReason.QUIT && detail != null) {
                why = detail; // the user's own words, possibly none
            } else if (reason == CloseReason.LIMIT && detail != null) {
                why = detail; // which limit: "send queue exceeded"
            } else {
                why = reason.description();
            }
            core().disconnect(user, why);
        }
    }

    @Override
    public void deliver(ChatEvent event) {
        // Kept small: this runs once per recipient of every broadcast, and the JIT inlines it
        // into the room's loop only while it is; the rare events are sorted out elsewhere.
        if (!(event instanceof ChatEvent.RoomMessage) && !isWordedNatively(event)) {
            return;
        }
        if (event instanceof ChatEvent.RoomMessage m && m.kind() == MessageKind.TAGMSG) {
            return; // IRC's TAGMSG: tags only, nothing to show
        }
        byte[] line = dialect.encodedLines().bytesFor(event, charset.codec());
        if (ids) {
            sendIdPrefix(event);
        }
        connection.send(line);
        if (!(event instanceof ChatEvent.RoomMessage)) {
            afterSending(event);
        }
    }

    /** Joins come as one write: a join is always told natively, and needs nothing after it. */
    @Override
    public void deliverJoins(List<ChatEvent.Joined> joins, int from) {
        connection.send(dialect.encodedLines().bytesForJoins(joins, from, charset.codec()), joins.size() - from);
    }

    /**
     * Whether a native user is told of an event other than a room message: not of what IRC
     * clients ask to be told (MONITOR, away-notify, setname, account-notify, TAGMSG, redactions),
     * nor of someone else's invitation (IRC's invite-notify); its own login is answered by its
     * command.
     */
    private boolean isWordedNatively(ChatEvent event) {
        if (event instanceof ChatEvent.PresenceChanged || event instanceof ChatEvent.AwayChanged
                || event instanceof ChatEvent.MetadataChanged || event instanceof ChatEvent.AccountChanged
                || event instanceof ChatEvent.RealnameChanged || event instanceof ChatEvent.Redacted
                || isTagsOnly(event)) {
            return false;
        }
        return !(event instanceof ChatEvent.Invited i) || i.target().equals(user.nick());
    }

    /** What an event does to the session once it was told: a kill or a ghost closes it, a kick picks a room. */
    private void afterSending(ChatEvent event) {
        if (event instanceof ChatEvent.Killed killed) {
            connection.close(CloseReason.QUIT, killed.quitReason());
        } else if (event instanceof ChatEvent.Ghosted ghosted) {
            connection.close(CloseReason.QUIT, ghosted.quitReason());
        } else if (event instanceof ChatEvent.Kicked k && k.room().equals(currentRoom) && k.target().equals(user.nick())) {
            pickCurrentRoom(); // as after /part: the core has already taken the user out
        }
    }

    /** {@code @ID } before a message line, for a client with ids on. */
    private void sendIdPrefix(ChatEvent event) {
        if (event instanceof ChatEvent.RoomMessage m) {
            connection.send(dialect.encodedLines().idPrefixFor(m.id()));
        } else if (event instanceof ChatEvent.PrivateMessage m) {
            connection.send(dialect.encodedLines().idPrefixFor(m.id()));
        }
    }

    private static boolean isTagsOnly(ChatEvent event) {
        return event instanceof ChatEvent.RoomMessage m && m.kind() == MessageKind.TAGMSG
                || event instanceof ChatEvent.PrivateMessage p && p.kind() == MessageKind.TAGMSG;
    }

    // ---- what commands need; package-private for LineCommands ----

    ChatCore core() {
        return dialect.core();
    }

    @Override
    public boolean hasUser() {
        return user != null;
    }

    User user() {
        return user;
    }

    String currentRoom() {
        return currentRoom;
    }

    void currentRoom(String room) {
        currentRoom = room;
    }

    TextCodec codec() {
        return charset.codec();
    }

    /** Chosen by the user: from now on no detection. */
    void chooseCodec(TextCodec codec) {
        charset = charset.owned();
        charset.choose(codec);
    }

    /** Says a line in the current room. */
    void say(String text, MessageKind kind) {
        if (currentRoom == null) {
            sendLine(LineFormatter.error("you are in no room; /join one"));
            return;
        }
        try {
            ChatEvent.RoomMessage said = core().say(user, currentRoom, text, kind, java.util.Map.of());
            if (ids) {
                deliver(said); // the echo: the client shows its own line with its id, as the others see it
            }
        } catch (ChatException e) {
            sendLine(LineFormatter.error(e));
        }
    }

    /** After leaving the current room, talk in the room joined most recently, if any. */
    void pickCurrentRoom() {
        List<String> rooms = core().roomsOf(user);
        currentRoom = rooms.isEmpty() ? null : rooms.get(rooms.size() - 1);
        sendLine(LineFormatter.info(currentRoom == null
                ? "you are in no room; /join one"
                : "now talking in " + currentRoom));
    }

    LineDialect dialect() {
        return dialect;
    }

    chat.server.accounts.Accounts accounts() {
        return dialect.accounts();
    }

    chat.server.history.History history() {
        return dialect.history();
    }

    Connection connection() {
        return connection;
    }

    boolean ids() {
        return ids;
    }

    void ids(boolean on) {
        ids = on;
    }

    HistoryPage historyPage() {
        return historyPage;
    }

    void historyPage(HistoryPage page) {
        historyPage = page;
    }

    /** A kept message as a history line, in {@code hold}'s place: before live traffic held back meanwhile. */
    void sendHistoryLine(Connection.Hold hold, chat.server.history.StoredMessage m, String viewer) {
        if (m.isPrivate() || !java.nio.charset.StandardCharsets.UTF_8.equals(charset.codec().charset())) {
            sendLineAhead(hold, (ids ? LineFormatter.idPrefix(m.id()) : "") + LineFormatter.history(m, viewer));
            return;
        }
        if (ids) { // ASCII, the same in every charset a client may choose
            connection.sendAhead(hold, LineFormatter.idPrefix(m.id()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        connection.sendAhead(hold, dialect.historyLines().roomLine(m)); // shared: made once per message
    }

    /** A line for this client alone, in {@code hold}'s place. */
    void sendLineAhead(Connection.Hold hold, String line) {
        connection.sendAhead(hold, dialect.encodedLines().encode(line + "\n", charset.codec()));
    }

    /** Sends the client a line addressed to it alone. */
    void sendLine(String line) {
        connection.send(dialect.encodedLines().encode(line + "\n", charset.codec()));
    }

    /** Says goodbye and closes; the core is told at the loop's next safe point. */
    void quit(String reason) {
        sendLine(LineFormatter.info("bye"));
        connection.close(CloseReason.QUIT, reason);
    }
}
