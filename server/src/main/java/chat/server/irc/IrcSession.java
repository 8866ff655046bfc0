package chat.server.irc;

import chat.common.ConnectionCharset;
import chat.common.TextCodec;
import chat.server.core.ChatCore;
import chat.server.core.ChatError;
import chat.server.core.ChatEvent;
import chat.server.core.ChatException;
import chat.server.core.Identity;
import chat.server.core.Recipient;
import chat.server.core.User;
import chat.server.net.CloseReason;
import chat.server.net.Connection;
import chat.server.net.LimitKind;
import chat.server.net.ProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One connection speaking IRC: registration (PASS, NICK, USER, CAP), then commands
 * ({@link IrcCommands}) as calls on the {@link ChatCore}, and the core's events back as IRC
 * lines. Text is UTF-8 both ways, unless the client chose another charset with CHARSET or sent
 * lines that {@link ConnectionCharset} recognised as one.
 *
 * <p>Holds what is this dialect's alone: what the client gave before it registered, the
 * capabilities it negotiated, its away message.
 *
 * <p>Loop thread only.
 */
public final class IrcSession implements ProtocolHandler, Recipient {

    /** The version string of 002, 004 and VERSION. */
    static final String VERSION = "chat-0.1.0";
    /** Most bytes of tags a client may send, {@code @} excluded (IRCv3 message-tags). */
    static final int MAX_CLIENT_TAG_BYTES = 4094;
    /** Longest user name kept from USER, before its {@code ~}. */
    private static final int USERNAME_LENGTH = 9;

    private final Connection connection;
    private final IrcDialect dialect;
    /** UTF-8 until the client says CHARSET NAME, or its lines are recognised as another charset. */
    private ConnectionCharset charset = ConnectionCharset.startingWith(TextCodec.UTF_8);
    /** Metadata keys this client subscribed to; null until it subscribes. */
    private java.util.Set<String> subscriptions;
    /** Metadata set before registration; null when none. */
    private Map<String, String> metadataBeforeRegistration;
    /** The user in the core; null until registration is complete. */
    private User user;
    /** The nick asked for with NICK before registration; null until then. */
    private String pendingNick;
    /** USER's user name and real name; null until USER. */
    private String username;
    private String realname;
    /** PASS's argument; null if none was given. */
    private String password;
    /** True between CAP LS or REQ and CAP END: registration waits for it. */
    private boolean negotiatingCaps;
    /** Enabled capabilities, one bit per {@link Cap}. */
    private int caps;
    /** User mode {@code +i}. */
    private boolean invisible;
    /**
     * The replies to a labeled command being handled (labeled-response), to be sent with its
     * label when it is done; null when no labeled command is being handled.
     */
    private List<String> labeled;
    /** True from a command that answers later ({@link #awaitAnswer}) until its answer. */
    private boolean answerPending;
    /** That command's label and the replies it had so far; null when it had no label. */
    private String heldLabel;
    private List<String> heldReplies;


