package chat.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Readiness of many sockets for one thread: what the loop waits on. Two kinds behind this one
 * interface ({@link PollerKind}): the JDK's selector, which runs anywhere, and Linux epoll on raw
 * file descriptors, which holds a few dozen bytes per socket where a JDK socket channel and its
 * selection key hold some 650. Like Netty's NIO and epoll transports, only leaner: the loop,
 * the connections and the codecs above are the same for both.
 *
 * <p>{@link #wakeup} may be called from any thread; everything else is for the loop thread only.
 */
public interface Poller extends AutoCloseable {

    /** Ready for reading (or, for a {@link Listener}, for accepting). Same value as the JDK's {@code OP_READ}. */
    int READ = 1;
    /** Ready for writing. Same value as the JDK's {@code OP_WRITE}. */
    int WRITE = 4;

    /** Where a poll hands each ready socket. */
    interface Dispatch {
        /** {@code handler}'s socket is ready for {@code readyOps} ({@link #READ}, {@link #WRITE}). */
        void ready(EventLoop.ReadyHandler handler, int readyOps);
    }

    /**
     * Waits until a registered socket is ready, {@link #wakeup} is called or {@code timeoutMillis}
     * has passed (0: do not wait; negative: no limit), then hands every ready socket to
     * {@code dispatch}, each once.
     */
    void poll(long timeoutMillis, Dispatch dispatch) throws IOException;

    /** Makes a poll under way, or the next one, return at once. Safe from any thread. */
    void wakeup();

    /**
     * A listening TCP socket on {@code address}, registered so that {@code onAcceptable} hears
     * when connections wait.
     */
    Listener listen(InetSocketAddress address, int backlog, EventLoop.ReadyHandler onAcceptable) throws IOException;

    /** Which kind this is: "epoll" or "nio". */
    String name();

    /** For the log: the kind, and why it is not epoll when epoll was wanted where it loads. */
    default String description() {
        return name();
    }

    /** Closes the poller; the sockets registered with it are the caller's to close. */
    @Override
    void close();

    /** A listening socket. Loop thread only. */
    interface Listener {

        /** The bound address (with the port the system chose, for port 0). */
        InetSocketAddress localAddress();

        /**
         * The next waiting connection, non-blocking, with {@code TCP_NODELAY} and keep-alive on,
         * not yet registered; null when none waits.
         */
        SocketTransport accept() throws IOException;

        /** Turns readiness for accepting on or off (a pause after running out of descriptors). */
        void acceptInterest(boolean on);

        /** Stops listening; safe to call more than once. */
        void close();
    }
}
