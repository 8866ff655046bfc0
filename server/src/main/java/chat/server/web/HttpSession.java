package chat.server.web;

import chat.server.net.CloseReason;
import chat.server.net.Connection;
import chat.server.net.ConnectionCensus;
import chat.server.net.EventLoop;
import chat.server.net.HttpRequestHead;
import chat.server.net.LimitKind;
import chat.server.net.ProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection on the chat port: request heads in, line by line, answers out, kept alive
 * for further requests, until an upgrade turns it into a WebSocket carrying IRC.
 *
 * <p>Bounds: a head of at most {@link #MAX_HEAD_BYTES} in at most {@link #MAX_HEADER_LINES} lines
 * (431 past either), each line at most {@link WebProtocol#MAX_LINE_BYTES}; a head must be complete
 * within the request timeout of its first byte, or of the previous answer (408 if a part came,
 * a quiet close if none did); at most {@link #MAX_REQUESTS} requests on one connection.
 *
 * <p>Loop thread only.
 */
final class HttpSession implements ProtocolHandler {

    private static final Logger log = LoggerFactory.getLogger(HttpSession.class);

    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int MAX_HEADER_LINES = 100;
    /** Requests served on one connection before it is closed; a page load takes a handful. */
    static final int MAX_REQUESTS = 100;

    private final Connection connection;
    private final WebProtocol web;
    private final List<String> lines = new ArrayList<>();
    private int headBytes;
    private int requests;
    /** The request timeout under way; null when none is. */
    private EventLoop.Timer timer;
    /** True once the connection is closing or upgraded: nothing more is handled here. */
    private boolean done;

    HttpSession(Connection connection, WebProtocol web) {
        this.connection = connection;
        this.web = web;
    }

    @Override
    public void onOpen() {
        startTimer();
    }

    @Override
    public void onFrame(byte[] bytes, int offset, int length) {
        if (done) {
            return;
        }
        if (length == 0 && lines.isEmpty()) {
            return; // empty lines before a request line are allowed, and ignored (RFC 9112, 2.2)
        }
        headBytes += length + 2;
        if (headBytes > MAX_HEAD_BYTES || lines.size() >= MAX_HEADER_LINES) {
            finish(web.responder().tooLarge(MAX_HEAD_BYTES));
            return;
        }
        if (length > 0) {
            lines.add(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
            return;
        }
        HttpRequestHead request;
        try {
            request = HttpRequestHead.parse(lines);
        } catch (HttpRequestHead.Malformed e) {
            log.info("bad HTTP request from {}: {}", connection.peer(), e.getMessage());
            finish(web.responder().malformed(e.getMessage()));
            return;
        } finally {
            lines.clear();
            headBytes = 0;
        }
        requests++;
        if (request.fromBrowser()) {
            connection.browserSeenAtPeer(); // its spare connections may wait seconds before a request
        }
        WebResponder.Answer answer = web.responder().answer(request, requests >= MAX_REQUESTS);
        if (answer instanceof WebResponder.Upgrade upgrade) {
            upgrade(upgrade);
            return;
        }
        WebResponder.Response response = (WebResponder.Response) answer;
        log.debug("{} {} {} -> {}", connection.peer(), request.method(), request.target(), response.status());
        if (response.status() == 403) {
            log.info("refused a WebSocket from {}: origin {} is not allowed", connection.peer(), request.header("origin"));
        }
        if (response.close()) {
            finish(response);
            return;
        }
        connection.send(response.bytes());
        startTimer(); // for the next request on this connection
    }

    private void upgrade(WebResponder.Upgrade upgrade) {
        done = true;
        cancelTimer();
        log.debug("{} opened a WebSocket ({} frames)", connection.peer(), upgrade.binary() ? "binary" : "text");
        connection.send(upgrade.response());
        WebSocketBuffers buffers = web.buffers();
        long maxMessage = web.maxMessageBytes();
        connection.upgrade((current, queued, received) ->
                        new WebSocketTransport(current, buffers, queued, received, upgrade.binary(), maxMessage),
                web.ircProtocol(), ConnectionCensus.Dialect.WEBSOCKET);
    }

    /** Sends the last answer and closes. */
    private void finish(WebResponder.Response response) {
        done = true;
        cancelTimer();
        connection.send(response.bytes());
        connection.close(CloseReason.QUIT, "HTTP answered");
    }

    @Override
    public void onFrameTooLong(long lengthSeen, int maxLength) {
        if (!done) {
            finish(web.responder().tooLarge(maxLength));
        }
    }

    private void startTimer() {
        cancelTimer();
        long millis = web.options().requestTimeout().toMillis();
        timer = connection.schedule(millis, () -> {
            timer = null;
            if (done || !connection.isOpen()) {
                return;
            }
            if (lines.isEmpty()) {
                done = true;
                connection.close(CloseReason.IDLE, "no HTTP request");
            } else {
                log.info("HTTP request from {} not complete within {} ms", connection.peer(), millis);
                finish(web.responder().timedOut(millis));
            }
        });
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    @Override
    public void onLimitExceeded(LimitKind limit, long figure, long max) {
        // An HTTP client reads no chat line: the close says enough.
    }

    @Override
    public void onClose(CloseReason reason, String detail) {
        done = true;
        cancelTimer();
    }
}
