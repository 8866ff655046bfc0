package chat.server.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A protocol this server recognizes but does not serve (here, or not yet): the connection gets
 * one answer in that protocol's own terms, if any makes sense, and is closed. No session is
 * opened, so no room ever hears of it.
 *
 * <p>Loop thread only.
 */
public final class RefusingProtocol implements Protocol {

    private static final Logger log = LoggerFactory.getLogger(RefusingProtocol.class);
    /** Frames are ignored; this only bounds what framing buffers before the close. */
    private static final int MAX_LINE_BYTES = 1024;

    /** What the refused protocol is, for the log: "TLS handshake", "HTTP request". */
    private final String what;
    /** The answer sent before closing; empty for none. */
    private final byte[] answer;

    public RefusingProtocol(String what, byte[] answer) {
        this.what = what;
        this.answer = answer.clone();
    }

    @Override
    public ProtocolHandler newHandler(Connection connection) {
        return new ProtocolHandler() {
            @Override
            public void onOpen() {
                log.info("closing {}: {} on a port that does not serve it", connection.peer(), what);
                if (answer.length > 0) {
                    connection.send(answer);
                }
                connection.close(CloseReason.PROTOCOL, what);
            }

            @Override
            public void onFrame(byte[] bytes, int offset, int length) {
            }

            @Override
            public void onFrameTooLong(long lengthSeen, int maxLength) {
            }

            @Override
            public void onLimitExceeded(LimitKind limit, long figure, long max) {
            }

            @Override
            public void onClose(CloseReason reason, String detail) {
            }
        };
    }

    @Override
    public int maxLineBytes() {
        return MAX_LINE_BYTES;
    }
}