    IrcSession(Connection connection, IrcDialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    @Override
    public void onOpen() {
        // IRC clients speak first: their registration is what detection saw. The ping check
        // starts now, so a client that never finishes registering is let go too.
        schedulePingCheck(dialect.pingIntervalMillis());
    }

    /** The next look at whether the client is still there; null when pings are off. */
    private chat.server.net.EventLoop.Timer pingTimer;
    /** True when a PING went out and nothing came back since. */
    private boolean pingSent;

    private void schedulePingCheck(long delayMillis) {
        if (dialect.pingIntervalMillis() > 0) {
            pingTimer = connection.schedule(Math.max(1, delayMillis), this::pingCheck);
        }
    }

    /**
     * A client silent for the ping interval is sent a PING; one still silent an interval later is
     * disconnected, as IRC servers do: that is how a dead peer behind a NAT is found.
     */
    private void pingCheck() {
        pingTimer = null;
        if (!connection.isOpen()) {
            return;
        }
        long interval = dialect.pingIntervalMillis();
        long silent = connection.millisSinceInput();
        if (silent < interval) {
            pingSent = false;
            schedulePingCheck(interval - silent);
        } else if (!pingSent) {
            pingSent = true;
            send("PING :" + dialect.serverName());
            schedulePingCheck(interval);
        } else {
            String reason = "Ping timeout: " + (silent / 1000) + " seconds";
            send("ERROR :Closing link: " + reason);
            connection.close(CloseReason.IDLE, reason);
        }
    }

    @Override
    public void onFrame(byte[] bytes, int offset, int length) {
        int tagsLength = 0;
        if (length > 0 && bytes[offset] == '@') {
            while (tagsLength < length && bytes[offset + tagsLength] != ' ') {
                tagsLength++;
            }
            while (tagsLength < length && bytes[offset + tagsLength] == ' ') {
                tagsLength++; // the space after the tags is theirs (IRCv3), not the message's
            }
        }
        // The tag section, '@' and the space after it included, may be 4,096 bytes (IRCv3).
        if (length - tagsLength + 2 > IrcDialect.MAX_MESSAGE_BYTES || tagsLength > MAX_CLIENT_TAG_BYTES + 2) {
            reply(Numeric.ERR_INPUTTOOLONG, "Input line was too long");
            return;
        }
        pingSent = false; // anything at all answers a PING
        // Detection weighs what registered users say to others (PRIVMSG, NOTICE), never
        // registration or commands: a realname or a metadata value in Latin-1 from a UTF-8
        // client is refused (UTF8ONLY) rather than taken for a charset. A connection that must
        // send UTF-8 (WebSocket text frames) never changes charset: what is not UTF-8 is refused.
        java.nio.charset.Charset detected = null;
        if (user != null && !connection.isUtf8Only() && carriesChatText(bytes, offset, length)
                && charset.weighs(bytes, offset, length)) {
            charset = charset.owned();
            detected = charset.offer(bytes, offset, length);
        }
        if (detected != null) {
            sendFromServer("NOTICE", nick(), "Your charset is now " + detected.name()
                    + " (detected from what you sent); CHARSET NAME changes it");
        }
        TextCodec codec = charset.codec();
        String line = codec.decode(bytes, offset, length);
        if (line.isBlank()) {
            return;
        }
        IrcMessage message;
        try {
            message = IrcMessage.parse(line);
        } catch (IllegalArgumentException noCommand) {
            return;
        }
        // UTF8ONLY holds for a connection on UTF-8; one on another charset reads in it.
        boolean utf8 = !StandardCharsets.UTF_8.equals(codec.charset()) || chat.common.Utf8.isValid(bytes, offset, length);
        String batch = message.tags().get("batch");
        if (batch != null && user != null && utf8) {
            MultilineCommands.part(this, message, batch); // a line of a multiline batch: said at its end
            return;
        }
        String label = has(Cap.LABELED_RESPONSE) ? message.tags().get("label") : null;
        if (label == null || label.isEmpty()) {
            handle(message, utf8);
            return;
        }
        MultilineCommands.Incoming openBefore = incomingBatch;
        labeled = new ArrayList<>();
        try {
            handle(message, utf8);
        } finally {
            List<String> replies = labeled;
            labeled = null;
            if (answerPending) { // the answer comes later, and the label goes with it
                heldLabel = label;
                heldReplies = replies;
            } else if (incomingBatch != null && incomingBatch != openBefore && replies.isEmpty()) {
                incomingBatch.label = label; // a multiline batch opened: its end is the answer
            } else {
                sendLabeled(label, replies);
            }
        }
    }

    /** A draft/multiline batch the client is sending; null when none is open. */
    private MultilineCommands.Incoming incomingBatch;

    MultilineCommands.Incoming incomingBatch() {
        return incomingBatch;
    }

    void incomingBatch(MultilineCommands.Incoming batch) {
        incomingBatch = batch;
    }

    /** Runs {@code replying}, its replies labeled {@code label} as one answer (none: sent as they come). */
    void labeled(String label, Runnable replying) {
        if (label == null) {
            replying.run();
            return;
        }
        List<String> outer = labeled;
        labeled = new ArrayList<>();
        try {
            replying.run();
        } finally {
            List<String> replies = labeled;
            labeled = outer;
            sendLabeled(label, replies);
        }
    }

    /**
     * The command being handled answers later, from off the loop (OPER's password check): the
     * client's next lines wait until {@link #answer}, so replies keep the order of requests.
     */
    void awaitAnswer() {
        answerPending = true;
        connection.holdInput();
    }

    /** The waiting command's answer: sent, labeled if the command was, then the next lines are handled. */
    void answer(Runnable reply) {
        answerPending = false;
        String label = heldLabel;
        labeled = label == null ? null : heldReplies;
        heldLabel = null;
        heldReplies = null;
        try {
            reply.run();
        } finally {
            if (label != null) {
                List<String> replies = labeled;
                labeled = null;
                sendLabeled(label, replies);
            }
        }
        connection.releaseInput();
    }

    /** Whether a line's command, read from its bytes, is PRIVMSG or NOTICE. */
    static boolean carriesChatText(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (char skipped : new char[] {'@', ':'}) { // tags, then a source
            if (i < end && bytes[i] == skipped) {
                while (i < end && bytes[i] != ' ') {
                    i++;
                }
                while (i < end && bytes[i] == ' ') {
                    i++;
                }
            }
        }
        int start = i;
        while (i < end && bytes[i] != ' ') {
            i++;
        }
        String verb = new String(bytes, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        return verb.equalsIgnoreCase("PRIVMSG") || verb.equalsIgnoreCase("NOTICE");
    }

    /**
     * UTF8ONLY: a line that is not UTF-8 is refused with FAIL, whatever its command, rather
     * than passed on with replacement characters that its sender never wrote.
     */
    private void handle(IrcMessage message, boolean utf8) {
        if (utf8) {
            IrcCommands.dispatch(this, message);
        } else {
            send(new IrcMessage(Map.of(), dialect.serverName(), "FAIL", List.of(message.command(), "INVALID_UTF8",
                    "Message rejected: this server takes UTF-8 only")).toLine(true));
        }
    }

    /**
     * A labeled command's replies: none is an ACK, one carries the label, more come in a
     * {@code labeled-response} batch (IRCv3 labeled-response).
     */
    private void sendLabeled(String label, List<String> replies) {
        String escaped = IrcMessage.escapeTagValue(label);
        if (replies.isEmpty()) {
            send("@label=" + escaped + " :" + dialect.serverName() + " ACK");
        } else if (replies.size() == 1 || !has(Cap.BATCH) || isOneBatch(replies)) {
            send(withTag("label=" + escaped, replies.get(0)));
            for (int i = 1; i < replies.size(); i++) {
                send(replies.get(i));
            }
        } else {
            sendBatch("label=" + escaped, "labeled-response", replies);
        }
    }

    /** Whether the replies are one batch, start to end: its start then carries the label (labeled-response). */
    private static boolean isOneBatch(List<String> replies) {
        IrcMessage first = IrcMessage.parse(replies.get(0));
        IrcMessage last = IrcMessage.parse(replies.get(replies.size() - 1));
        if (!first.command().equals("BATCH") || !last.command().equals("BATCH") || first.params().isEmpty()
                || last.params().isEmpty() || !first.param(0).startsWith("+")
                || !last.param(0).equals("-" + first.param(0).substring(1))) {
            return false;
        }
        String ref = first.param(0).substring(1);
        for (String line : replies.subList(1, replies.size() - 1)) {
            if (!ref.equals(IrcMessage.parse(line).tags().get("batch"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lines that belong together, in a {@code BATCH} of {@code type} for clients with
     * {@code batch} (an empty one says "nothing"), one after another for the others.
     */
    void sendBatch(String type, List<String> lines) {
        if (!has(Cap.BATCH)) {
            lines.forEach(this::send);
            return;
        }
        sendBatch(null, type, lines);
    }

    private void sendBatch(String tag, String type, List<String> lines) {
        String batch = "B" + Long.toString(++batchCounter, 36);
        String open = ":" + dialect.serverName() + " BATCH +" + batch + " " + type;
        send(tag == null ? open : "@" + tag + " " + open);
        for (String line : lines) {
            send(withTag("batch=" + batch, line));
        }
        send(":" + dialect.serverName() + " BATCH -" + batch);
    }

    /** Batch ids of this connection. */
    private long batchCounter;

    /** {@code line} with one more tag in front of the others. */
    private static String withTag(String tag, String line) {
        return line.startsWith("@") ? "@" + tag + ";" + line.substring(1) : "@" + tag + " " + line;
    }

    @Override
    public void onFrameTooLong(long lengthSeen, int maxLength) {
        reply(Numeric.ERR_INPUTTOOLONG, "Input line was too long");
    }

    @Override
    public void onLimitExceeded(LimitKind limit, long figure, long max) {
        send("ERROR :Closing link: " + switch (limit) {
            case SEND_QUEUE -> "SendQ exceeded (" + figure + " bytes waiting, limit " + max + ")";
            case IDLE -> "Ping timeout (idle for " + figure + " seconds, limit " + max + ")";
            case MAX_CLIENTS -> "Server full";
            case MAX_PER_ADDRESS -> "Too many connections from your address";
        });
    }

    @Override
    public void onClose(CloseReason reason, String detail) {
        if (pingTimer != null) {
            pingTimer.cancel();
            pingTimer = null;
        }
        if (user != null) {
            String why = reason == CloseReason.QUIT && detail != null ? detail
                    : (reason == CloseReason.LIMIT || reason == CloseReason.IDLE) && detail != null ? detail
                    : reason.description();
            dialect.core().disconnect(user, why);
        }
    }

    @Override
    public void deliver(ChatEvent event) {
        if (event instanceof ChatEvent.Invited i && !i.target().equals(nick()) && !has(Cap.INVITE_NOTIFY)) {
            return; // someone else's invitation: a notification for invite-notify clients alone
        }
        if (event instanceof ChatEvent.AccountChanged && !has(Cap.ACCOUNT_NOTIFY)) {
            return;
        }
        byte[] shared = dialect.sharedLine(event, tagVariant(), charset.codec());
        if (shared != null) {
            if (shared.length == 0) {
                return; // a TAGMSG, for clients with message-tags only
            }
            if (labeled != null && !isToSelf(event)) {
                labeled.addAll(List.of(dialect.taggedLine(event, tagVariant()).split(IrcDialect.LINE_BREAK)));
            } else {
                connection.send(shared);
            }
            if (event instanceof ChatEvent.Joined j && j.who() != user && j.who().away() != null && has(Cap.AWAY_NOTIFY)) {
                send(new IrcMessage(Map.of(), IrcDialect.prefix(j.nick(), j.who()), "AWAY",
                        List.of(j.who().away())).toLine(true)); // away-notify: say so on join
            }
        } else if (event instanceof ChatEvent.ServerNotice notice) {
            send(":" + dialect.serverName() + " NOTICE " + nick() + " :" + notice.text());
        } else if (event instanceof ChatEvent.AwayChanged a) {
            if (has(Cap.AWAY_NOTIFY) && a.who() != user && sharesRoomOrMonitors(a.who())) {
                send(a.message() == null ? ":" + IrcDialect.prefix(a.who().nick(), a.who()) + " AWAY"
                        : new IrcMessage(Map.of(), IrcDialect.prefix(a.who().nick(), a.who()), "AWAY",
                                List.of(a.message())).toLine(true));
            }
        } else if (event instanceof ChatEvent.RealnameChanged r) {
            if (has(Cap.SETNAME) && (r.who() == user || sharesRoomOrMonitors(r.who()))) {
                send(new IrcMessage(Map.of(), IrcDialect.prefix(r.who().nick(), r.who()), "SETNAME",
                        List.of(r.realname())).toLine(true));
            }
        } else if (event instanceof ChatEvent.PresenceChanged presence) {
            if (presence.online()) {
                reply(Numeric.RPL_MONONLINE, IrcDialect.prefix(presence.nick(), presence.user()));
            } else {
                reply(Numeric.RPL_MONOFFLINE, presence.nick());
            }
        } else if (event instanceof ChatEvent.Redacted r) {
            if (has(Cap.MESSAGE_REDACTION)) {
                List<String> params = new ArrayList<>(List.of(r.room() != null ? r.room() : r.to(),
                        chat.server.core.MessageIds.text(r.id())));
                if (r.reason() != null) {
                    params.add(r.reason());
                }
                send(new IrcMessage(Map.of(), IrcDialect.prefix(r.by().nick(), r.by()), "REDACT", params)
                        .toLine(r.reason() != null));
            }
        } else if (event instanceof ChatEvent.MetadataChanged changed) {
            MetadataCommands.deliver(this, changed);
        } else if (event instanceof ChatEvent.ServerOperatorChanged changed) {
            ServerCommands.toldOperator(this, changed.on());
        } else if (event instanceof ChatEvent.Killed killed) {
            send("ERROR :Closing link: " + killed.quitReason());
            connection.close(CloseReason.QUIT, killed.quitReason());
        } else if (event instanceof ChatEvent.Ghosted ghosted) {
            send("ERROR :Closing link: " + ghosted.quitReason());
            connection.close(CloseReason.QUIT, ghosted.quitReason());
        }
    }

    // ---- registration ----

    boolean isRegistered() {
        return user != null;
    }

    @Override
    public boolean hasUser() {
        return user != null;
    }


    User user() {
        return user;
    }

    /** The client's nick, or {@code *} before it has one, as replies address it. */
    String nick() {
        return user != null ? user.nick() : pendingNick != null ? pendingNick : "*";
    }

    void pendingNick(String nick) {
        pendingNick = nick;
        maybeRegister();
    }

    void userInfo(String username, String realname) {
        this.username = username;
        this.realname = realname;
        maybeRegister();
    }

    void password(String password) {
        this.password = password;
    }

    /** A SASL PLAIN exchange in progress: the Base64 received so far. */
    static final class Sasl {
        private final StringBuilder received = new StringBuilder();

        void append(String chunk) {
            received.append(chunk);
        }

        int length() {
            return received.length();
        }

        @Override
        public String toString() {
            return received.toString();
        }
    }

    /** The SASL exchange in progress, or null. */
    private Sasl sasl;
    /** The account logged in to with SASL before registration; the user's own after. */
    private String account;

    Sasl sasl() {
        return sasl;
    }

    void sasl(Sasl exchange) {
        sasl = exchange;
    }

    /** The account this connection is logged in to, or null. */
    String account() {
        return user != null ? user.account() : account;
    }

    void account(String account) {
        this.account = account;
    }

    /** {@code nick!user@host} as 900 and 901 give it, before registration too. */
    String mask() {
        if (user != null) {
            return IrcDialect.prefix(user.nick(), user);
        }
        return nick() + "!" + (username == null ? "*" : userName(username)) + "@"
                + connection.peer().getAddress().getHostAddress();
    }

    /** True between CAP LS (or REQ) and CAP END before registration. */
    boolean negotiatingCaps() {
        return negotiatingCaps;
    }

    void negotiatingCaps(boolean negotiating) {
        negotiatingCaps = negotiating;
        maybeRegister();
    }

    /** The connection's charset, for CHARSET. */
    ConnectionCharset charset() {
        return charset;
    }

    /** Chosen by the client (CHARSET NAME): from now on this one, and no detection. */
    void chooseCharset(TextCodec codec) {
        charset = charset.owned();
        charset.choose(codec);
    }

    /** The metadata keys this client wants news of (METADATA SUB); created on first use. */
    java.util.Set<String> subscriptions() {
        if (subscriptions == null) {
            subscriptions = new java.util.LinkedHashSet<>();
        }
        return subscriptions;
    }

    /**
     * Keeps a key set before registration (draft/metadata-3's before-connect), or forgets it
     * when {@code value} is null; given to the user once it exists.
     *
     * @return false when {@link chat.server.core.Metadata#MAX_KEYS} are kept already
     */
    boolean keepBeforeRegistration(String key, String value) {
        if (metadataBeforeRegistration == null) {
            metadataBeforeRegistration = new java.util.LinkedHashMap<>();
        }
        if (value == null) {
            metadataBeforeRegistration.remove(key);
            return true;
        }
        if (!metadataBeforeRegistration.containsKey(key)
                && metadataBeforeRegistration.size() >= chat.server.core.Metadata.MAX_KEYS) {
            return false;
        }
        metadataBeforeRegistration.put(key, value);
        return true;
    }

    boolean invisible() {
        return invisible;
    }

    void invisible(boolean on) {
        invisible = on;
    }

    boolean has(Cap cap) {
        return (caps & cap.bit()) != 0;
    }

    void enable(Cap cap, boolean on) {
        caps = on ? caps | cap.bit() : caps & ~cap.bit();
    }

    /** The names of the enabled capabilities, space-separated. */
    String enabledCaps() {
        StringBuilder names = new StringBuilder();
        for (Cap cap : Cap.values()) {
            if (has(cap)) {
                names.append(names.length() == 0 ? "" : " ").append(cap.wireName());
            }
        }
        return names.toString();
    }


    /** Registers once NICK and USER are in and CAP negotiation, if any, is over. */
    private void maybeRegister() {
        if (user != null || pendingNick == null || username == null || negotiatingCaps) {
            return;
        }
        if (dialect.password() != null && !dialect.password().equals(password)) {
            reply(Numeric.ERR_PASSWDMISMATCH, "Password incorrect");
            quit("Bad password");
            return;
        }
        try {
            user = core().connect(this, pendingNick, new Identity(userName(username), realname,
                    connection.peer().getAddress()), account);
        } catch (ChatException e) {
            String refused = pendingNick;
            pendingNick = null; // before the reply, which must address the client as "*", not as the refused nick
            refuseNick(refused, e);
            return;
        }
        pendingNick = null;
        sasl = null;
        welcome();
        if (user.isServerOperator()) { // logged in by SASL to an operator account
            ServerCommands.toldOperator(this, true);
        }
        if (account != null) {
            AccountCommands.deliverKept(this, account);
        }
        if (metadataBeforeRegistration != null) {
            Map<String, String> kept = metadataBeforeRegistration;
            metadataBeforeRegistration = null;
            MetadataCommands.applyBeforeRegistration(this, kept);
        }
    }

    /**
     * The numeric for a nick refused: 433 for one in use or an account's (with ergo's words, and
     * how to log in), else 432.
     */
    void refuseNick(String nick, ChatException e) {
        switch (e.error()) {
            case NICK_TAKEN -> reply(Numeric.ERR_NICKNAMEINUSE, nick, "Nickname is already in use");
            case NICK_RESERVED -> reply(Numeric.ERR_NICKNAMEINUSE, nick,
                    "Nickname is reserved by a different account; log in to it with SASL or /msg NickServ IDENTIFY "
                            + nick + " PASSWORD");
            default -> reply(Numeric.ERR_ERRONEUSNICKNAME, nick, "Erroneous nickname");
        }
    }

    /** What IRC shows of a user name: its safe characters, short, marked as not verified. */
    private static String userName(String given) {
        StringBuilder kept = new StringBuilder("~");
        for (int i = 0; i < given.length() && kept.length() <= USERNAME_LENGTH; i++) {
            char c = given.charAt(i);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
                kept.append(c);
            }
        }
        return kept.length() == 1 ? "~u" : kept.toString();
    }

    private void welcome() {
        String nick = user.nick();
        reply(Numeric.RPL_WELCOME, "Welcome to the " + dialect.network() + " IRC network, "
                + IrcDialect.prefix(nick, user));
        reply(Numeric.RPL_YOURHOST, "Your host is " + dialect.serverName() + ", running version " + VERSION);
        reply(Numeric.RPL_CREATED, "This server was created " + dialect.created());
        replyParams(Numeric.RPL_MYINFO, List.of(dialect.serverName(), VERSION, "Biow", "beIiklmnostv"), false);
        for (List<String> tokens : Isupport.lines(dialect)) {
            List<String> params = new ArrayList<>(tokens);
            params.add("are supported by this server");
            replyParams(Numeric.RPL_ISUPPORT, params, true);
        }
        ServerCommands.lusers(this);
        ServerCommands.motd(this);
    }

    // ---- sending ----

    ChatCore core() {
        return dialect.core();
    }

    IrcDialect dialect() {
        return dialect;
    }

    Connection connection() {
        return connection;
    }

    /** A numeric to this client: {@code :server NUMERIC nick params...}, the last in trailing form. */
    void reply(String numeric, String... params) {
        replyParams(numeric, List.of(params), true);
    }

    void replyParams(String numeric, List<String> params, boolean trailing) {
        List<String> all = new ArrayList<>(params.size() + 1);
        all.add(nick());
        for (int i = 0; i < params.size(); i++) {
            String param = params.get(i);
            // A client's own word echoed back (an empty target, ":x") cannot be a middle
            // parameter: it is shown as "*", as ergo does, rather than break the line.
            boolean middle = i < params.size() - 1;
            all.add(middle && (param.isEmpty() || param.charAt(0) == ':' || param.indexOf(' ') >= 0) ? "*" : param);
        }
        send(new IrcMessage(Map.of(), dialect.serverName(), numeric, all).toLine(trailing));
    }

    /** A line from the server itself. */
    void sendFromServer(String command, String... params) {
        send(new IrcMessage(Map.of(), dialect.serverName(), command, List.of(params)).toLine(true));
    }

    /**
     * Whether news of {@code other} is for this client: it shares a room with it, or monitors
     * it with extended-monitor (the core tells watchers too, whatever their capabilities).
     */
    private boolean sharesRoomOrMonitors(chat.server.core.User other) {
        for (chat.server.core.Room room : other.rooms()) {
            if (user != null && user.isIn(room)) {
                return true;
            }
        }
        return has(Cap.EXTENDED_MONITOR);
    }

    /**
     * A message this client sent to itself, as its recipient: with echo-message it gets it
     * twice, and only the echo belongs to a labeled command's reply.
     */
    private boolean isToSelf(ChatEvent event) {
        return event instanceof ChatEvent.PrivateMessage m && m.from() == user && !echoing;
    }

    /** True while {@link #echo} delivers: the copy that answers the command. */
    private boolean echoing;

    /** echo-message: the sender gets its message as the others got it. */
    void echo(ChatEvent sent) {
        echoing = true;
        try {
            deliver(sent);
        } finally {
            echoing = false;
        }
    }

    /** Which tags this client's copy of a shared line carries ({@link IrcDialect#TIME}...). */
    int tagVariant() {
        return (has(Cap.SERVER_TIME) ? IrcDialect.TIME : 0) | (has(Cap.MESSAGE_TAGS) ? IrcDialect.MESSAGE_TAGS : 0)
                | (has(Cap.MULTILINE) && has(Cap.BATCH) && has(Cap.MESSAGE_TAGS) ? IrcDialect.MULTILINE : 0)
                | (has(Cap.ACCOUNT_TAG) ? IrcDialect.ACCOUNT_TAG : 0) | (has(Cap.EXTENDED_JOIN) ? IrcDialect.EXTENDED_JOIN : 0);
    }

    /**
     * Sends one line, or keeps it for a labeled command's reply; the CR LF is added here. A line
     * over 512 bytes loses the end of its last parameter ({@link IrcLines}).
     */
    void send(String line) {
        line = IrcLines.fit(line);
        if (labeled != null) {
            labeled.add(line);
            return;
        }
        byte[] bytes = charset.codec().encode(line + "\r\n").bytes();
        if (aheadOf != null) {
            connection.sendAhead(aheadOf, bytes);
        } else {
            connection.send(bytes);
        }
    }

    /** The hold whose place {@link #sendAhead} fills while it runs; null otherwise. */
    private Connection.Hold aheadOf;

    /** Runs {@code sending}, its lines going in {@code hold}'s place, ahead of output held back meanwhile. */
    void sendAhead(Connection.Hold hold, Runnable sending) {
        List<String> outer = labeled;
        labeled = null;
        aheadOf = hold;
        try {
            sending.run();
        } finally {
            aheadOf = null;
            labeled = outer;
        }
    }

    /** Says ERROR and closes, as QUIT and a bad password do. */
    void quit(String reason) {
        send("ERROR :Closing link: " + reason);
        connection.close(CloseReason.QUIT, reason);
    }
}
