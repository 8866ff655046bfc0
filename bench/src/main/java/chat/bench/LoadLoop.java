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
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final ArrayDeque<BenchConnection> toConnect = new ArrayDeque<>();
    private final List<BenchConnection> all = new ArrayList<>();
    /** Handles one ready key; a field so selecting allocates nothing. */
    private final Consumer<SelectionKey> dispatch = this::onReady;
    /** Connections whose connect is under way. */
    private int connecting;
    private int connected;
    /** Connections the server closed, or that failed; a healthy run has none. */
    private int lost;
    /** The first failure seen, for the report. */
    private String firstFailure;

    LoadLoop(InetSocketAddress target, SourceAddresses sources, int maxConnecting, LineListener listener) {
        if (!LoopbackGuard.isLoopbackV4(target.getAddress())) {
            throw new IllegalArgumentException("refusing " + target + ": only 127.0.0.0/8");
        }
        this.target = target;
        this.sources = sources;
        this.maxConnecting = maxConnecting;
        this.listener = listener;
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
        c.key = c.channel.register(selector,
                c.writeBlocked ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ, c);
    }

    /** Writes what {@code sender} has queued; turns OP_WRITE on only if the socket could not take it all. */
    void flush(BenchConnection sender) {
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
        boolean blocked = out.position() > 0;
        if (blocked != sender.writeBlocked) {
            sender.writeBlocked = blocked;
            sender.interest(blocked ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private void startConnects() throws IOException {
        while (connecting < maxConnecting && !toConnect.isEmpty()) {
            BenchConnection c = toConnect.poll();
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress source = sources.next();
            if (source != null) {
                channel.bind(source);
            }
            c.channel = channel;
            all.add(c);
            if (channel.connect(target)) {
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
                established(c);
            } else {
                c.key = channel.register(selector, SelectionKey.OP_CONNECT, c);
                connecting++;
            }
        }
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
                connecting--;
                key.interestOps(SelectionKey.OP_READ);
                established(c);
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

    private void established(BenchConnection c) throws IOException {
        connected++;
        c.connected = true;
        if (c.enterBytes.length > 0) {
            ByteBuffer enter = ByteBuffer.wrap(c.enterBytes);
            c.channel.write(enter);
            if (enter.hasRemaining()) {
                throw new IOException("could not send " + c.enterBytes.length + " bytes on a new connection");
            }
        }
    }

    private void read(BenchConnection c) throws IOException {
        ByteBuffer buffer = readBuffer;
        buffer.clear();
        int n = c.channel.read(buffer);
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
        if (c.joinBytes != null && !c.joinSent && Protocol.isWelcome(bytes, start, end)) {
            c.joinSent = true;
            try {
                ByteBuffer join = ByteBuffer.wrap(c.joinBytes);
                c.channel.write(join);
                if (join.hasRemaining()) {
                    throw new IOException("could not send " + c.joinBytes.length + " bytes after the welcome");
                }
            } catch (IOException e) {
                fail(c, e.toString());
                return;
            }
        }
        listener.onLine(c, bytes, start, end, now);
    }

    private void fail(BenchConnection c, String why) {
        if (c.key != null) {
            c.key.cancel();
        }
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // already broken; nothing left to release
        }
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
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing at the end of a run; nothing to do about it
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // the process is about to report and exit
        }
    }
}
