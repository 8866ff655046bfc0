package chat.server.web;

import chat.server.net.HttpRequestHead;
import chat.server.net.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the chat port answers to an HTTP request: the web client's files for {@code GET} and
 * {@code HEAD}, a WebSocket upgrade (on {@value #WEBSOCKET_PATH}, or any path that asks for one), and a status with a short text
 * for everything else. Every answer carries a strict Content-Security-Policy (the page's own
 * scripts and styles only, its WebSocket to this origin, no framing), {@code nosniff} and no
 * referrer; files are revalidated by entity tag ({@code no-cache}, 304 when unchanged).
 *
 * <p>Knows no socket: a request head in, an {@link Answer} out. Stateless; any thread.
 */
final class WebResponder {

    static final String WEBSOCKET_PATH = "/ws";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** What to do with a request. */
    sealed interface Answer permits Response, Upgrade {
    }

    /** Send {@code bytes}; close the connection after them when {@code close}. */
    record Response(int status, byte[] bytes, boolean close) implements Answer {
    }

    /** Send the 101 and speak WebSocket from then on, with binary frames or text ones. */
    record Upgrade(byte[] response, boolean binary) implements Answer {
    }

    private final WebFiles files;
    private final List<String> origins;
    /** The Date header's value, now. */
    private final Supplier<String> date;

    WebResponder(WebFiles files, List<String> origins) {
        this(files, origins, () -> DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    }

    WebResponder(WebFiles files, List<String> origins, Supplier<String> date) {
        this.files = files;
        this.origins = origins;
        this.date = date;
    }

    /** The answer to a request head that could not be read. */
    Response malformed(String why) {
        return status(400, "Bad Request", why, true);
    }

    /** The answer to a request head larger than the limit. */
    Response tooLarge(int limit) {
        return status(431, "Request Header Fields Too Large", "request head over " + limit + " bytes", true);
    }

    /** The answer to a client that sent part of a head and then nothing in time. */
    Response timedOut(long millis) {
        return status(408, "Request Timeout", "no complete request within " + millis + " ms", true);
    }

    /** The answer to {@code request}; {@code lastOnConnection} closes the connection after it. */
    Answer answer(HttpRequestHead request, boolean lastOnConnection) {
        // A body is never read: closing after the answer keeps it from being taken for a request.
        boolean close = lastOnConnection || !request.keepAlive() || request.hasBody();
        String path = request.path();
        if (!path.startsWith("/")) {
            return status(400, "Bad Request", "the request target must be a path", true);
        }
        // A WebSocket upgrade is taken on any path, as IRC servers do (web IRC clients are set up
        // with a bare ws://host:port); /ws is where the web client opens it.
        if (path.equals(WEBSOCKET_PATH) || request.headerHasToken("upgrade", "websocket")) {
            return upgrade(request, close);
        }
        boolean head = request.method().equals("HEAD");
        if (!head && !request.method().equals("GET")) {
            return response(405, "Method Not Allowed", "Allow: GET, HEAD\r\n", text(request.method() + " is not allowed here"),
                    "text/plain; charset=utf-8", true, close);
        }
        WebFiles.WebFile file = files.find(path);
        if (file == null) {
            return status(404, "Not Found", "no such page: " + printable(path), close);
        }
        String validators = "ETag: " + file.etag() + "\r\nCache-Control: no-cache\r\n";
        if (request.headerHasToken("if-none-match", file.etag()) || "*".equals(request.header("if-none-match"))) {
            return response(304, "Not Modified", validators, new byte[0], null, false, close);
        }
        return response(200, "OK", validators, file.bytes(), file.contentType(), !head, close);
    }

    private Answer upgrade(HttpRequestHead request, boolean close) {
        if (!request.method().equals("GET")) {
            return response(405, "Method Not Allowed", "Allow: GET\r\n", text("a WebSocket opens with GET"),
                    "text/plain; charset=utf-8", true, close);
        }
        if (!request.headerHasToken("upgrade", "websocket") || !request.headerHasToken("connection", "upgrade")) {
            return response(426, "Upgrade Required", "Upgrade: websocket\r\nConnection: Upgrade\r\n",
                    text("this address is the chat's WebSocket: open it with a WebSocket client"),
                    "text/plain; charset=utf-8", true, close);
        }
        if (!"13".equals(request.header("sec-websocket-version"))) {
            return response(426, "Upgrade Required", "Sec-WebSocket-Version: 13\r\n",
                    text("WebSocket version 13 is the one spoken here"), "text/plain; charset=utf-8", true, true);
        }
        String key = request.header("sec-websocket-key");
        if (!WebSocketHandshake.validKey(key)) {
            return status(400, "Bad Request", "Sec-WebSocket-Key must be 16 bytes in base64", true);
        }
        if (!originAllowed(request.header("origin"), request.header("host"))) {
            return status(403, "Forbidden", "pages from " + printable(request.header("origin"))
                    + " may not open this server's WebSocket", true);
        }
        String protocol = WebSocketHandshake.chooseProtocol(request.header("sec-websocket-protocol"));
        return new Upgrade(WebSocketHandshake.response(key, protocol), WebSocketHandshake.BINARY_PROTOCOL.equals(protocol));
    }

    /**
     * Whether a page from {@code origin} may open the WebSocket. No Origin: not a browser, which
     * needs no protection from itself. With no allow-list, the same origin as the Host the
     * request came to (scheme's default port made explicit on both sides); else the list.
     */
    boolean originAllowed(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String o = origin.strip().toLowerCase(Locale.ROOT);
        if (!origins.isEmpty()) {
            return origins.contains("*") || origins.contains(o);
        }
        if (host == null) {
            return false;
        }
        int schemeEnd = o.indexOf("://");
        if (schemeEnd < 0) {
            return false; // "null" (a sandboxed page, a file) is nobody's origin
        }
        String defaultPort = o.startsWith("https://") ? "443" : "80";
        return withPort(o.substring(schemeEnd + 3), defaultPort).equals(withPort(host.strip().toLowerCase(Locale.ROOT), defaultPort));
    }

    private static String withPort(String authority, String defaultPort) {
        boolean hasPort = authority.startsWith("[") ? authority.contains("]:") : authority.contains(":");
        return hasPort ? authority : authority + ":" + defaultPort;
    }

    private Response status(int code, String reason, String words, boolean close) {
        return response(code, reason, "", text(words), "text/plain; charset=utf-8", true, close);
    }

    private Response response(int code, String reason, String extraHeaders, byte[] content, String contentType,
            boolean withBody, boolean close) {
        String headers = "Date: " + date.get() + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + extraHeaders
                + "Content-Security-Policy: " + CONTENT_SECURITY_POLICY + "\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "Referrer-Policy: no-referrer\r\n"
                + (close ? "Connection: close\r\n" : "");
        return new Response(code, HttpResponses.of(code, reason, headers, content, withBody), close);
    }

    private static byte[] text(String words) {
        return (words + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A request's own words, made safe to echo: printable ASCII, at most 100 characters. */
    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 100; i++) {
            char c = s.charAt(i);
            out.append(c >= ' ' && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
