package chat.server.irc;

import chat.common.TextCodec;
import chat.common.Utf8;
import chat.server.core.ChatCore;
import chat.server.core.ChatEvent;
import chat.server.core.MessageKind;
import chat.server.core.User;
import chat.server.net.Connection;
import chat.server.net.Protocol;
import chat.server.net.ProtocolHandler;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The IRC dialect of one server (Modern IRC's client protocol): makes an {@link IrcSession} per
 * connection detected as IRC, and holds what those sessions share: the core, the server's name
 * and the network's, the MOTD, and the last event's line, encoded once for every IRC recipient.
 *
 * <p>Loop thread only.
 */
public final class IrcDialect implements Protocol {

    /**
     * Longest line framed: 512 bytes of message (CR LF included) and 8,191 of tags, the IRCv3
     * limits. The 512 is checked per message, with the standard error, not by the framing.
     */
    static final int MAX_LINE_BYTES = 8191 + 512;
    /** Longest message without its tags, CR LF included (Modern IRC). */
    static final int MAX_MESSAGE_BYTES = 512;

    private final ChatCore core;
    private final chat.server.history.History history;
    /** Name, network, description, MOTD, server password (null when none is asked), pings. */
    /** Replaced whole by a configuration reload; read and written on the loop. */
    private IrcOptions options;
    private final String created;
    /** Silence before a PING, and again before the close, in milliseconds; 0 for never. */
    private final long pingIntervalMillis;
    /** Checks OPER passwords off the loop; null when no operator is configured. */
    private final chat.server.auth.PasswordChecker operators;
    /** The event whose lines are cached. */
    private ChatEvent cachedEvent;
    /** Its line without tags (CR LF excluded), or null when its line depends on the recipient. */
    private String cachedText;
    /** Its time and msgid tags, as written. */
    private String cachedTime;
    private String cachedMsgid;
    /** Its encoded lines by tag variant ({@link #TIME}, {@link #MESSAGE_TAGS}), made on demand. */
    private final byte[][] cachedLines = new byte[VARIANTS][];
    /** The account of the user whose doing the cached event is (account-tag), or null. */
    private String cachedAccount;
    /** The cached event's parts when it is a multiline message, else null. */
    private chat.server.core.Multiline cachedMultiline;
    /** The same for recipients on other charsets than UTF-8, by charset; empty for most events. */
    private final java.util.Map<java.nio.charset.Charset, byte[][]> legacyLines = new java.util.HashMap<>();
    /** Lines encoded since start, for tests: one per event, tag variant and charset. */
    private long encodings;
    /** Characters a recipient's charset could not hold, since start. */
    private long unmappable;
    /** Makes message ids unique across restarts: the start time, then a counter. */
    private final String msgidPrefix = Long.toString(System.currentTimeMillis(), 36);
    private long msgidCounter;

    /** Tag variant bits: a recipient with server-time; with message-tags. */
    static final int TIME = 1;
    static final int MESSAGE_TAGS = 2;
    /** A recipient with draft/multiline (and batch and message-tags): a multiline message as its batch. */
    static final int MULTILINE = 4;
    /** A recipient with account-tag: a logged-in sender's account as {@code account=NAME}. */
    static final int ACCOUNT_TAG = 8;
    /** A recipient with extended-join: a JOIN names the joiner's account and real name. */
    static final int EXTENDED_JOIN = 16;
    private static final int VARIANTS = 32;
    /** The variant bits that put tags on a line. */
    private static final int TAG_BITS = TIME | MESSAGE_TAGS | ACCOUNT_TAG;

    /** With the options' presentation, no operators and no pings: for tests of one command. */
    public IrcDialect(ChatCore core, IrcOptions options) {
        this(core, options, null, chat.server.history.History.off());
    }

    /**
     * @param operators checks OPER credentials off the loop; null when there are none
     * @param history what was said, for CHATHISTORY and replays on join
     */
    public IrcDialect(ChatCore core, IrcOptions options, chat.server.auth.PasswordChecker operators,
            chat.server.history.History history) {
        this.core = core;
        this.history = history;
        this.options = options;
        this.operators = operators;
        this.pingIntervalMillis = options.pingIntervalSeconds() * 1000L;
        this.created = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
    }

    @Override
    public ProtocolHandler newHandler(Connection connection) {
        return new IrcSession(connection, this);
    }

    @Override
    public int maxLineBytes() {
        return MAX_LINE_BYTES;
    }

    ChatCore core() {
        return core;
    }

    chat.server.history.History history() {
        return history;
    }

    String serverName() {
        return options.serverName();
    }

    String network() {
        return options.network();
    }

    String description() {
        return options.description();
    }

    /**
     * Takes a reloaded configuration's MOTD and server password; the server's name, network and
     * ping interval, which clients were told at registration, stay as they are. On the loop.
     */
    public void reload(IrcOptions next) {
        options = new IrcOptions(options.serverName(), options.network(), options.description(), next.motd(),
                next.password(), next.operators(), options.pingIntervalSeconds());
    }

    List<String> motd() {
        return options.motd();
    }

    String password() {
        return options.password();
    }

    String created() {
        return created;
    }

    long pingIntervalMillis() {
        return pingIntervalMillis;
    }

    /** Accounts, or null when they are off. */
    private chat.server.accounts.Accounts accounts;

    /** Gives the dialect the server's accounts: SASL, NickServ, account-notify and the rest. */
    public void accounts(chat.server.accounts.Accounts accounts) {
        this.accounts = accounts;
    }

    chat.server.accounts.Accounts accounts() {
        return accounts;
    }

    chat.server.auth.PasswordChecker operators() {
        return operators;
    }

    /** The server's figures now, for STATS; answers null until the server gives it its own. */
    private java.util.function.Supplier<chat.server.metrics.ServerStats> stats = () -> null;

    /** Gives the dialect the server's figures, for the operators' STATS. Before the loop runs. */
    public void stats(java.util.function.Supplier<chat.server.metrics.ServerStats> source) {
        this.stats = source;
    }

    java.util.function.Supplier<chat.server.metrics.ServerStats> stats() {
        return stats;
    }

    /**
     * The line for an event that reads the same for every IRC recipient with the same tag
     * capabilities ({@code variant}: {@link #TIME}, {@link #MESSAGE_TAGS}), encoded once per
     * variant: the core hands one event to all its recipients before it makes the next, so the
     * last one is enough. Null for an event whose line depends on the recipient; empty for one
     * this recipient does not get (a TAGMSG without message-tags).
     */
    byte[] sharedLine(ChatEvent event, int variant) {
        if (event != cachedEvent) {
            cachedEvent = event;
            String text = lineFor(event);
            cachedText = text == null ? null : IrcLines.fit(text);
            cachedMultiline = multilineOf(event);
            User actor = actor(event);
            cachedAccount = actor == null ? null : actor.account();
            cachedTime = null;
            cachedMsgid = null;
            java.util.Arrays.fill(cachedLines, null);
            if (!legacyLines.isEmpty()) {
                legacyLines.clear();
            }
        }
        if (cachedText == null) {
            return null;
        }
        if (isTagsOnly(event) && (variant & MESSAGE_TAGS) == 0) {
            return EMPTY;
        }
        variant = effective(variant);
        byte[] line = cachedLines[variant];
        if (line == null) {
            line = TextCodec.UTF_8.encode(render(variant) + "\r\n").bytes();
            cachedLines[variant] = line;
            encodings++;
        }
        return line;
    }

    /**
     * The same for a recipient on {@code codec}: UTF-8 recipients share the lines above; the
     * others (CHARSET GBK...) get them encoded once per charset and variant.
     */
    byte[] sharedLine(ChatEvent event, int variant, TextCodec codec) {
        byte[] utf8 = sharedLine(event, variant);
        if (utf8 == null || utf8.length == 0 || java.nio.charset.StandardCharsets.UTF_8.equals(codec.charset())) {
            return utf8;
        }
        variant = effective(variant);
        byte[][] lines = legacyLines.computeIfAbsent(codec.charset(), c -> new byte[VARIANTS][]);
        if (lines[variant] == null) {
            TextCodec.Encoded encoded = codec.encode(render(variant) + "\r\n");
            lines[variant] = encoded.bytes();
            unmappable += encoded.unmappable();
            encodings++;
        }
        return lines[variant];
    }

    /** Characters an IRC recipient's charset could not hold, sent as {@code ?}. */
    public long unmappableCharacters() {
        return unmappable;
    }

    /** The line for a recipient without tag capabilities. */
    byte[] sharedLine(ChatEvent event) {
        return sharedLine(event, 0);
    }

    /** Lines encoded since start: one per event and tag variant. */
    long encodings() {
        return encodings;
    }

    /** The cached event's line with the tags of {@code variant}, without CR LF. */
    String taggedLine(ChatEvent event, int variant) {
        sharedLine(event, variant);
        return cachedText == null ? null : render(effective(variant));
    }

    /** The variant a recipient gets of the cached event: the multiline form only for a multiline message. */
    private int effective(int variant) {
        if (cachedMultiline == null) {
            variant &= ~MULTILINE;
        }
        if (!(cachedEvent instanceof ChatEvent.Joined)) {
            variant &= ~EXTENDED_JOIN;
        }
        if (cachedAccount == null) {
            variant &= ~ACCOUNT_TAG;
        }
        return variant;
    }

    /** The user whose doing an event is (account-tag names its account), or null for the server's. */
    private static User actor(ChatEvent event) {
        if (event instanceof ChatEvent.RoomMessage m) {
            return m.from();
        }
        if (event instanceof ChatEvent.PrivateMessage m) {
            return m.from();
        }
        if (event instanceof ChatEvent.Joined j) {
            return j.who();
        }
        if (event instanceof ChatEvent.Parted p) {
            return p.who();
        }
        if (event instanceof ChatEvent.NickChanged n) {
            return n.who();
        }
        if (event instanceof ChatEvent.Quit q) {
            return q.who();
        }
        if (event instanceof ChatEvent.TopicChanged t) {
            return t.by();
        }
        if (event instanceof ChatEvent.Kicked k) {
            return k.by();
        }
        if (event instanceof ChatEvent.ModeChanged m) {
            return m.by();
        }
        if (event instanceof ChatEvent.Wallops w) {
            return w.from();
        }
        if (event instanceof ChatEvent.Invited i) {
            return i.by();
        }
        return event instanceof ChatEvent.AccountChanged a ? a.who() : null;
    }

    /** The cached event's lines for {@code variant}. */
    private String render(int variant) {
        if ((variant & MULTILINE) != 0) {
            return multilineBatch(variant);
        }
        return tagged(variant, (variant & EXTENDED_JOIN) != 0 ? extendedJoin((ChatEvent.Joined) cachedEvent) : cachedText);
    }

    /** extended-join's JOIN: {@code JOIN #room account :real name}, {@code *} for no account. */
    private static String extendedJoin(ChatEvent.Joined j) {
        User who = j.who();
        return IrcLines.fit(from(who, j.nick(), "JOIN", j.room(), who.account() == null ? "*" : who.account(),
                who.identity().realname()).toLine(true));
    }

    /**
     * A multiline message for a recipient with draft/multiline: one {@code draft/multiline} batch
     * whose start carries the time, msgid and client tags, then each part as it was sent, a part
     * that continues the one before marked {@code draft/multiline-concat}.
     */
    private String multilineBatch(int variant) {
        User from;
        String target;
        MessageKind kind;
        if (cachedEvent instanceof ChatEvent.RoomMessage m) {
            from = m.from();
            target = m.audience().prefix() + m.room();
            kind = m.kind();
        } else {
            ChatEvent.PrivateMessage m = (ChatEvent.PrivateMessage) cachedEvent;
            from = m.from();
            target = m.to();
            kind = m.kind();
        }
        String prefix = ":" + prefix(from.nick(), from);
        String ref = "ml" + chat.server.core.MessageIds.text(messageId(cachedEvent)); // unique on every connection
        String start = tagLine(variant & ~MULTILINE, prefix + " BATCH +" + ref + " draft/multiline " + target, 0);
        String command = kind == MessageKind.NOTICE ? "NOTICE" : "PRIVMSG";
        String head = prefix + " " + command + " " + target + " :";
        // A part that would be relayed over 512 bytes with its sender's prefix goes out as several
        // lines, the later ones marked to continue it: the client joins them back into the part.
        int room = MAX_MESSAGE_BYTES - 2 - Utf8.length(head);
        StringBuilder lines = new StringBuilder(start);
        for (int i = 0; i < cachedMultiline.parts().size(); i++) {
            String part = cachedMultiline.parts().get(i);
            boolean concat = cachedMultiline.continues(i);
            int at = 0;
            do {
                int end = room < 8 ? part.length() : Utf8.endWithin(part, at, room);
                lines.append(LINE_BREAK).append("@batch=").append(ref)
                        .append(concat ? ";" + MultilineCommands.CONCAT : "")
                        .append(' ').append(head).append(part, at, end);
                at = end;
                concat = true;
            } while (at < part.length());
        }
        return lines.append(LINE_BREAK).append(prefix).append(" BATCH -").append(ref).toString();
    }

    private static chat.server.core.Multiline multilineOf(ChatEvent event) {
        if (event instanceof ChatEvent.RoomMessage m) {
            return m.lines();
        }
        return event instanceof ChatEvent.PrivateMessage p ? p.lines() : null;
    }

    private static final byte[] EMPTY = new byte[0];

    /** Each line of the event with the tags of {@code variant}; a message cut in several gets them on each. */
    private String tagged(int variant, String text) {
        if ((variant & TAG_BITS) == 0) {
            return text;
        }
        if (!text.contains(LINE_BREAK)) {
            return tagLine(variant, text, 0);
        }
        String[] lines = text.split(LINE_BREAK);
        StringBuilder tagged = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            tagged.append(i == 0 ? "" : LINE_BREAK).append(tagLine(variant, lines[i], i));
        }
        return tagged.toString();
    }

    /** One line with its tags; the {@code part}th line of a cut message gets a msgid of its own. */
    private String tagLine(int variant, String text, int part) {
        StringBuilder tags = new StringBuilder("@");
        if ((variant & TIME) != 0) {
            if (cachedTime == null) {
                long said = messageTime(cachedEvent);
                cachedTime = TIME_FORMAT.format(said > 0 ? java.time.Instant.ofEpochMilli(said) : java.time.Instant.now());
            }
            tags.append("time=").append(cachedTime);
        }
        if ((variant & ACCOUNT_TAG) != 0) {
            tags.append(tags.length() > 1 ? ";" : "").append("account=").append(IrcMessage.escapeTagValue(cachedAccount));
        }
        if ((variant & MESSAGE_TAGS) != 0) {
            if (cachedMsgid == null) {
                long id = messageId(cachedEvent);
                cachedMsgid = id > 0 ? chat.server.core.MessageIds.text(id) : msgidPrefix + "-" + Long.toString(++msgidCounter, 36);
            }
            if (part == 0 || cachedMultiline == null) { // a multiline message's fallback lines share one id, on the first
                tags.append(tags.length() > 1 ? ";" : "").append("msgid=").append(cachedMsgid)
                        .append(part == 0 ? "" : "-" + part);
            }
            if (isFromBot(cachedEvent)) {
                tags.append(";bot");
            }
            for (Map.Entry<String, String> tag : clientTags(cachedEvent).entrySet()) {
                tags.append(';').append(tag.getKey());
                if (!tag.getValue().isEmpty()) {
                    tags.append('=').append(IrcMessage.escapeTagValue(tag.getValue()));
                }
            }
        }
        return tags.append(' ').append(text).toString();
    }

    /** A time as the server-time tag writes it: {@code 2026-12-01T04:45:00.000Z}. */
    static String formatTime(long epochMillis) {
        return TIME_FORMAT.format(java.time.Instant.ofEpochMilli(epochMillis));
    }

    /** A time a client wrote in ISO 8601 UTC ({@code 2026-12-01T04:45:00.000Z}); -1 when it is not one. */
    static long parseTime(String text) {
        try {
            long millis = java.time.Instant.parse(text).toEpochMilli();
            return millis < 0 ? -1 : millis;
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            return -1;
        }
    }

    private static final java.time.format.DateTimeFormatter TIME_FORMAT =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** The core's id of a message, which history keeps it under; 0 for other events. */
    private static long messageId(ChatEvent event) {
        if (event instanceof ChatEvent.RoomMessage m) {
            return m.id();
        }
        return event instanceof ChatEvent.PrivateMessage p ? p.id() : 0;
    }

    private static long messageTime(ChatEvent event) {
        if (event instanceof ChatEvent.RoomMessage m) {
            return m.time();
        }
        return event instanceof ChatEvent.PrivateMessage p ? p.time() : 0;
    }

    private static Map<String, String> clientTags(ChatEvent event) {
        if (event instanceof ChatEvent.RoomMessage m) {
            return m.tags();
        }
        if (event instanceof ChatEvent.PrivateMessage p) {
            return p.tags();
        }
        return Map.of();
    }

    private static boolean isFromBot(ChatEvent event) {
        return event instanceof ChatEvent.RoomMessage m && m.from().isBot()
                || event instanceof ChatEvent.PrivateMessage p && p.from().isBot();
    }

    private static boolean isTagsOnly(ChatEvent event) {
        return event instanceof ChatEvent.RoomMessage m && m.kind() == MessageKind.TAGMSG
                || event instanceof ChatEvent.PrivateMessage p && p.kind() == MessageKind.TAGMSG;
    }

    /** The line for an event, without CR LF; text always in the trailing form, as clients expect. */
    private static String lineFor(ChatEvent event) {
        if (event instanceof ChatEvent.RoomMessage m) {
            return m.lines() != null ? fallback(m.from(), m.kind(), m.audience().prefix() + m.room(), m.lines())
                    : message(m.from(), m.kind(), m.audience().prefix() + m.room(), m.text());
        }
        if (event instanceof ChatEvent.PrivateMessage m) {
            return m.lines() != null ? fallback(m.from(), m.kind(), m.to(), m.lines())
                    : message(m.from(), m.kind(), m.to(), m.text());
        }
        if (event instanceof ChatEvent.Joined j) {
            return from(j.who(), j.nick(), "JOIN", j.room()).toLine();
        }
        if (event instanceof ChatEvent.Parted p) {
            return p.reason() == null || p.reason().isEmpty()
                    ? from(p.who(), p.nick(), "PART", p.room()).toLine()
                    : from(p.who(), p.nick(), "PART", p.room(), p.reason()).toLine(true);
        }
        if (event instanceof ChatEvent.NickChanged n) {
            return from(n.who(), n.oldNick(), "NICK", n.newNick()).toLine();
        }
        if (event instanceof ChatEvent.Quit q) {
            return from(q.who(), q.nick(), "QUIT", q.reason() == null ? "" : q.reason()).toLine(true);
        }
        if (event instanceof ChatEvent.TopicChanged t) {
            return from(t.by(), t.by().nick(), "TOPIC", t.room(), t.topic()).toLine(true);
        }
        if (event instanceof ChatEvent.Kicked k) {
            String reason = k.reason() == null || k.reason().isEmpty() ? k.by().nick() : k.reason();
            return from(k.by(), k.by().nick(), "KICK", k.room(), k.target(), reason).toLine(true);
        }
        if (event instanceof ChatEvent.ModeChanged m) {
            List<String> params = new java.util.ArrayList<>();
            params.add(m.room());
            params.add(modeLetters(m.changes()));
            for (chat.server.core.ModeChange change : m.changes()) {
                if (change.param() != null) {
                    params.add(change.param());
                }
            }
            if (m.byRegistration()) { // ChanServ's doing, as ergo shows it
                return new IrcMessage(Map.of(), ChanServCommands.CHANSERV_PREFIX, "MODE", params).toLine();
            }
            return from(m.by(), m.by().nick(), "MODE", params.toArray(new String[0])).toLine();
        }
        if (event instanceof ChatEvent.Wallops w) {
            return from(w.from(), w.from().nick(), "WALLOPS", w.text()).toLine(true);
        }
        if (event instanceof ChatEvent.Invited i) {
            return from(i.by(), i.by().nick(), "INVITE", i.target(), i.room()).toLine();
        }
        if (event instanceof ChatEvent.AccountChanged a) {
            return from(a.who(), a.who().nick(), "ACCOUNT", a.account() == null ? "*" : a.account()).toLine();
        }
        return null; // server notices name their recipient
    }

    /** {@code +ov-k}: the letters of changes, a sign wherever the direction changes. */
    static String modeLetters(List<chat.server.core.ModeChange> changes) {
        StringBuilder letters = new StringBuilder();
        Boolean adding = null;
        for (chat.server.core.ModeChange change : changes) {
            if (adding == null || adding != change.add()) {
                adding = change.add();
                letters.append(adding ? '+' : '-');
            }
            letters.append(change.mode());
        }
        return letters.toString();
    }

    /**
     * A message as IRC lines: one, or, for text longer than an IRC client could send in one
     * message (a native line may be 4,096 bytes), several of at most 512 bytes, cut between
     * characters, each a whole PRIVMSG (or NOTICE, or ACTION) of its own, joined by CR LF.
     * Nothing is dropped.
     */
    private static String message(User from, MessageKind kind, String target, String text) {
        if (kind == MessageKind.TAGMSG) {
            return from(from, from.nick(), "TAGMSG", target).toLine();
        }
        String command = kind == MessageKind.NOTICE ? "NOTICE" : "PRIVMSG";
        String head = ":" + prefix(from.nick(), from) + " " + command + " " + target + " :";
        String open = kind == MessageKind.ACTION ? "\u0001ACTION " : "";
        String close = kind == MessageKind.ACTION ? "\u0001" : "";
        int room = MAX_MESSAGE_BYTES - 2 - Utf8.length(head) - Utf8.length(open) - Utf8.length(close);
        // No relayed line is over 512 bytes. An IRC client's message never needs cutting here: one
        // that would not fit with its sender's prefix was refused (fitsRelayed). Longer text,
        // a native line, goes out as several messages, none of it dropped.
        int length = Utf8.length(text);
        if (length <= room || room < 8) {
            return from(from, from.nick(), command, target, open + text + close).toLine(true);
        }
        StringBuilder lines = new StringBuilder();
        int start = 0;
        while (start < text.length()) {
            int end = Utf8.endWithin(text, start, room);
            if (lines.length() > 0) {
                lines.append(LINE_BREAK);
            }
            lines.append(head).append(open).append(text, start, end).append(close);
            start = end;
        }
        return lines.toString();
    }

    /**
     * A multiline message for a recipient without draft/multiline: each part that is not blank
     * as a message of its own, as it was cut, the way IRC clients have always seen pasted text.
     */
    private static String fallback(User from, MessageKind kind, String target, chat.server.core.Multiline lines) {
        StringBuilder text = new StringBuilder();
        for (String part : lines.parts()) {
            if (!part.isEmpty()) {
                text.append(text.length() == 0 ? "" : LINE_BREAK).append(message(from, kind, target, part));
            }
        }
        return text.length() == 0 ? message(from, kind, target, " ") : text.toString();
    }

    /** Between the lines of one event that took several (a long message). */
    static final String LINE_BREAK = "\r\n";

    /**
     * Whether {@code text}, said by {@code from} to {@code target} with {@code command} (PRIVMSG
     * or NOTICE, text as the client sent it), fits in one 512-byte line once relayed with the
     * sender's prefix. A message that does not is refused with ERR_INPUTTOOLONG rather than
     * cut on the way, so that nothing its sender was not told of is dropped.
     */
    static boolean fitsRelayed(User from, String command, String target, String text) {
        // The prefix measured in its parts (prefix()), not built: this runs for every message.
        int prefix = Utf8.length(from.nick()) + 1 + Utf8.length(from.identity().username()) + 1
                + Utf8.length(from.identity().host());
        int line = 1 + prefix + 1 + command.length() + 1 + Utf8.length(target) + 2
                + Utf8.length(text) + 2; // ":prefix COMMAND target :text\r\n"
        return line <= MAX_MESSAGE_BYTES;
    }

    private static IrcMessage from(User who, String nick, String command, String... params) {
        return new IrcMessage(Map.of(), prefix(nick, who), command, List.of(params));
    }

    /** {@code nick!user@host}. */
    static String prefix(String nick, User who) {
        return nick + "!" + who.identity().username() + "@" + who.identity().host();
    }
}
