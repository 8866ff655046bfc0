package chat.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * How a {@link Connection} moves bytes: the one place that touches its socket. Plain TCP
 * ({@link SocketTransport}), TLS over it ({@link TlsTransport}), or a WebSocket over either of them
 * after an HTTP upgrade ({@code chat.server.web.WebSocketTransport}), which is why {@link #write}
 * speaks of the caller's bytes consumed rather than bytes put on the wire (with TLS they differ:
 * records are larger than their plaintext, and may wait to be written), and why a transport may
 * hold output of its own ({@link #hasPendingOutput}: a handshake message, records the socket did
 * not take).
 *
 * <p>Modelled on Kafka's {@code TransportLayer}: the connection above knows nothing of what the
 * transport does with the bytes, and the poller above that knows nothing of either.
 *
 * <p>Loop thread only.
 */
public interface Transport extends java.nio.channels.WritableByteChannel {

    /**
     * Reads what is available into {@code dst}.
     *
     * @return the bytes read, 0 when none are waiting, -1 at end of stream
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes what the socket takes from {@code src}; the loop's writes take this and a socket
     * channel alike (a plain connection writes to its channel with no transport object at all).
     *
     * @return the bytes of {@code src} consumed; fewer than it held when the socket is full
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Writes output the transport holds of its own, before anything more is written.
     *
     * @return true when none is left
     */
    default boolean flush() throws IOException {
        return true;
    }

    /** Whether the transport holds output of its own that waits for the socket. */
    default boolean hasPendingOutput() {
        return false;
    }

    /** True when what crosses the network is encrypted: TLS here or beneath. */
    default boolean isEncrypted() {
        return false;
    }

    /**
     * True when what the connection sends must be UTF-8 whatever its client asks: WebSocket
     * text frames, which a browser refuses unless they are. A dialect then keeps the connection
     * on UTF-8 (no charset detection, no other charset by choice).
     */
    default boolean isUtf8Only() {
        return false;
    }

    /** Turns readiness notification for reading on or off. */
    void readInterest(boolean on);

    /** Turns readiness notification for writing on or off. */
    void writeInterest(boolean on);

    /** Closes the socket; safe to call more than once. */
    @Override
    void close();

    /** True until {@link #close}. */
    @Override
    boolean isOpen();
}
