package chat.server.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket and the connections it accepted, on one {@link EventLoop}. Knows TCP, not
 * chat: each accepted connection detects what it speaks and gets its handler from the
 * {@link Dialects} this server was given.
 *
 * <p>Owns the loop's two end-of-iteration steps for its connections: reap (tell handlers of
 * connections marked closed, close sockets or let them linger to flush) and flush (write what
 * was queued during the iteration, one write per connection rather than one per message).
 *
 * <p>Loop thread only, except {@link #port()}.
 */
public final class TcpServer {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    /** How often housekeeping runs: idle checks, giving back idle queues' memory. */
    private static final long HOUSEKEEPING_MILLIS = 1000;
    /**
     * Most connections accepted per readiness: what the listen backlog holds. Taking a
     * connection in costs microseconds (its first lines are read in later iterations, in turn
     * with everyone else); leaving it in the kernel's queue while the loop works through a
     * storm of joins let that queue overflow, and each dropped SYN cost its client a second.
     */
    private static final int MAX_ACCEPTS_PER_ITERATION = 4096;
    /** After an accept failure (out of file descriptors...), stop accepting this long. */
    private static final long ACCEPT_BACKOFF_MILLIS = 100;
    /** Longest linger for a client disconnected because of a limit: it is probably not reading. */
    private static final long LIMIT_LINGER_MILLIS = 1000;

    private final EventLoop loop;
    private final TcpOptions options;
    /** The limits in effect: {@code options}' at first, then a reload's. */
    private Limits limits;
    private final Dialects dialects;
    private final ConnectionSet connections = new ConnectionSet();
    /** Open connections per remote address, for the per-address limit. */
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    /** Refusals at accept time, logged at most once a second with a count. */
    private final ThrottledLog refusals = new ThrottledLog(log, TimeUnit.SECONDS.toNanos(1));
    private final ThrottledLog acceptFailures = new ThrottledLog(log, TimeUnit.SECONDS.toNanos(10));
    /** Connections with bytes queued during this iteration. */
    private final List<Connection> toFlush = new ArrayList<>();
    /** Connections marked closed and not yet reaped. */
    private final List<Connection> toReap = new ArrayList<>();
    private Poller.Listener listener;
    private volatile int port = -1;
    /** What this listener's connections did since start; written by them, loop thread only. */
    final TrafficCounters counters = new TrafficCounters();
    /** Most addresses remembered as browsers, and for how long: a page's loads come within seconds. */
    static final int MAX_RECENT_HTTP_CLIENTS = 4096;
    static final long RECENT_HTTP_CLIENT_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
    /** Addresses that made an HTTP request lately (see {@link Connection#BROWSER_DETECTION_WINDOW_MILLIS}). */
    private final RecentAddresses recentHttpClients = new RecentAddresses(MAX_RECENT_HTTP_CLIENTS, RECENT_HTTP_CLIENT_NANOS);
    /** Called once no connection is left, after {@link #closeAll}; null otherwise. */
    private Runnable onAllClosed;
    /** What serves a ClientHello; null when there is no certificate (the dialects refuse it). */
    private final TlsContext tls;
    /** True for a TLS-only listener: plaintext gets one line and a close. */
    private final boolean tlsRequired;
    /** What a plaintext connection gets on a TLS-only listener; null on the others. */
    private final Protocol plaintextRefusal;
    /** Failed, refused and timed-out handshakes, logged at most once a second with a count. */
    private final ThrottledLog tlsFailures = new ThrottledLog(log, TimeUnit.SECONDS.toNanos(1));

    /** A plaintext listener: a ClientHello is refused as {@code dialects} says. */
    public TcpServer(EventLoop loop, TcpOptions options, Dialects dialects) {
        this(loop, options, dialects, null, false);
    }

    /**
     * @param tls serves ClientHellos; null for none
     * @param tlsRequired true when only TLS is served (plaintext gets {@link Dialects#plaintextRefusal})
     */
    public TcpServer(EventLoop loop, TcpOptions options, Dialects dialects, TlsContext tls, boolean tlsRequired) {
        if (tlsRequired && tls == null) {
            throw new IllegalArgumentException("a TLS-only listener needs a certificate");
        }
        this.loop = loop;
        this.options = options;
        this.limits = options.limits();
        this.dialects = dialects;
        this.tls = tls;
        this.tlsRequired = tlsRequired;
        this.plaintextRefusal = tlsRequired
                ? new RefusingProtocol("plaintext on a TLS-only port", dialects.plaintextRefusal()) : null;
        loop.addIterationEndHook(this::reapAndFlush);
    }

    TlsContext tls() {
        return tls;
    }

    /** A connection from {@code address} spoke HTTP: a browser is there. */
    void noteHttpClient(java.net.InetAddress address) {
        recentHttpClients.note(address, loop.nanoTime());
    }

    /** Whether {@code address} made an HTTP request in the last few minutes. */
    boolean isRecentHttpClient(java.net.InetAddress address) {
        return recentHttpClients.contains(address, loop.nanoTime());
    }

    boolean tlsRequired() {
        return tlsRequired;
    }

    Protocol plaintextRefusal() {
        return plaintextRefusal;
    }

    /** A handshake that failed, was refused or timed out: one log line with the peer, throttled. */
    void tlsFailure(InetSocketAddress peer, String what) {
        tlsFailures.warn("TLS handshake with {} {}", peer, what);
    }

    /**
     * A TLS session that broke after its handshake: a record that does not decrypt, or one cut
     * short by the end of the stream; logged like a failed handshake. An end without close_notify
     * alone is common (clients that just close) and is logged at DEBUG with the close.
     */
    void tlsProblem(InetSocketAddress peer, String what) {
        tlsFailures.warn("TLS with {} broke: {}", peer, what);
    }

    EventLoop loop() {
        return loop;
    }

    Dialects dialects() {
        return dialects;
    }

    long maxWriteBytesPerIteration() {
        return options.maxWriteBytesPerIteration();
    }

    /** Binds and starts accepting. Call before the loop runs, or on the loop thread. */
    public void bind() throws IOException {
        listener = loop.poller().listen(new InetSocketAddress(options.bindAddress(), options.port()),
                options.backlog(), readyOps -> acceptPending());
        port = listener.localAddress().getPort();
        loop.schedule(HOUSEKEEPING_MILLIS, new Runnable() {
            @Override
            public void run() {
                houseKeeping();
                loop.schedule(HOUSEKEEPING_MILLIS, this);
            }
        });
    }

    /** Once a second: disconnect idle clients (when that limit is on), trim idle queues. */
    private void houseKeeping() {
        int idleSeconds = limits.idleTimeoutSeconds();
        if (idleSeconds > 0) {
            closeIdle(idleSeconds);
        }
        for (int i = 0; i < connections.size(); i++) {
            connections.get(i).trimOutbound();
        }
    }

    /** Tells and disconnects every client that sent nothing for {@code idleSeconds}. */
    private void closeIdle(int idleSeconds) {
        long now = loop.nanoTime();
        long limitNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
        for (int i = 0; i < connections.size(); i++) {
            Connection connection = connections.get(i); // closing only marks it; the reap removes it
            if (connection.isIdle(now, limitNanos)) {
                long idle = TimeUnit.NANOSECONDS.toSeconds(now - connection.lastInputNanos());
                log.info("disconnecting {}: idle for {} s (limit {} s)", connection.peer(), idle, idleSeconds);
                connection.limitExceeded(LimitKind.IDLE, idle, idleSeconds, "idle timeout");
            }
        }
    }

    /** The bound port (useful with port 0), or -1 before {@link #bind}. */
    public int port() {
        return port;
    }

    Limits limits() {
        return limits;
    }

    /**
     * Replaces the limits (a configuration reload): new connections and the next checks of open
     * ones see them; an open connection keeps the flood bucket it was made with. On the loop.
     */
    public void limits(Limits next) {
        limits = next;
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Bytes queued for all connections and not yet written. */
    public long pendingBytes() {
        long total = 0;
        for (int i = 0; i < connections.size(); i++) {
            total += connections.get(i).pendingBytes();
        }
        return total;
    }

    /** Times reading from a client was paused by flood control, since start. */
    public long floodPauses() {
        return counters.floodPauses;
    }

    void countFloodPause() {
        counters.floodPauses++;
    }

    /** What this listener's connections did since start. Loop thread only; read, never write. */
    public TrafficCounters counters() {
        return counters;
    }

    /** Counts this listener's open connections into {@code census}: a walk over all of them. */
    public void countConnections(ConnectionCensus census) {
        for (int i = 0; i < connections.size(); i++) {
            Connection connection = connections.get(i);
            census.count(connection.dialect(), connection.isEncrypted(), connection.hasUser(),
                    connection.pendingBytes());
        }
    }

    /** Stops accepting new connections; those already accepted stay. */
    public void stopAccepting() {
        if (listener == null) {
            return;
        }
        listener.close();
        listener = null;
    }

    /**
     * Closes every connection for {@code reason} (flushing first when the reason allows), then
     * runs {@code whenDone} once the last socket is closed.
     */
    public void closeAll(CloseReason reason, Runnable whenDone) {
        onAllClosed = whenDone;
        for (Connection connection : connections.snapshot()) {
            connection.close(reason, null);
        }
        maybeAllClosed();
    }

    /** Closes every socket now, queued output or not. */
    public void closeAllNow() {
        for (Connection connection : connections.snapshot()) {
            connection.close(CloseReason.SHUTDOWN, null);
            connection.onReaped();
            connection.closeNow();
        }
    }

    private void acceptPending() {
        for (int i = 0; i < MAX_ACCEPTS_PER_ITERATION && listener != null; i++) {
            SocketTransport socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                backOffAccepting(e);
                return;
            }
            if (socket == null) {
                return;
            }
            register(socket);
        }
    }

    private void register(SocketTransport socket) {
        InetSocketAddress peer = socket.remoteAddress();
        try {
            if (peer == null || refuseOverLimit(socket, peer)) {
                socket.close();
                return;
            }
            Connection connection = new Connection(this, socket, peer);
            socket.register(connection);
            add(connection);
            counters.accepted++;
            log.debug("accepted {}", peer);
        } catch (IOException e) {
            log.debug("dropping {} before it was set up: {}", peer, e.toString());
            socket.close();
        }
    }

    /** Takes a connection in: counted, and waiting for its first bytes. */
    void add(Connection connection) {
        connections.add(connection);
        perAddress.merge(connection.peer().getAddress(), 1, Integer::sum);
        connection.startDetection();
    }

    /**
     * Applies the connection-count limits at accept time: a refused client gets one line
     * saying why (a best-effort write to a fresh socket, whose buffer is empty), then is closed.
     */
    private boolean refuseOverLimit(SocketTransport socket, InetSocketAddress peer) throws IOException {
        Limits limits = this.limits;
        LimitKind kind = null;
        long figure = 0;
        long max = 0;
        if (limits.maxClients() > 0 && connections.size() >= limits.maxClients()) {
            kind = LimitKind.MAX_CLIENTS;
            figure = connections.size();
            max = limits.maxClients();
        } else if (limits.maxPerAddress() > 0) {
            int fromPeer = perAddress.getOrDefault(peer.getAddress(), 0);
            if (fromPeer >= limits.maxPerAddress()) {
                kind = LimitKind.MAX_PER_ADDRESS;
                figure = fromPeer;
                max = limits.maxPerAddress();
            }
        }
        if (kind == null) {
            return false;
        }
        counters.refused++;
        refusals.warn("refusing {}: {} ({} open, limit {})", peer, kind, figure, max);
        socket.write(java.nio.ByteBuffer.wrap(dialects.acceptRefusal(kind, figure, max)));
        socket.shutdownOutput();
        return true; // the caller closes it
    }

    private void backOffAccepting(IOException e) {
        // Out of descriptors, a busy epoll loop finds out ten times a second (its listeners
        // accept during long batches too, and accept4 reports EMFILE with nothing waiting).
        acceptFailures.warn("accept failed ({}); pausing accepts for {} ms", e.toString(), ACCEPT_BACKOFF_MILLIS);
        listener.acceptInterest(false);
        loop.schedule(ACCEPT_BACKOFF_MILLIS, () -> {
            if (listener != null) {
                listener.acceptInterest(true);
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
        perAddress.computeIfPresent(connection.peer().getAddress(), (address, n) -> n > 1 ? n - 1 : null);
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
                connection.linger(lingerMillis(connection.closeReason()));
            } else {
                connection.closeNow();
            }
        }
        toReap.clear();
    }

    /**
     * How long a closing connection may take to accept its last bytes: the shutdown grace at
     * shutdown; the close linger after a quit or the peer's close; for a client cut off for a
     * limit, a moment for the line that says why, no more.
     */
    private long lingerMillis(CloseReason reason) {
        return switch (reason) {
            case SHUTDOWN -> options.shutdownLingerMillis();
            case LIMIT, IDLE, PROTOCOL -> Math.min(options.closeLingerMillis(), LIMIT_LINGER_MILLIS);
            default -> options.closeLingerMillis();
        };
    }

    private void flush() {
        // Newest first: a broadcast queued to the members in order, so the last ones queued are
        // the ones whose objects are still in the CPU cache. Flushing oldest first made every
        // write of a large room miss (LRU walked in the order it evicts).
        int queued = toFlush.size();
        for (int i = queued - 1; i >= 0; i--) {
            flushOne(toFlush.get(i));
        }
        for (int i = queued; i < toFlush.size(); i++) { // queued while flushing, if anything was
            flushOne(toFlush.get(i));
        }
        toFlush.clear();
    }

    private static void flushOne(Connection connection) {
        connection.flushScheduled = false;
        connection.flush();
    }
}
