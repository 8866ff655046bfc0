package chat.server.net;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.x request head (RFC 9112), for every HTTP this server speaks (the web client's, the
 * metrics endpoint's): the request line and the header fields, names in lower
 * case, a field sent more than once joined with commas as the RFC allows. Bodies are never read
 * here; {@link #hasBody} says whether one follows, so the connection can be closed after the
 * answer rather than misread.
 */
public record HttpRequestHead(String method, String target, String version, Map<String, String> headers) {

    /** The request could not be read: answered 400 with these words. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** Parses a head from its lines (without their line ends), the request line first. */
    public static HttpRequestHead parse(List<String> lines) throws Malformed {
        String[] requestLine = lines.get(0).split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty()
                || !requestLine[2].matches("HTTP/1\\.[0-9]")) {
            throw new Malformed("not an HTTP/1.x request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith(" ") || line.startsWith("\t")) {
                throw new Malformed("a folded header line"); // obsolete, and a smuggling risk
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, colon)) {
                throw new Malformed("a header line without a name");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new HttpRequestHead(requestLine[0], requestLine[1], requestLine[2], Map.copyOf(headers));
    }

    private static boolean isToken(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** A header's value, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Whether a comma-separated header lists {@code token}, in any case. */
    public boolean headerHasToken(String name, String token) {
        String value = headers.get(name);
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** The path without the query: the only part looked at. */
    public String path() {
        int end = target.length();
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return target.substring(0, end);
    }

    /** Whether a body follows the head. */
    public boolean hasBody() {
        String length = headers.get("content-length");
        return headers.containsKey("transfer-encoding") || (length != null && !length.strip().equals("0"));
    }

    /**
     * Whether a browser sent it: browsers (Chromium, Firefox, Safari) name the kind of fetch in
     * {@code Sec-Fetch-Mode}, which scripts, curl and the JDK's clients do not send.
     */
    public boolean fromBrowser() {
        return headers.containsKey("sec-fetch-mode");
    }

    /** Whether the client asks to keep the connection for another request. */
    public boolean keepAlive() {
        if (headerHasToken("connection", "close")) {
            return false;
        }
        return version.equals("HTTP/1.1") || headerHasToken("connection", "keep-alive");
    }
}
