package chat.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A connected TCP socket, the plain transport beneath all others: bytes as they are. Made by a
 * {@link Poller.Listener}, then registered with that listener's poller for its connection. The
 * same object is the transport of a plain connection and the base of TLS or a WebSocket over it.
 * Loop thread only.
 */
public abstract class SocketTransport implements Transport {

    /** The peer's address. */
    public abstract InetSocketAddress remoteAddress();

    /** Registers the socket with its poller, ready-for-reading reported to {@code handler}. */
    abstract void register(EventLoop.ReadyHandler handler) throws IOException;

    /** Sends a FIN after what was written: the peer reads to its end, then sees the end. */
    abstract void shutdownOutput() throws IOException;

    @Override
    public final void readInterest(boolean on) {
        setInterest(Poller.READ, on);
    }

    @Override
    public final void writeInterest(boolean on) {
        setInterest(Poller.WRITE, on);
    }

    /** Turns readiness for {@code op} ({@link Poller#READ}, {@link Poller#WRITE}) on or off; nothing once closed. */
    abstract void setInterest(int op, boolean on);
}
