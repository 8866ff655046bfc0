package chat.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes as they are: a non-blocking {@link SocketChannel} and its selection key, beneath TLS or
 * a WebSocket. A connection that speaks plain TCP needs none: {@link Connection} reads and writes
 * its channel itself, so an idle client costs no transport object.
 *
 * <p>Loop thread only.
 */
final class PlainTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(PlainTransport.class);

    /** The socket's key; the socket itself is its channel (one field: one per client). */
    private final SelectionKey key;

    /** @param key the key of a registered, non-blocking {@link SocketChannel} */
    PlainTransport(SelectionKey key) {
        this.key = key;
    }

    private SocketChannel channel() {
        return (SocketChannel) key.channel();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel().read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel().write(src);
    }

    @Override
    public void readInterest(boolean on) {
        setInterest(SelectionKey.OP_READ, on);
    }

    @Override
    public void writeInterest(boolean on) {
        setInterest(SelectionKey.OP_WRITE, on);
    }

    private void setInterest(int op, boolean on) {
        setInterest(key, op, on);
    }

    /** Turns {@code op} on or off in {@code key}'s interest set, touching the key only for a change. */
    static void setInterest(SelectionKey key, int op, boolean on) {
        if (!key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        int wanted = on ? ops | op : ops & ~op;
        if (wanted != ops) {
            key.interestOps(wanted);
        }
    }

    @Override
    public boolean isOpen() {
        return key.channel().isOpen();
    }

    @Override
    public void close() {
        close(key);
    }

    /** Cancels {@code key} and closes its channel; a failure is logged at DEBUG, nothing more. */
    static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            log.debug("closing {} failed", key.channel(), e);
        }
    }
}
