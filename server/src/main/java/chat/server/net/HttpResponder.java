package chat.server.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP/1.1 of the metrics endpoint, and no more: reads one request head, and answers
 * {@code GET} or {@code HEAD} of {@value #PATH} with the exposition text, anything else with
 * 404, 405 or 400, always with {@code Connection: close}. No body is read, no keep-alive, no
 * chunking: a scraper asks once per connection, and a head larger than {@link #MAX_HEAD_BYTES}
 * is answered 431 before anything more is kept.
 *
 * <p>Knows no socket: bytes go in by {@link #feed}, the answer comes out as bytes, so every split
 * of a request can be tested by feeding arrays. One per connection; loop thread only.
 */
public final class HttpResponder {

    /** The one path served. */
    public static final String PATH = "/metrics";
    /** Most bytes of a request head (request line and headers) kept; a scraper sends a few hundred. */
    public static final int MAX_HEAD_BYTES = 8 * 1024;
    /** The Prometheus text format, version 0.0.4, which every scraper reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The exposition text, as it stands; called once per GET or HEAD of {@value #PATH}. */
    private final Supplier<byte[]> body;
    /** The head received so far; grows up to {@link #MAX_HEAD_BYTES}. */
    private byte[] head = new byte[512];
    private int headLength;
    /** Where the search for the blank line goes on, so no byte is scanned twice. */
    private int scanFrom;

    public HttpResponder(Supplier<byte[]> body) {
        this.body = body;
    }

    /**
     * Takes bytes of the request.
     *
     * @return the whole response once the head is complete or too large; null while more is needed
     */
    public byte[] feed(byte[] bytes, int offset, int length) {
        int room = MAX_HEAD_BYTES - headLength;
        int taken = Math.min(room, length);
        if (headLength + taken > head.length) {
            head = Arrays.copyOf(head, Math.min(MAX_HEAD_BYTES, Math.max(head.length * 2, headLength + taken)));
        }
        System.arraycopy(bytes, offset, head, headLength, taken);
        headLength += taken;
        int end = endOfHead();
        if (end >= 0) {
            return answer(new String(head, 0, end, StandardCharsets.ISO_8859_1));
        }
        if (taken < length || headLength == MAX_HEAD_BYTES) {
            return status(431, "Request Header Fields Too Large",
                    "request head over " + MAX_HEAD_BYTES + " bytes\n");
        }
        return null;
    }

    /** The answer to a client that sent no complete head in time. */
    public static byte[] timedOut(long limitMillis) {
        return status(408, "Request Timeout", "no complete request within " + limitMillis + " ms\n");
    }

    /** Where the head ends (before its blank line, CRLF or bare LF), or -1 when it has not yet. */
    private int endOfHead() {
        for (int i = Math.max(scanFrom, 1); i < headLength; i++) {
            if (head[i] == '\n') {
                if (head[i - 1] == '\n') {
                    return i - 1;
                }
                if (head[i - 1] == '\r' && i >= 2 && head[i - 2] == '\n') {
                    return i - 2;
                }
            }
        }
        scanFrom = headLength;
        return -1;
    }

    private byte[] answer(String requestHead) {
        List<String> lines = new ArrayList<>();
        for (String line : requestHead.split("\n")) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        HttpRequestHead request;
        try {
            request = HttpRequestHead.parse(lines);
        } catch (HttpRequestHead.Malformed e) {
            return status(400, "Bad Request", e.getMessage() + "\n");
        }
        if (!request.path().equals(PATH)) {
            return status(404, "Not Found", "only " + PATH + " is served here\n");
        }
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return response(405, "Method Not Allowed", "Allow: GET, HEAD\r\n", ascii(method + " is not allowed\n"), true);
        }
        return response(200, "OK", "", body.get(), method.equals("GET"));
    }

    private static byte[] status(int code, String reason, String text) {
        return response(code, reason, "", ascii(text), true);
    }

    private static byte[] response(int code, String reason, String extraHeaders, byte[] content, boolean withBody) {
        return HttpResponses.of(code, reason, "Content-Type: " + (code == 200 ? CONTENT_TYPE : "text/plain; charset=utf-8")
                + "\r\n" + extraHeaders + "Connection: close\r\n", content, withBody);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
