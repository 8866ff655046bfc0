package chat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The generator's one selector and the thread that calls it: opens connections (a bounded number
 * at a time, so the server's accept backlog never overflows and no SYN waits a second to be
 * retried), cuts what each connection receives into lines and hands them to a {@link LineListener},
 * and writes what senders queued.
 *
 * <p>Lean on purpose, because a generator that is slower than the server measures itself: one
 * heap read buffer for every socket, lines handed over in place (no copy unless a line spans two
 * reads), one clock reading per read, nothing allocated per message.
 *
 * <p>With TLS, each connection gets a {@link TlsChannel} and counts as connecting until its
 * handshake is done: the bound on connects in flight bounds handshakes in flight, below the
 * server's limit on them, and keeps each round of the loop short (a handshake step costs the
 * generator milliseconds). The plaintext path only tests a field for null on the way.
 *
 * <p>Connections go to the loop's server unless they name one of their own
 * ({@link BenchConnection#server}: the nodes of a cluster), loopback as well.
 *
 * <p>Not thread-safe: everything runs on the thread that calls {@link #poll}.
 */
final class LoadLoop implements AutoCloseable {

    /** What the generator does with a line. */
    interface LineListener {
        /**
         * A line without its LF (nor the CR of a CRLF), valid during the call only.
         *
         * @param nowNanos when the bytes were read, on the {@code System.nanoTime()} clock
         */
        void onLine(BenchConnection connection, byte[] bytes, int start, int end, long nowNanos);
    }

    /** Size of the one read buffer: the most taken from one socket per readiness. */
    static final int READ_BUFFER_BYTES = 256 * 1024;

    private final Selector selector;
    private final InetSocketAddress target;
    private final SourceAddresses sources;
    private final int maxConnecting;
    private final LineListener listener;
    /** The run's TLS; null for plaintext. */
    private final ClientTls tls;
    /** This loop's record buffers; null for plaintext. */
    private final TlsChannel.Scratch tlsScratch;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final ArrayDeque<BenchConnection> toConnect = new ArrayDeque<>();
    private final List<BenchConnection> all = new ArrayList<>();
    /** Handles one ready key; a field so selecting allocates nothing. */
    private final Consumer<SelectionKey> dispatch = this::onReady;
    /** Connections whose connect (and handshake, with TLS) is under way. */
    private int connecting;
    private int connected;
    /** Connections the server closed, or that failed; a healthy run has none. */
    private int lost;
    /** The first failure seen, for the report. */
    private String firstFailure;

    LoadLoop(InetSocketAddress target, SourceAddresses sources, int maxConnecting, LineListener listener) {
        this(target, sources, maxConnecting, null, listener);
    }

    /** @param tls the run's TLS, or null for plaintext */
    LoadLoop(InetSocketAddress target, SourceAddresses sources, int maxConnecting, ClientTls tls,
            LineListener listener) {
        if (!LoopbackGuard.isLoopbackV4(target.getAddress())) {
            throw new IllegalArgumentException("refusing " + target + ": only 127.0.0.0/8");
        }
        this.target = target;
        this.sources = sources;
        this.maxConnecting = maxConnecting;
        this.listener = listener;
        this.tls = tls;
        this.tlsScratch = tls == null ? null
                : new TlsChannel.Scratch(READ_BUFFER_BYTES, tls.packetBufferSize());
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    /** Queues connections to open; they are opened by {@link #poll}, a bounded number at a time. */
    void open(List<BenchConnection> connections) {
        toConnect.addAll(connections);
    }

    int connectedCount() {
        return connected;
    }

    int lostCount() {
        return lost;
    }

    String firstFailure() {
        return firstFailure;
    }

    /** One round: start pending connects, wait at most {@code timeoutMillis} (0: do not wait), handle what is ready. */
    void poll(long timeoutMillis) throws IOException {
        startConnects();
        if (timeoutMillis <= 0) {
            selector.selectNow(dispatch);
        } else {
            selector.select(dispatch, timeoutMillis);
        }
    }

    /**
     * Takes over a connection another loop opened: from now on this loop's thread reads and
     * writes it. Call before that thread starts, or on it.
     */
    void adopt(BenchConnection c) throws IOException {
        if (!c.connected) {
            throw new IllegalStateException(c + " is still connecting; only an established connection moves");
        }
        c.key.cancel(); // the other loop stops watching it at its next select
        if (c.tls != null) {
            c.tls.useScratch(tlsScratch);
        }
        c.key = c.channel.register(selector,
                c.writeBlocked ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ, c);
    }

    /** Writes what {@code sender} has queued; turns OP_WRITE on only if the socket could not take it all. */
    void flush(BenchConnection sender) {
        if (sender.tls != null) {
            flushTls(sender);
            return;
        }
        ByteBuffer out = sender.out;
        if (out.position() == 0 || sender.key == null) {
            return;
        }
        out.flip();
        try {
            sender.channel.write(out);
        } catch (IOException e) {
            out.clear();
            fail(sender, e.toString());
            return;
        }
        out.compact();
        writeBlocked(sender, out.position() > 0);
    }

    private static void writeBlocked(BenchConnection c, boolean blocked) {
        if (blocked != c.writeBlocked) {
            c.writeBlocked = blocked;
            c.interest(blocked ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /**
     * The TLS side of {@link #flush}, for any connection: records kept from earlier first, then
     * what a sender queued; OP_WRITE stays on while either waits.
     */
    private void flushTls(BenchConnection c) {
        ByteBuffer out = c.out;
        if (c.key == null) {
            return;
        }
        try {
            if (out != null && out.position() > 0) {
                out.flip();
                c.tls.write(out);
                out.compact();
            } else {
                c.tls.flush();
            }
        } catch (IOException e) {
            if (out != null) {
                out.clear();
            }
            fail(c, e.toString());
            return;
        }
        writeBlocked(c, c.tls.hasPendingOutput() || (out != null && out.position() > 0));
    }

    private void startConnects() throws IOException {
        while (connecting < maxConnecting && !toConnect.isEmpty()) {
            BenchConnection c = toConnect.poll();
            if (c.server != null && !LoopbackGuard.isLoopbackV4(c.server.getAddress())) {
                throw new IllegalArgumentException("refusing " + c.server + ": only 127.0.0.0/8");
            }
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            sources.bind(channel);
            c.channel = channel;
            c.connectStartNanos = System.nanoTime();
            all.add(c);
            connecting++;
            if (tls != null) {
                connectForTls(c);
                continue;
            }
            channel.configureBlocking(false);
            if (channel.connect(serverOf(c))) {
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
                tcpEstablished(c);
            } else {
                c.key = channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
        }
    }

    /**
     * Connects and says the ClientHello at once, made before the connect. Our server tells TLS
     * from plaintext by a connection's first bytes and takes one that is silent for 0.3 s for a
     * native client; a hello sent when the selector next reports the connect can come later than
     * that while the loop works through other handshakes (a cold generator took 20 connects times
     * a few milliseconds each). So the connect blocks: microseconds on loopback, as at most
     * {@link #maxConnecting} connections wait to be accepted, far below any listen backlog.
     */
    private void connectForTls(BenchConnection c) throws IOException {
        c.tls = new TlsChannel(tls.newEngine(), c.channel, tlsScratch);
        try {
            c.tls.prepare();
            c.channel.connect(serverOf(c));
            c.channel.configureBlocking(false);
            c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
            tcpEstablished(c);
        } catch (IOException e) {
            fail(c, e.toString());
        }
    }

    /** Where {@code c} connects: its own server, or this loop's. */
    private InetSocketAddress serverOf(BenchConnection c) {
        return c.server != null ? c.server : target;
    }

    private void onReady(SelectionKey key) {
        BenchConnection c = (BenchConnection) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            int ops = key.readyOps();
            if ((ops & SelectionKey.OP_CONNECT) != 0) {
                if (!c.channel.finishConnect()) {
                    return;
                }
                key.interestOps(SelectionKey.OP_READ);
                tcpEstablished(c);
                return;
            }
            if ((ops & SelectionKey.OP_READ) != 0) {
                read(c);
            }
            if ((ops & SelectionKey.OP_WRITE) != 0 && key.isValid()) {
                flush(c);
            }
        } catch (IOException e) {
            fail(c, e.toString());
        }
    }

    /** TCP is up: plaintext connections are in; TLS ones send the ClientHello made before the connect. */
    private void tcpEstablished(BenchConnection c) throws IOException {
        if (c.tls == null) {
            established(c);
            return;
        }
        c.tls.flush();
        writeBlocked(c, c.tls.hasPendingOutput());
    }

    private void established(BenchConnection c) throws IOException {
        connecting--;
        connected++;
        c.connected = true;
        c.connectedNanos = System.nanoTime();
        if (c.enterBytes.length > 0) {
            sendAll(c, c.enterBytes, "on a new connection");
        }
    }

    /** Sends a few bytes that a fresh connection's socket always takes at once (entering, joining). */
    private void sendAll(BenchConnection c, byte[] bytes, String when) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (c.tls == null) {
            c.channel.write(buffer);
        } else {
            c.tls.write(buffer);
            writeBlocked(c, c.tls.hasPendingOutput());
        }
        if (buffer.hasRemaining()) {
            throw new IOException("could not send " + bytes.length + " bytes " + when);
        }
    }

    private void read(BenchConnection c) throws IOException {
        ByteBuffer buffer = readBuffer;
        buffer.clear();
        int n;
        if (c.tls == null) {
            n = c.channel.read(buffer);
        } else {
            n = c.tls.read(buffer);
            if (!c.connected && c.tls.handshakeDone()) {
                established(c);
            }
            writeBlocked(c, c.tls.hasPendingOutput() || (c.out != null && c.out.position() > 0));
        }
        if (n < 0) {
            fail(c, "closed by the server");
            return;
        }
        if (n > 0) {
            LineFramer.frame(c, buffer.array(), n, System.nanoTime(), this::onLine);
        }
    }

    /** Takes the second step of a two-step entry when the welcome arrives, then hands the line on. */
    private void onLine(BenchConnection c, byte[] bytes, int start, int end, long now) {
        if (c.closed) {
            return; // closed by the listener on an earlier line of the same read
        }
        if (c.joinBytes != null && !c.joinSent && Protocol.isWelcome(bytes, start, end)) {
            c.joinSent = true;
            try {
                sendAll(c, c.joinBytes, "after the welcome");
            } catch (IOException e) {
                fail(c, e.toString());
                return;
            }
        }
        listener.onLine(c, bytes, start, end, now);
    }

    /**
     * Closes a connection whose part in the run is over (with TLS, saying close_notify first);
     * not a loss. Its engine is released ({@link TlsChannel#close}): a handshake run goes through
     * many thousands, and BoringSSL's hold native memory until then.
     */
    void finish(BenchConnection c) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        if (!c.connected) {
            connecting--;
        }
        release(c);
    }

    private static void release(BenchConnection c) {
        if (c.key != null) {
            c.key.cancel();
        }
        if (c.tls != null) {
            c.tls.close();
            c.tls = null;
        } else {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // already broken; nothing left to release
            }
        }
    }

    private void fail(BenchConnection c, String why) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        release(c);
        if (!c.connected) {
            connecting--;
        }
        lost++;
        if (firstFailure == null) {
            firstFailure = c + ": " + why;
        }
    }

    /** Closes every connection and the selector. */
    @Override
    public void close() {
        for (BenchConnection c : all) {
            if (!c.closed) {
                release(c);
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // the process is about to report and exit
        }
    }
}
