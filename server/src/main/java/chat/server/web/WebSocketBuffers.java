package chat.server.web;

import java.nio.ByteBuffer;

/**
 * The scratch buffers every {@link WebSocketTransport} of one loop reads frames into and makes
 * frames in, so that an idle WebSocket holds no buffer of its own. Loop thread only.
 */
public final class WebSocketBuffers {

    /** Frame bytes read per call: as much as the loop reads from a socket at once. */
    static final int IN_BYTES = 64 * 1024;
    /** Frame bytes made per write: several lines per system call, and room for the longest line. */
    static final int OUT_BYTES = 128 * 1024;

    private final ByteBuffer in = ByteBuffer.allocate(IN_BYTES);
    private final ByteBuffer out = ByteBuffer.allocate(OUT_BYTES);

    ByteBuffer in() {
        return in;
    }

    ByteBuffer out() {
        return out;
    }
}
