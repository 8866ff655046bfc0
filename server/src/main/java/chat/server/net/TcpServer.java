package chat.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket and the connections it accepted, on one {@link EventLoop}. Knows TCP, not
 * chat: each accepted connection gets a {@link ProtocolHandler} from the factory it was given.
 *
 * <p>Owns the loop's two end-of-iteration steps for its connections: reap (tell handlers of
 * connections marked closed, close sockets or let them linger to flush) and flush (write what
 * was queued during the iteration, one write per connection rather than one per message).
 *
 * <p>Loop thread only, except {@link #port()}.
 */
public final class TcpServer {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    /** Pending connections the kernel holds for us before accept. */
    private static final int BACKLOG = 128;
    /** Most connections accepted per readiness, so a storm cannot stall everyone else. */
    private static final int MAX_ACCEPTS_PER_ITERATION = 256;
    /** After an accept failure (out of file descriptors...), stop accepting this long. */
    private static final long ACCEPT_BACKOFF_MILLIS = 100;

    private final EventLoop loop;
    private final TcpOptions options;
    private final Function<Connection, ProtocolHandler> handlerFactory;
    private final Set<Connection> connections = new HashSet<>();
    /** Connections with bytes queued during this iteration. */
    private final List<Connection> toFlush = new ArrayList<>();
    /** Connections marked closed and not yet reaped. */
    private final List<Connection> toReap = new ArrayList<>();
    private ServerSocketChannel serverChannel;
    private SelectionKey acceptKey;
    private volatile int port = -1;
    /** Called once no connection is left, after {@link #closeAll}; null otherwise. */
    private Runnable onAllClosed;

    public TcpServer(EventLoop loop, TcpOptions options, Function<Connection, ProtocolHandler> handlerFactory) {
        this.loop = loop;
        this.options = options;
        this.handlerFactory = handlerFactory;
        loop.addIterationEndHook(this::reapAndFlush);
    }

    EventLoop loop() {
        return loop;
    }

    long maxWriteBytesPerIteration() {
        return options.maxWriteBytesPerIteration();
    }

    /** Binds and starts accepting. Call before the loop runs, or on the loop thread. */
    public void bind() throws IOException {
        serverChannel = ServerSocketChannel.open();
        serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        serverChannel.bind(new InetSocketAddress(options.bindAddress(), options.port()), BACKLOG);
        serverChannel.configureBlocking(false);
        acceptKey = serverChannel.register(loop.selector(), SelectionKey.OP_ACCEPT,
                (EventLoop.ReadyHandler) key -> acceptPending());
        port = ((InetSocketAddress) serverChannel.getLocalAddress()).getPort();
    }

    /** The bound port (useful with port 0), or -1 before {@link #bind}. */
    public int port() {
        return port;
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Stops accepting new connections; those already accepted stay. */
    public void stopAccepting() {
        if (serverChannel == null) {
            return;
        }
        acceptKey.cancel();
        try {
            serverChannel.close();
        } catch (IOException e) {
            log.warn("closing the listening socket failed", e);
        }
        serverChannel = null;
    }

    /**
     * Closes every connection for {@code reason} (flushing first when the reason allows), then
     * runs {@code whenDone} once the last socket is closed.
     */
    public void closeAll(CloseReason reason, Runnable whenDone) {
        onAllClosed = whenDone;
        for (Connection connection : new ArrayList<>(connections)) {
            connection.close(reason, null);
        }
        maybeAllClosed();
    }

    /** Closes every socket now, queued output or not. */
    public void closeAllNow() {
        for (Connection connection : new ArrayList<>(connections)) {
            if (!connection.reaped) {
                connection.close(CloseReason.SHUTDOWN, null);
                connection.onReaped();
            }
            connection.closeNow();
        }
    }

    private void acceptPending() {
        for (int i = 0; i < MAX_ACCEPTS_PER_ITERATION && serverChannel != null; i++) {
            SocketChannel channel;
            try {
                channel = serverChannel.accept();
            } catch (IOException e) {
                backOffAccepting(e);
                return;
            }
            if (channel == null) {
                return;
            }
            register(channel);
        }
    }

    private void register(SocketChannel channel) {
        InetSocketAddress peer = null;
        try {
            peer = (InetSocketAddress) channel.getRemoteAddress();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            SelectionKey key = channel.register(loop.selector(), SelectionKey.OP_READ);
            Connection connection = new Connection(this, channel, key, peer, options.maxLineBytes());
            key.attach(connection);
            connections.add(connection);
            log.debug("accepted {}", peer);
            ProtocolHandler handler = handlerFactory.apply(connection);
            connection.handler(handler);
            handler.onOpen();
        } catch (IOException e) {
            log.debug("dropping {} before it was set up: {}", peer, e.toString());
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do for a socket we never used
            }
        }
    }

    private void backOffAccepting(IOException e) {
        log.warn("accept failed ({}); pausing accepts for {} ms", e.toString(), ACCEPT_BACKOFF_MILLIS);
        acceptKey.interestOps(0);
        loop.schedule(ACCEPT_BACKOFF_MILLIS, () -> {
            if (serverChannel != null && acceptKey.isValid()) {
                acceptKey.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    void scheduleFlush(Connection connection) {
        if (!connection.flushScheduled) {
            connection.flushScheduled = true;
            toFlush.add(connection);
        }
    }

    void scheduleReap(Connection connection) {
        toReap.add(connection);
    }

    void onClosed(Connection connection) {
        connections.remove(connection);
        maybeAllClosed();
    }

    private void maybeAllClosed() {
        if (onAllClosed != null && connections.isEmpty()) {
            Runnable done = onAllClosed;
            onAllClosed = null;
            done.run();
        }
    }

    /**
     * Reaping can queue output (quit notices) and flushing can close connections (a write
     * fails), so alternate until neither has work left. Each connection is reaped once, so this
     * ends.
     */
    private void reapAndFlush() {
        while (!toReap.isEmpty() || !toFlush.isEmpty()) {
            reap();
            flush();
        }
    }

    private void reap() {
        for (int i = 0; i < toReap.size(); i++) {
            Connection connection = toReap.get(i);
            connection.onReaped();
            if (connection.shouldLinger()) {
                scheduleFlush(connection);
                connection.lingerTimer = loop.schedule(options.lingerMillis(), () -> {
                    log.debug("{} did not take its last {} bytes in time", connection.peer(),
                            connection.pendingBytes());
                    connection.closeNow();
                });
            } else {
                connection.closeNow();
            }
        }
        toReap.clear();
    }

    private void flush() {
        for (int i = 0; i < toFlush.size(); i++) {
            Connection connection = toFlush.get(i);
            connection.flushScheduled = false;
            connection.flush();
        }
        toFlush.clear();
    }
}
