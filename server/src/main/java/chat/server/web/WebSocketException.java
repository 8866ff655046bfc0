package chat.server.web;

import chat.server.net.TransportProtocolException;

/**
 * A WebSocket peer broke RFC 6455; carries the close code that says how (1002 protocol error,
 * 1007 invalid text, 1009 too big), which is sent to the peer before the connection closes.
 */
public final class WebSocketException extends TransportProtocolException {

    private static final long serialVersionUID = 1L;

    /** The endpoint received something that breaks the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** A text message was not UTF-8. */
    public static final int INVALID_DATA = 1007;
    /** A message larger than the endpoint takes. */
    public static final int TOO_BIG = 1009;

    private final int closeCode;

    public WebSocketException(int closeCode, String message) {
        super("WebSocket: " + message);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
