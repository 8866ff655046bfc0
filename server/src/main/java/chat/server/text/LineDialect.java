package chat.server.text;

import chat.common.TextCodec;
import chat.server.core.ChatCore;
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
    private final EncodedLines encodedLines = new EncodedLines();

    public LineDialect(ChatCore core, TextCodec defaultCodec) {
        this.core = core;
        this.defaultCodec = defaultCodec;
    }

    @Override
    public ProtocolHandler newHandler(Connection connection) {
        return new LineSession(connection, core, encodedLines, defaultCodec);
    }

    @Override
    public byte[] refusal(LimitKind limit, long figure, long max) {
        return defaultCodec.encode(LineFormatter.limit(limit, figure, max) + "\n").bytes();
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
