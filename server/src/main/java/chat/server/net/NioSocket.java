package chat.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A socket of the {@link NioPoller}: a non-blocking {@link SocketChannel} and, once registered, its key. */
final class NioSocket extends SocketTransport {

    private static final Logger log = LoggerFactory.getLogger(NioSocket.class);

    private final SocketChannel channel;
    /** The selector to register with; null once registered (the key knows it then). */
    private Selector selector;
    /** Null until {@link #register}. */
    private SelectionKey key;

    NioSocket(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null; // closed: there is no peer any more
        }
    }

    @Override
    void register(EventLoop.ReadyHandler handler) throws IOException {
        key = channel.register(selector, SelectionKey.OP_READ, handler);
        selector = null;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** Turns {@code op} on or off in the key's interest set, touching the key only for a change. */
    @Override
    void setInterest(int op, boolean on) {
        if (key == null || !key.isValid()) {
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
        return channel.isOpen();
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing {} failed", channel, e);
        }
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}
