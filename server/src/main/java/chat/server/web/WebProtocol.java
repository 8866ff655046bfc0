package chat.server.web;

import chat.server.net.Connection;
import chat.server.net.Protocol;
import chat.server.net.ProtocolHandler;

/**
 * HTTP on the chat port, for the web client: its files, and the WebSocket that carries IRC to it
 * (and to any web IRC client), handed over to {@code ircProtocol} once upgraded.
 *
 * <p>Loop thread only.
 */
public final class WebProtocol implements Protocol {

    /** Longest request line or header line; browsers send a few hundred bytes. */
    static final int MAX_LINE_BYTES = 8 * 1024;

    private final WebOptions options;
    private final WebResponder responder;
    private final Protocol ircProtocol;
    private final WebSocketBuffers buffers = new WebSocketBuffers();

    public WebProtocol(WebOptions options, WebFiles files, Protocol ircProtocol) {
        this.options = options;
        this.responder = new WebResponder(files, options.origins());
        this.ircProtocol = ircProtocol;
    }

    @Override
    public ProtocolHandler newHandler(Connection connection) {
        return new HttpSession(connection, this);
    }

    @Override
    public int maxLineBytes() {
        return MAX_LINE_BYTES;
    }

    /** Header lines are not chat: {@link HttpSession} bounds them by size, count and time instead. */
    @Override
    public boolean floodControlled() {
        return false;
    }

    WebOptions options() {
        return options;
    }

    WebResponder responder() {
        return responder;
    }

    Protocol ircProtocol() {
        return ircProtocol;
    }

    WebSocketBuffers buffers() {
        return buffers;
    }

    /**
     * Largest WebSocket message taken: one IRC line, its CRLF allowed (the IRCv3 mapping leaves
     * it out, but a client that sends it loses nothing).
     */
    long maxMessageBytes() {
        return ircProtocol.maxLineBytes() + 2L;
    }
}
