package chat.server.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's selector: runs on every platform Java does. Each socket is a {@link SocketChannel}
 * whose selection key carries its handler.
 */
final class NioPoller implements Poller {

    private static final Logger log = LoggerFactory.getLogger(NioPoller.class);

    private final Selector selector;
    /** Why epoll is not used, when {@link PollerKind#AUTO} fell back to this; null otherwise. */
    private final String whyNotEpoll;
    /** The dispatch of the poll under way; a field so that polling allocates nothing. */
    private Dispatch dispatch;
    private final Consumer<SelectionKey> onReadyKey = this::onReadyKey;

    NioPoller() throws IOException {
        this(null);
    }

    /** @param whyNotEpoll why epoll is not used, when it was wanted where it loads; null when not */
    NioPoller(String whyNotEpoll) throws IOException {
        this.selector = Selector.open();
        this.whyNotEpoll = whyNotEpoll;
    }

    /** The selector, for tests that register channels of their own (a pipe). */
    Selector selector() {
        return selector;
    }

    @Override
    public void poll(long timeoutMillis, Dispatch dispatch) throws IOException {
        this.dispatch = dispatch;
        try {
            if (timeoutMillis == 0) {
                selector.selectNow(onReadyKey);
            } else if (timeoutMillis < 0) {
                selector.select(onReadyKey);
            } else {
                selector.select(onReadyKey, timeoutMillis);
            }
        } finally {
            this.dispatch = null;
        }
    }

    private void onReadyKey(SelectionKey key) {
        // A handler earlier in this batch may have closed this key's socket.
        if (key.isValid()) {
            dispatch.ready((EventLoop.ReadyHandler) key.attachment(), key.readyOps());
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, EventLoop.ReadyHandler onAcceptable)
            throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, backlog);
            channel.configureBlocking(false);
            return new NioListener(channel, channel.register(selector, SelectionKey.OP_ACCEPT, onAcceptable));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public String description() {
        return whyNotEpoll == null ? name() : name() + " (no epoll: " + whyNotEpoll + ")";
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the selector failed", e);
        }
    }

    private final class NioListener implements Listener {
        private final ServerSocketChannel channel;
        private final SelectionKey key;

        NioListener(ServerSocketChannel channel, SelectionKey key) {
            this.channel = channel;
            this.key = key;
        }

        @Override
        public InetSocketAddress localAddress() {
            try {
                return (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public SocketTransport accept() throws IOException {
            while (true) {
                SocketChannel accepted = channel.accept();
                if (accepted == null) {
                    return null;
                }
                try {
                    accepted.configureBlocking(false);
                    accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    accepted.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                    return new NioSocket(accepted, selector);
                } catch (IOException e) {
                    // That client's socket alone (reset already, most likely): drop it, take the next.
                    log.debug("dropping a connection before it was set up: {}", e.toString());
                    accepted.close();
                }
            }
        }

        @Override
        public void acceptInterest(boolean on) {
            if (key.isValid()) {
                key.interestOps(on ? SelectionKey.OP_ACCEPT : 0);
            }
        }

        @Override
        public void close() {
            key.cancel();
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("closing the listening socket failed", e);
            }
        }
    }
}
