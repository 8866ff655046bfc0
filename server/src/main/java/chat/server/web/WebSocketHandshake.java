package chat.server.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The server's side of the WebSocket opening handshake (RFC 6455, section 4.2): the accept key,
 * and the subprotocol chosen from the client's list, one of the two the IRCv3 WebSocket
 * specification names.
 */
final class WebSocketHandshake {

    static final String TEXT_PROTOCOL = "text.ircv3.net";
    static final String BINARY_PROTOCOL = "binary.ircv3.net";
    /** The RFC's fixed GUID, appended to the client's key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WebSocketHandshake() {
    }

    /** Whether {@code key} is what the RFC asks: 16 random bytes in base64. */
    static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.strip()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code Sec-WebSocket-Accept} value for a client's key. */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key.strip() + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is in every JDK", e);
        }
    }

    /**
     * The subprotocol to answer with: the first of the client's list that this server speaks, or
     * null when the client offered none of them (then it gets text frames and no header).
     */
    static String chooseProtocol(String offered) {
        if (offered == null) {
            return null;
        }
        for (String part : offered.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.equals(TEXT_PROTOCOL) || name.equals(BINARY_PROTOCOL)) {
                return name;
            }
        }
        return null;
    }

    /** The 101 response that completes the handshake. */
    static byte[] response(String key, String protocol) {
        return ("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n"
                + (protocol == null ? "" : "Sec-WebSocket-Protocol: " + protocol + "\r\n")
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
