package chat.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes a socket did not take yet, kept in order until it does: for a transport that makes bytes
 * of its own (TLS records, WebSocket frames) and must not make them twice. A transport holds one
 * only while something waits, null otherwise, so an idle connection keeps none.
 *
 * <p>Loop thread only.
 */
public final class PendingOutput {

    private byte[] bytes;
    private int offset;

    private PendingOutput(byte[] bytes) {
        this.bytes = bytes;
    }

    /** {@code bytes} to be written before anything else; null when there are none. Not copied. */
    public static PendingOutput of(byte[] bytes) {
        return bytes.length == 0 ? null : new PendingOutput(bytes);
    }

    /**
     * Writes {@code src} to {@code socket} now if nothing waits, and keeps what the socket does
     * not take, after what waits already.
     *
     * @param waiting what waits now, or null
     * @return what waits after this call, or null when nothing does
     */
    public static PendingOutput send(PendingOutput waiting, Transport socket, ByteBuffer src) throws IOException {
        if (!src.hasRemaining()) {
            return waiting;
        }
        if (waiting == null) {
            socket.write(src);
            if (!src.hasRemaining()) {
                return null;
            }
            byte[] rest = new byte[src.remaining()];
            src.get(rest);
            return new PendingOutput(rest);
        }
        int kept = waiting.bytes.length - waiting.offset;
        byte[] more = new byte[kept + src.remaining()];
        System.arraycopy(waiting.bytes, waiting.offset, more, 0, kept);
        src.get(more, kept, src.remaining());
        waiting.bytes = more;
        waiting.offset = 0;
        return waiting;
    }

    /**
     * Writes what waits.
     *
     * @return true when all of it went: the caller forgets this object
     */
    public boolean flushTo(Transport socket) throws IOException {
        ByteBuffer rest = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        socket.write(rest);
        offset = rest.position();
        return !rest.hasRemaining();
    }
}
