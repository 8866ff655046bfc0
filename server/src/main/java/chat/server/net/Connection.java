package chat.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: its socket, the bytes on their way in and out, and where it is in its
 * life (open, closing, closed). Attached to its selection key; everything here runs on the
 * event-loop thread.
 *
 * <p>Input: one read per readiness (fairness: a busy peer cannot keep the loop to itself), handed
 * to the connection's {@link InputFlow}, which frames it for the {@link ProtocolHandler} and
 * applies backpressure without dropping a line. A peer that goes away still has what it sent
 * delivered, including a last line without a newline.
 *
 * <p>Output: {@link #send} only queues, and asks the server to flush this connection at the end
 * of the iteration; {@code OP_WRITE} is on only while bytes are left over after a write. A client
 * whose queue passes the hard limit, or stays over the soft limit past its grace period, is told
 * and disconnected.
 *
 * <p>Closing: {@link #close} only marks the connection; the server reaps it at a safe point of
 * the loop, tells the handler once, sends what is still queued when the reason allows it (within
 * a bounded time), and closes the socket.
 */
public final class Connection implements EventLoop.ReadyHandler {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** Most reads made to rescue a dead peer's last input (see salvageInput), 64 KiB each. */
    private static final int MAX_SALVAGE_READS = 4;

    private final TcpServer server;
    private final SocketChannel channel;
    private final SelectionKey key;
    /** The peer's address, for logs and per-address limits. */
    private final InetSocketAddress peer;
    /** The way in: framing and backpressure. */
    private final InputFlow input;
    /** Bytes waiting to be written. */
    private final OutboundQueue outbound = new OutboundQueue();
    /** The dialect this connection speaks. */
    private ProtocolHandler handler;
    /** True while this connection is on the server's flush list for this iteration. */
    boolean flushScheduled;
    /** True while OP_WRITE is in the interest set. */
    private boolean writeInterest;
    /** True once the first bytes were checked for a protocol that is not ours. */
    private boolean sniffed;
    /** When this connection last received bytes, System.nanoTime. */
    private long lastInputNanos;
    /** Since when the queue has been over the soft limit, System.nanoTime; 0 while under it. */
    private long overSoftLimitSince;
    /** Why this connection is closing; null while it is open. */
    private CloseReason closeReason;
    /** Words to go with {@link #closeReason}, for the log and the quit notice. */
    private String closeDetail;
    /** True once the server has reaped this connection and told its handler. */
    boolean reaped;
    /** True once the socket is closed. */
    private boolean closed;
    /** The timer that ends a lingering close, if one is running. */
    EventLoop.Timer lingerTimer;
    /** Where this connection sits in its server's {@link ConnectionSet}; -1 when in none. */
    int setIndex = -1;

    Connection(TcpServer server, SocketChannel channel, SelectionKey key, InetSocketAddress peer, Limits limits) {
        this.server = server;
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        this.lastInputNanos = System.nanoTime();
        this.input = new InputFlow(this, limits, lastInputNanos);
    }

    void handler(ProtocolHandler handler) {
        this.handler = handler;
    }

    ProtocolHandler handler() {
        return handler;
    }

    TcpServer server() {
        return server;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    /** True until {@link #close} was called. */
    public boolean isOpen() {
        return closeReason == null;
    }

    public CloseReason closeReason() {
        return closeReason;
    }

    /** Bytes queued for this peer and not yet written. */
    public long pendingBytes() {
        return outbound.pendingBytes();
    }

    /** True while reading from this peer is paused by flood control or fairness. */
    public boolean isInputPaused() {
        return input.isPaused();
    }

    long lastInputNanos() {
        return lastInputNanos;
    }

    /**
     * Queues bytes for the peer; they go out at the end of this loop iteration. The array is
     * not copied and must not change afterwards: it may be shared with other connections.
     * Dropped once the connection is closing. May disconnect a client that does not read.
     */
    public void send(byte[] bytes) {
        if (closeReason != null) {
            return;
        }
        outbound.add(bytes);
        server.scheduleFlush(this);
        long pending = outbound.pendingBytes();
        Limits limits = server.limits();
        if (limits.maxPendingBytes() > 0 && pending > limits.maxPendingBytes()) {
            sendQueueExceeded(pending, limits.maxPendingBytes(), "hard limit");
        } else if (limits.softPendingBytes() > 0) {
            checkSoftLimit(pending, limits);
        }
    }

    private void checkSoftLimit(long pending, Limits limits) {
        if (pending <= limits.softPendingBytes()) {
            overSoftLimitSince = 0;
            return;
        }
        long now = System.nanoTime();
        if (overSoftLimitSince == 0) {
            overSoftLimitSince = now;
        } else if (now - overSoftLimitSince > TimeUnit.SECONDS.toNanos(limits.softPendingSeconds())) {
            sendQueueExceeded(pending, limits.softPendingBytes(),
                    "soft limit for over " + limits.softPendingSeconds() + " s");
        }
    }

    /**
     * The client does not read: drop what it would never take, queue the line that says why
     * (it may still read that), and disconnect it. Memory for it is freed at once.
     */
    private void sendQueueExceeded(long pending, long limit, String which) {
        log.warn("disconnecting {}: send queue exceeded ({} bytes pending, {} {} bytes)",
                peer, pending, which, limit);
        outbound.clear();
        handler.onLimitExceeded(LimitKind.SEND_QUEUE, pending, limit);
        close(CloseReason.LIMIT, "send queue exceeded");
    }

    /** Tells the client about a limit, then closes; for limits the server checks from outside. */
    void limitExceeded(LimitKind limit, long figure, long max, String detail) {
        if (closeReason != null) {
            return;
        }
        handler.onLimitExceeded(limit, figure, max);
        close(limit == LimitKind.IDLE ? CloseReason.IDLE : CloseReason.LIMIT, detail);
    }

    /**
     * Marks the connection for closing; the first reason given wins. Frames still buffered are
     * not delivered. Safe to call from anywhere on the loop thread, even inside a broadcast.
     */
    public void close(CloseReason reason, String detail) {
        if (closeReason != null) {
            return;
        }
        closeReason = reason;
        closeDetail = detail;
        input.discard();
        setInterest(SelectionKey.OP_READ, false);
        server.scheduleReap(this);
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            int ready = readyKey.readyOps();
            if ((ready & SelectionKey.OP_READ) != 0 && closeReason == null && !input.isPaused()) {
                read();
            }
            if ((ready & SelectionKey.OP_WRITE) != 0 && !closed) {
                flush();
            }
        } catch (CancelledKeyException e) {
            close(CloseReason.RESET, "key cancelled");
        } catch (RuntimeException e) {
            fault(e);
        }
    }

    private void fault(RuntimeException e) {
        log.warn("closing {} after an unexpected failure", peer, e);
        close(CloseReason.ERROR, e.toString());
    }

    /**
     * One read into the loop's buffer, copied to the loop's byte array for the decoder.
     *
     * @return bytes read, 0 if none were waiting, -1 at end of stream
     */
    private int readChunk() throws IOException {
        ByteBuffer buffer = server.loop().readBuffer();
        buffer.clear();
        int n = channel.read(buffer);
        if (n > 0) {
            buffer.flip();
            buffer.get(server.loop().readBytes(), 0, n);
        }
        return n;
    }

    private void read() {
        int n;
        try {
            n = readChunk();
        } catch (IOException e) {
            // Data that arrived before a reset was read by earlier calls; a line left
            // unfinished by a peer that reset is still delivered, like one ended by a close.
            input.end();
            close(CloseReason.RESET, e.getMessage());
            return;
        }
        if (n < 0) {
            input.end();
            close(CloseReason.END_OF_STREAM, null);
            return;
        }
        if (n == 0) {
            return;
        }
        lastInputNanos = System.nanoTime();
        byte[] bytes = server.loop().readBytes();
        if (!sniffed && !sniff(bytes, n)) {
            return;
        }
        input.accept(bytes, 0, n);
    }

    /**
     * Checks a connection's first bytes for a protocol that cannot be ours. A TLS ClientHello
     * (record type 22, version 3.x) on the plain port gets no text answer: the peer expects
     * binary and would show garbage.
     */
    private boolean sniff(byte[] bytes, int n) {
        sniffed = true;
        if (n >= 3 && bytes[0] == 0x16 && bytes[1] == 0x03 && bytes[2] <= 0x04) {
            log.info("closing {}: TLS handshake on the plain-text port", peer);
            close(CloseReason.PROTOCOL, "TLS handshake on the plain-text port");
            return false;
        }
        return true;
    }

    /** Housekeeping, about once a second: lets an idle connection give back its queue's ring. */
    void trimOutbound() {
        outbound.trimIfQuiet();
    }

    /** Resumes reading from the socket, or stops it; for the input flow's backpressure. */
    void readInterest(boolean on) {
        setInterest(SelectionKey.OP_READ, on);
    }

    /**
     * A write failed because the peer is gone, but what it sent before going may still sit
     * unread in the socket (a client that sends, closes and never reads gets our welcome
     * answered with a reset): deliver it rather than lose it.
     */
    private void salvageInput() {
        if (closeReason != null || input.hasEnded() || input.isPaused()) {
            return;
        }
        for (int i = 0; i < MAX_SALVAGE_READS && closeReason == null; i++) {
            int n;
            try {
                n = readChunk();
            } catch (IOException e) {
                break;
            }
            if (n <= 0) {
                break;
            }
            input.acceptFinal(server.loop().readBytes(), 0, n);
        }
        input.end();
    }

    /** Writes what is queued, within the per-iteration budget; called by the server and on OP_WRITE. */
    void flush() {
        if (closed) {
            return;
        }
        if (!outbound.isEmpty()) {
            try {
                outbound.writeTo(channel, server.loop().writeBuffer(), server.maxWriteBytesPerIteration());
            } catch (IOException e) {
                outbound.clear();
                salvageInput();
                close(CloseReason.RESET, e.getMessage());
                if (reaped) {
                    closeNow();
                }
                return;
            }
        }
        boolean drained = outbound.isEmpty();
        if (drained) {
            overSoftLimitSince = 0;
        }
        setInterest(SelectionKey.OP_WRITE, !drained);
        if (drained && reaped) {
            closeNow(); // a lingering close has sent its last byte
        }
    }

    /** Called by the server at a safe point after {@link #close}; acts once. */
    void onReaped() {
        if (reaped) {
            return; // closeAllNow() reaps at once; the reap list may still hold it
        }
        reaped = true;
        if (handler != null) {
            try {
                handler.onClose(closeReason, closeDetail);
            } catch (RuntimeException e) {
                log.warn("handler of {} failed while closing", peer, e);
            }
        }
        if (log.isDebugEnabled()) {
            log.debug("closing {}: {}{}", peer, closeReason.description(),
                    closeDetail == null ? "" : " (" + closeDetail + ")");
        }
    }

    /** True when the connection should stay a while to send what is queued. */
    boolean shouldLinger() {
        return closeReason.flushFirst() && !outbound.isEmpty() && !closed;
    }

    /** Closes the socket now, dropping whatever is still queued. */
    void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        if (closeReason == null) {
            closeReason = CloseReason.ERROR;
        }
        if (closeReason.flushFirst()) {
            drainInput();
        }
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing the socket of {} failed", peer, e);
        }
        outbound.clear();
        input.discard();
        server.onClosed(this);
    }

    /**
     * Reads and drops what the peer sent and we never read: closing a socket with unread input
     * makes the kernel send a reset, which can destroy our last line before the peer reads it.
     */
    private void drainInput() {
        ByteBuffer buffer = server.loop().readBuffer();
        try {
            for (int i = 0; i < 4; i++) {
                buffer.clear();
                if (channel.read(buffer) <= 0) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // The peer is gone already; nothing left to protect.
        }
    }

    private void setInterest(int op, boolean on) {
        // The write-interest flag first: every flush asks for it, and answering from this object
        // spares a cache line of the selection key per delivery in a large room.
        if (op == SelectionKey.OP_WRITE) {
            if (writeInterest == on) {
                return;
            }
            writeInterest = on;
        }
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
    public String toString() {
        return "Connection[" + peer + "]";
    }
}
