package chat.server.net;

import chat.common.FrameHandler;
import chat.common.LineFrameDecoder;
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
 * <p>Input: one read per readiness, cut into frames by the connection's {@link LineFrameDecoder},
 * handed to the {@link ProtocolHandler}. Backpressure never drops a line: when the flood bucket
 * is empty, or the connection has had its share of this iteration, decoding pauses, the bytes
 * not yet decoded are kept as a backlog, and {@code OP_READ} is off until the connection may go
 * on; TCP flow control then slows the sender.
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
    /** Most lines handled for one connection per loop iteration, so one sender cannot hog it. */
    static final int MAX_LINES_PER_ITERATION = 256;

    private final TcpServer server;
    private final SocketChannel channel;
    private final SelectionKey key;
    /** The peer's address, for logs and per-address limits. */
    private final InetSocketAddress peer;
    private final Limits limits;
    /** Cuts incoming bytes into lines; holds an unfinished line between reads. */
    private final LineFrameDecoder decoder;
    /** Bytes waiting to be written. */
    private final OutboundQueue outbound = new OutboundQueue();
    /** Flood control; null when the flood limit is off. */
    private final TokenBucket floodBucket;
    /** The dialect this connection speaks. */
    private ProtocolHandler handler;
    /** True while this connection is on the server's flush list for this iteration. */
    boolean flushScheduled;
    /** True while OP_WRITE is in the interest set. */
    private boolean writeInterest;
    /** Read bytes not yet decoded because input is paused; null when there are none. */
    private byte[] backlog;
    /** True while input is paused (flood or fairness); a timer or task resumes it. */
    private boolean inputPaused;
    /** Lines handled in the current burst, for {@link #MAX_LINES_PER_ITERATION}. */
    private int linesThisTurn;
    /** True once the first bytes were checked for a protocol that is not ours. */
    private boolean sniffed;
    /** True once flood throttling was logged for this connection (logged once). */
    private boolean floodLogged;
    /** True once end of stream was read: nothing more will come in. */
    private boolean inputShutdown;
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

    Connection(TcpServer server, SocketChannel channel, SelectionKey key, InetSocketAddress peer, Limits limits) {
        this.server = server;
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        this.limits = limits;
        this.decoder = new LineFrameDecoder(limits.maxLineBytes());
        this.lastInputNanos = System.nanoTime();
        this.floodBucket = limits.floodRate() > 0
                ? new TokenBucket(limits.floodRate(), limits.floodBurst(), lastInputNanos) : null;
    }

    void handler(ProtocolHandler handler) {
        this.handler = handler;
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
        return inputPaused;
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
        if (limits.maxPendingBytes() > 0 && pending > limits.maxPendingBytes()) {
            sendQueueExceeded(pending, limits.maxPendingBytes(), "hard limit");
        } else if (limits.softPendingBytes() > 0) {
            checkSoftLimit(pending);
        }
    }

    private void checkSoftLimit(long pending) {
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
        backlog = null;
        setInterest(SelectionKey.OP_READ, false);
        server.scheduleReap(this);
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            int ready = readyKey.readyOps();
            if ((ready & SelectionKey.OP_READ) != 0 && closeReason == null && !inputPaused) {
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
            endOfInput();
            close(CloseReason.RESET, e.getMessage());
            return;
        }
        if (n < 0) {
            endOfInput();
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
        linesThisTurn = 0;
        decodeOrKeep(bytes, 0, n);
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

    /** Decodes; whatever a pause leaves undecoded becomes the backlog. */
    private void decodeOrKeep(byte[] bytes, int offset, int length) {
        int consumed = decoder.decode(bytes, offset, length, frames);
        if (consumed < length && closeReason == null) {
            backlog = java.util.Arrays.copyOfRange(bytes, offset + consumed, offset + length);
        }
    }

    /** Goes on with input after a pause: the backlog first, then the socket. */
    void resumeInput() {
        if (closeReason != null || !inputPaused) {
            return;
        }
        if (floodBucket != null && !floodBucket.hasToken(System.nanoTime())) {
            scheduleFloodResume();
            return;
        }
        inputPaused = false;
        linesThisTurn = 0;
        try {
            if (backlog != null) {
                byte[] rest = backlog;
                backlog = null;
                decodeOrKeep(rest, 0, rest.length);
            }
            if (!inputPaused && closeReason == null && !inputShutdown) {
                setInterest(SelectionKey.OP_READ, true);
            }
        } catch (RuntimeException e) {
            fault(e);
        }
    }

    private void pauseInput() {
        inputPaused = true;
        decoder.pause();
        setInterest(SelectionKey.OP_READ, false);
    }

    private void scheduleFloodResume() {
        long waitNanos = floodBucket.nanosUntilNextToken(System.nanoTime());
        server.loop().schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1), this::resumeInput);
    }

    /**
     * Every frame passes here: delivered while the connection is open, then counted against
     * the flood bucket and the per-iteration share; either running out pauses input.
     */
    private final FrameHandler frames = new FrameHandler() {
        @Override
        public void onFrame(byte[] bytes, int offset, int length) {
            if (closeReason != null) {
                return;
            }
            handler.onFrame(bytes, offset, length);
            if (closeReason != null || inputShutdown) {
                return; // at end of input there is nothing to pause: deliver all that came
            }
            if (floodBucket != null && !floodBucket.take(System.nanoTime())) {
                if (!floodLogged) {
                    floodLogged = true;
                    log.info("throttling {}: over {} lines/s (burst {}); reading paused, nothing dropped",
                            peer, limits.floodRate(), limits.floodBurst());
                }
                server.countFloodPause();
                pauseInput();
                scheduleFloodResume();
            } else if (++linesThisTurn >= MAX_LINES_PER_ITERATION) {
                pauseInput();
                server.loop().execute(Connection.this::resumeInput); // next iteration
            }
        }

        @Override
        public void onFrameTooLong(long lengthSeen, int maxLength) {
            if (closeReason == null) {
                log.info("line too long from {}: {} bytes or more, limit {}; discarded", peer, lengthSeen, maxLength);
                handler.onFrameTooLong(lengthSeen, maxLength);
            }
        }
    };

    private void endOfInput() {
        if (!inputShutdown) {
            inputShutdown = true;
            decoder.finish(frames);
        }
    }

    /**
     * A write failed because the peer is gone, but what it sent before going may still sit
     * unread in the socket (a client that sends, closes and never reads gets our welcome
     * answered with a reset): deliver it rather than lose it.
     */
    private void salvageInput() {
        if (closeReason != null || inputShutdown || inputPaused) {
            return;
        }
        inputShutdown = true; // from here on, deliver everything: no pausing
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
            decoder.decode(server.loop().readBytes(), 0, n, frames);
        }
        decoder.finish(frames);
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

    /** Called once by the server at a safe point after {@link #close}. */
    void onReaped() {
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
        backlog = null;
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
        if (!key.isValid()) {
            return;
        }
        if (op == SelectionKey.OP_WRITE) {
            if (writeInterest == on) {
                return;
            }
            writeInterest = on;
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
