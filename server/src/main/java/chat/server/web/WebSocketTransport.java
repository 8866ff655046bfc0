package chat.server.web;

import chat.server.net.PendingOutput;
import chat.server.net.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A WebSocket over another transport (plain TCP or TLS), after an HTTP upgrade: what the client
 * sends in frames reaches the connection as lines, one per message, and the lines the connection
 * writes leave as messages, one per line without its CRLF: the IRCv3 WebSocket mapping, so the IRC
 * dialect above serves a browser exactly as it serves irssi, and a room's broadcast is still
 * encoded once (the framing is per connection, a header before each line).
 *
 * <p>Pings are answered with pongs; a close frame is answered with one and ends the input; a
 * frame the RFC forbids is answered with the close code that says why ({@link WebSocketException})
 * and the connection closes as a protocol error. Closing from this side sends a normal close
 * (1000) when the socket can take it.
 *
 * <p>Memory: frames are read and made in the loop's scratch buffers ({@link WebSocketBuffers}); a
 * connection keeps only bytes the socket did not take ({@link #pendingOut}) and the start of a line
 * whose end it has not been given yet ({@link #partialLine}), both null nearly always.
 *
 * <p>Loop thread only.
 */
public final class WebSocketTransport implements Transport, WebSocketFrameDecoder.Listener {

    private final Transport socket;
    private final WebSocketBuffers shared;
    private final WebSocketFrameDecoder decoder;
    /** Text or binary frames, as the subprotocol asked. */
    private final int dataOpcode;
    /** Frame bytes read before the upgrade took effect, decoded first; null when none. */
    private byte[] receivedEarly;
    /** Bytes for the socket that it has not taken; null when none. */
    private PendingOutput pendingOut;
    /** The start of an outgoing line whose line feed has not been written to this transport yet. */
    private byte[] partialLine;
    private boolean closeSent;
    private boolean closeReceived;
    private boolean closed;

    /**
     * @param handshake the HTTP 101 response (and anything queued before it), sent first and unframed
     * @param received bytes read after the upgrade request, before this transport was in place
     * @param binary true for binary frames ({@code binary.ircv3.net}), false for text
     */
    public WebSocketTransport(Transport socket, WebSocketBuffers shared, byte[] handshake, byte[] received,
            boolean binary, long maxMessageBytes) {
        this.socket = socket;
        this.shared = shared;
        this.decoder = new WebSocketFrameDecoder(maxMessageBytes);
        this.dataOpcode = binary ? WebSocketFrameDecoder.OP_BINARY : WebSocketFrameDecoder.OP_TEXT;
        this.pendingOut = PendingOutput.of(handshake); // written when the connection flushes
        this.receivedEarly = received.length == 0 ? null : received;
    }

    /**
     * Reads frames and writes the messages' bytes into {@code dst}, a line feed after each.
     *
     * @return bytes of lines, 0 when none are complete yet, -1 after the client's close frame or at
     *     the end of the stream
     * @throws WebSocketException the client broke the protocol (the close frame saying so was sent)
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed || closeReceived) {
            return -1;
        }
        ByteBuffer in = shared.in();
        in.clear();
        // Output is at most the input plus one line feed: reading no more than that fits keeps
        // every decoded byte in dst, so nothing waits here for a read that may never come.
        int room = Math.min(in.capacity(), dst.remaining() - 1);
        if (room <= 0) {
            return 0;
        }
        in.limit(room);
        int read = 0;
        if (receivedEarly != null) {
            int n = Math.min(room, receivedEarly.length);
            in.put(receivedEarly, 0, n);
            receivedEarly = n == receivedEarly.length ? null : java.util.Arrays.copyOfRange(receivedEarly, n, receivedEarly.length);
        }
        if (in.hasRemaining() && receivedEarly == null) {
            read = socket.read(in);
        }
        in.flip();
        int before = dst.position();
        try {
            decoder.decode(in, dst, this);
        } catch (WebSocketException e) {
            sendClose(e.closeCode(), e.getMessage());
            throw e;
        }
        int produced = dst.position() - before;
        if (produced > 0) {
            return produced; // an end that came with it is seen by the next read
        }
        if (closeReceived) {
            return -1;
        }
        if (read < 0) {
            if (decoder.insideFrame()) {
                throw new IOException("WebSocket ended inside a frame");
            }
            return -1;
        }
        return 0;
    }

    @Override
    public void onPing(byte[] payload) {
        if (!closeSent) {
            queue(WebSocketFrames.frame(WebSocketFrameDecoder.OP_PONG, payload));
        }
    }

    @Override
    public void onClose(int code, String reason) {
        closeReceived = true;
        if (!closeSent) {
            closeSent = true;
            queue(WebSocketFrames.close(code, ""));
        }
    }

    /**
     * Frames each whole line of {@code src} as one message and writes them; the start of a line
     * without its line feed is kept until the rest comes. Frames the socket does not take are kept
     * and go first next time.
     *
     * @return bytes of {@code src} consumed: 0 while earlier bytes wait for the socket
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (closed || closeSent) {
            throw new IOException("WebSocket closed");
        }
        if (!flush()) {
            return 0;
        }
        ByteBuffer out = shared.out();
        out.clear();
        int consumed = 0;
        while (src.hasRemaining()) {
            int start = src.position();
            int lineFeed = indexOf(src, (byte) '\n');
            if (lineFeed < 0) {
                keepPartial(src);
                consumed += src.position() - start;
                break;
            }
            int kept = partialLine == null ? 0 : partialLine.length;
            int fromSrc = lineFeed - start;
            long length = kept + fromSrc;
            byte last = fromSrc > 0 ? src.get(lineFeed - 1) : kept > 0 ? partialLine[kept - 1] : 0;
            if (last == '\r') {
                length--; // the line's CRLF is not part of the message
            }
            if (out.remaining() < WebSocketFrames.MAX_HEADER_BYTES + length) {
                if (out.position() == 0) {
                    throw new IOException("a line of " + length + " bytes is longer than a WebSocket write holds");
                }
                break; // the rest goes in the next write
            }
            if (length > 0) {
                WebSocketFrames.putHeader(out, dataOpcode, length);
                int fromKept = (int) Math.min(kept, length);
                if (fromKept > 0) {
                    out.put(partialLine, 0, fromKept);
                }
                int rest = (int) length - fromKept;
                out.put(out.position(), src, start, rest); // src is the loop's direct buffer: no array
                out.position(out.position() + rest);
            }
            partialLine = null;
            src.position(lineFeed + 1);
            consumed += lineFeed + 1 - start;
        }
        out.flip();
        send(out);
        return consumed;
    }

    private static int indexOf(ByteBuffer src, byte b) {
        for (int i = src.position(); i < src.limit(); i++) {
            if (src.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** Keeps the rest of {@code src}, a line begun and not ended, after what was kept before. */
    private void keepPartial(ByteBuffer src) throws IOException {
        int kept = partialLine == null ? 0 : partialLine.length;
        if (kept + src.remaining() > shared.out().capacity() - WebSocketFrames.MAX_HEADER_BYTES) {
            throw new IOException("an outgoing line longer than " + shared.out().capacity() + " bytes");
        }
        byte[] more = partialLine == null ? new byte[src.remaining()] : java.util.Arrays.copyOf(partialLine, kept + src.remaining());
        src.get(more, kept, src.remaining());
        partialLine = more;
    }

    /** Writes bytes now, or keeps what the socket does not take, after what already waits. */
    private void send(ByteBuffer bytes) throws IOException {
        pendingOut = PendingOutput.send(pendingOut, socket, bytes);
    }

    /** A control frame: it goes after what waits already, never inside a frame (frames are written whole). */
    private void queue(byte[] frame) {
        try {
            send(ByteBuffer.wrap(frame));
        } catch (IOException e) {
            // The socket failed: the next read or write says so to the connection.
        }
    }

    @Override
    public boolean flush() throws IOException {
        if (!socket.flush()) {
            return false;
        }
        if (pendingOut == null) {
            return true;
        }
        if (!pendingOut.flushTo(socket)) {
            return false;
        }
        pendingOut = null;
        return socket.flush();
    }

    @Override
    public boolean hasPendingOutput() {
        return pendingOut != null || socket.hasPendingOutput();
    }

    @Override
    public boolean isEncrypted() {
        return socket.isEncrypted();
    }

    /** Text frames must hold UTF-8 (RFC 6455, 5.6); binary frames ({@code binary.ircv3.net}) any bytes. */
    @Override
    public boolean isUtf8Only() {
        return dataOpcode == WebSocketFrameDecoder.OP_TEXT;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void readInterest(boolean on) {
        socket.readInterest(on);
    }

    @Override
    public void writeInterest(boolean on) {
        socket.writeInterest(on);
    }

    /**
     * Gives what waits for the socket (a close frame echoed, say) one last chance, sends a normal
     * close (1000) if none was sent and the socket can take it now, then closes.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } catch (IOException e) {
            // The peer is gone: nothing more will reach it.
        }
        if (!closeSent && pendingOut == null) {
            sendClose(1000, "");
        }
        closed = true;
        pendingOut = null;
        partialLine = null;
        receivedEarly = null;
        socket.close();
    }

    private void sendClose(int code, String reason) {
        if (closeSent) {
            return;
        }
        closeSent = true;
        try {
            flush();
            send(ByteBuffer.wrap(WebSocketFrames.close(code, reason)));
        } catch (IOException e) {
            // Best effort: a peer that is gone needs no goodbye.
        }
    }
}
