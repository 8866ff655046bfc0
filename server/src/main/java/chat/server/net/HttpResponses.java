package chat.server.net;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An HTTP/1.1 response as the bytes to send, for every HTTP this server speaks (the web client's,
 * the metrics endpoint's): the status line, {@code Content-Length}, the caller's headers, and the
 * body unless the request was a {@code HEAD}.
 */
public final class HttpResponses {

    private HttpResponses() {
    }

    /**
     * @param headers header lines, each ending in CRLF
     * @param withBody false for a HEAD request: the length is still given, the content not sent
     */
    public static byte[] of(int code, String reason, String headers, byte[] content, boolean withBody) {
        String head = "HTTP/1.1 " + code + " " + reason + "\r\n"
                + (code == 304 ? "" : "Content-Length: " + content.length + "\r\n") // a 304 has no content
                + headers + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        if (!withBody || content.length == 0) {
            return headBytes;
        }
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + content.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }
}
