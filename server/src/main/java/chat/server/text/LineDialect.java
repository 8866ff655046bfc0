package chat.server.text;

import chat.common.TextCodec;
import chat.server.core.ChatCore;
import chat.server.history.History;
import chat.server.net.Connection;
import chat.server.net.LimitKind;
import chat.server.net.Protocol;
import chat.server.net.ProtocolHandler;

/**
 * The native line dialect of one server: makes a {@link LineSession} per connection and holds
 * what those sessions share (the core, the per-event encoding cache, the default charset).
 *
 * <p>Loop thread only.
 */
public final class LineDialect implements Protocol {

    private final ChatCore core;
    private final TextCodec defaultCodec;
    private final int maxLineBytes;
    private final EncodedLines encodedLines = new EncodedLines();
    private final HistoryLines historyLines = new HistoryLines();
    private final History history;

    /** Without history. */
    public LineDialect(ChatCore core, TextCodec defaultCodec, int maxLineBytes) {
        this(core, defaultCodec, maxLineBytes, History.off());
    }

    /**
     * @param maxLineBytes longest line accepted ({@code --max-line})
     * @param history what was said, for replays and {@code /history}
     */
    public LineDialect(ChatCore core, TextCodec defaultCodec, int maxLineBytes, History history) {
        this.core = core;
        this.defaultCodec = defaultCodec;
        this.maxLineBytes = maxLineBytes;
        this.history = history;
    }

    /** Accounts, or null when they are off. */
    private chat.server.accounts.Accounts accounts;

    History history() {
        return history;
    }

    /** Gives the dialect the server's accounts; without, the account commands say they are off. */
    public void accounts(chat.server.accounts.Accounts accounts) {
        this.accounts = accounts;
    }

    chat.server.accounts.Accounts accounts() {
        return accounts;
    }

    /** The server's figures now, for /stats; answers null until the server gives it its own. */
    private java.util.function.Supplier<chat.server.metrics.ServerStats> stats = () -> null;
    /** Checks operator passwords for /oper; null when no operator is configured. */
    private chat.server.auth.PasswordChecker operators;

    /** Gives the dialect the server's figures, for the operators' /stats. Before the loop runs. */
    public void stats(java.util.function.Supplier<chat.server.metrics.ServerStats> source) {
        this.stats = source;
    }

    java.util.function.Supplier<chat.server.metrics.ServerStats> stats() {
        return stats;
    }

    /** Gives the dialect the server operators (--oper), for /oper. Before the loop runs. */
    public void operators(chat.server.auth.PasswordChecker checker) {
        this.operators = checker;
    }

    chat.server.auth.PasswordChecker operators() {
        return operators;
    }

    @Override
    public ProtocolHandler newHandler(Connection connection) {
        return new LineSession(connection, this, defaultCodec);
    }

    ChatCore core() {
        return core;
    }

    EncodedLines encodedLines() {
        return encodedLines;
    }

    HistoryLines historyLines() {
        return historyLines;
    }

    @Override
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * What a client is told when it hits {@code limit}, in words and without the error mark, for
     * a refusal that must read well in every dialect.
     */
    public static String limitText(LimitKind limit, long figure, long max) {
        return LineFormatter.limitText(limit, figure, max);
    }

    /** Lines encoded since start; a broadcast adds one per distinct charset among its recipients. */
    public long encodings() {
        return encodedLines.encodings();
    }

    /** Characters replaced so far because a recipient's charset could not hold them. */
    public long unmappableCharacters() {
        return encodedLines.unmappable();
    }
}
