package chat.server;

import chat.server.irc.IrcDialect;
import chat.server.net.DetectedProtocol;
import chat.server.net.Dialects;
import chat.server.net.LimitKind;
import chat.server.net.Protocol;
import chat.server.net.RefusingProtocol;
import chat.server.text.LineDialect;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the chat port serves, by what a connection's first bytes said: the native line dialect,
 * IRC, HTTP for the web client (and its WebSocket, which carries IRC); a ClientHello on a server
 * without a certificate, or HTTP with the web client off, gets one answer in the client's own
 * terms and a close (no session, so no room hears of them).
 *
 * <p>Loop thread only.
 */
final class ServerDialects implements Dialects {

    /** Enough of an HTTP response for a browser to show why nothing else comes. */
    private static final String HTTP_ANSWER_BODY =
            "This chat server's web client is off: connect with nc, telnet, an IRC client or the chat client.\n";

    private final Map<DetectedProtocol, Protocol> protocols = new EnumMap<>(DetectedProtocol.class);

    /** @param web the web client's HTTP, or null to refuse HTTP ({@code --no-web}) */
    ServerDialects(LineDialect nativeDialect, IrcDialect ircDialect, Protocol web) {
        if (nativeDialect != null) {
            protocols.put(DetectedProtocol.NATIVE, nativeDialect);
        }
        protocols.put(DetectedProtocol.IRC, ircDialect);
        // A TLS client expects records; any text would show as garbage or a "wrong version" error.
        protocols.put(DetectedProtocol.TLS, new RefusingProtocol("TLS handshake", new byte[0]));
        protocols.put(DetectedProtocol.HTTP, web != null ? web : new RefusingProtocol("HTTP request", ascii(
                "HTTP/1.1 501 Not Implemented\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: " + HTTP_ANSWER_BODY.length() + "\r\n"
                        + "Connection: close\r\n"
                        + "\r\n"
                        + HTTP_ANSWER_BODY)));
    }

    /**
     * For the IRC-only port: IRC whatever the first line looks like (a client that starts with
     * tags, or a typo), TLS and HTTP refused as on the main port.
     */
    static ServerDialects ircOnly(IrcDialect ircDialect) {
        ServerDialects dialects = new ServerDialects(null, ircDialect, null);
        dialects.protocols.put(DetectedProtocol.NATIVE, ircDialect);
        return dialects;
    }

    @Override
    public Protocol protocolFor(DetectedProtocol detected) {
        return protocols.get(detected);
    }

    /**
     * An IRC {@code ERROR} line: an IRC client shows it as the reason it was refused, and a nc or
     * telnet user reads the words after the colon; a TLS or HTTP client fails as it would anyway.
     */
    @Override
    public byte[] acceptRefusal(LimitKind limit, long figure, long max) {
        return ascii("ERROR :" + LineDialect.limitText(limit, figure, max) + "\r\n");
    }

    /** An IRC {@code ERROR} line again: an IRC client shows it, a nc user reads it. */
    @Override
    public byte[] plaintextRefusal() {
        return ascii("ERROR :This port takes TLS only: connect with TLS (the chat client's --tls, irssi's -tls)\r\n");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
