package chat.server.net;

import java.io.IOException;

/**
 * The peer broke the protocol of a transport (a WebSocket frame it may not send, say): the
 * transport has already answered in that protocol's terms, and the connection is closed as a
 * protocol error, logged with the peer, rather than as a reset.
 */
public class TransportProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public TransportProtocolException(String message) {
        super(message);
    }
}
