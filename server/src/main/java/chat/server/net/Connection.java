package chat.server.net;

import chat.common.FrameHandler;
import chat.common.LineFrameDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: its socket, the bytes on their way in and out, and where it is in its
 * life (open, closing, closed). Attached to its selection key; everything here runs on the
 * event-loop thread.
 *
 * <p>Input: one read per readiness (fairness: a busy peer cannot keep the loop to itself), cut
 * into frames by the connection's {@link LineFrameDecoder}, handed to the {@link ProtocolHandler}.
 * Output: {@link #send} only queues, and asks the server to flush this connection at the end of
 * the iteration; {@code OP_WRITE} is on only while bytes are left over after a write.
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
    /** Cuts incoming bytes into lines; holds an unfinished line between reads. */
    private final LineFrameDecoder decoder;
    /** Bytes waiting to be written. */
    private final OutboundQueue outbound = new OutboundQueue();
    /** The dialect this connection speaks; replaceable while open (dialect detection). */
    private ProtocolHandler handler;
    /** True while this connection is on the server's flush list for this iteration. */
    boolean flushScheduled;
    /** True while OP_WRITE is in the interest set. */
    private boolean writeInterest;
    /** True once end of stream was read: nothing more will come in. */
    private boolean inputShutdown;
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

    Connection(TcpServer server, SocketChannel channel, SelectionKey key, InetSocketAddress peer, int maxLine) {
        this.server = server;
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        this.decoder = new LineFrameDecoder(maxLine);
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

    /**
     * Queues bytes for the peer; they go out at the end of this loop iteration. The array is
     * not copied and must not change afterwards: it may be shared with other connections.
     * Dropped once the connection is closing.
     */
    public void send(byte[] bytes) {
        if (closeReason != null) {
            return;
        }
        outbound.add(bytes);
        server.scheduleFlush(this);
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
        setInterest(SelectionKey.OP_READ, false);
        server.scheduleReap(this);
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            int ready = readyKey.readyOps();
            if ((ready & SelectionKey.OP_READ) != 0 && closeReason == null) {
                read();
            }
            if ((ready & SelectionKey.OP_WRITE) != 0 && !closed) {
                flush();
            }
        } catch (CancelledKeyException e) {
            close(CloseReason.RESET, "key cancelled");
        } catch (RuntimeException e) {
            log.warn("closing {} after an unexpected failure", peer, e);
            close(CloseReason.ERROR, e.toString());
        }
    }

    private void read() {
        ByteBuffer buffer = server.loop().readBuffer();
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
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
        byte[] bytes = server.loop().readBytes();
        buffer.flip();
        buffer.get(bytes, 0, n);
        decoder.decode(bytes, 0, n, frames);
    }

    /**
     * A write failed because the peer is gone, but what it sent before going may still sit
     * unread in the socket (a client that sends, closes and never reads gets our welcome
     * answered with a reset): deliver it rather than lose it.
     */
    private void salvageInput() {
        if (closeReason != null || inputShutdown) {
            return;
        }
        for (int i = 0; i < MAX_SALVAGE_READS && closeReason == null && !inputShutdown; i++) {
            ByteBuffer buffer = server.loop().readBuffer();
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                break;
            }
            if (n <= 0) {
                break;
            }
            byte[] bytes = server.loop().readBytes();
            buffer.flip();
            buffer.get(bytes, 0, n);
            decoder.decode(bytes, 0, n, frames);
        }
        endOfInput();
    }

    private void endOfInput() {
        if (!inputShutdown) {
            inputShutdown = true;
            decoder.finish(frames);
        }
    }

    /** Passes frames on while the connection is open; after close() they are dropped. */
    private final FrameHandler frames = new FrameHandler() {
        @Override
        public void onFrame(byte[] bytes, int offset, int length) {
            if (closeReason == null) {
                handler.onFrame(bytes, offset, length);
            }
        }

        @Override
        public void onFrameTooLong(long lengthSeen, int maxLength) {
            if (closeReason == null) {
                handler.onFrameTooLong(lengthSeen, maxLength);
            }
        }
    };

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
        key.interestOps(on ? ops | op : ops & ~op);
    }

    @Override
    public String toString() {
        return "Connection[" + peer + "]";
    }
}
