package chat.server.net;

import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;

/**
 * Linux epoll, eventfd and non-blocking TCP sockets as bare file descriptors, through a small JNI
 * library ({@code src/main/c/chat_epoll.c}). A connection held this way is an {@code int}: none of
 * the objects a {@link java.nio.channels.SocketChannel} brings (its locks, two addresses, a
 * selection key and the selector's map entries, some 650 bytes of heap per connection).
 *
 * <p>Call nothing but {@link #isAvailable()} and {@link #unavailableReason()} unless the first
 * says true; the other methods then throw {@link UnsatisfiedLinkError}. The library is looked for
 * once, when this class is first used; on another platform, or where the build had no C compiler,
 * it is simply unavailable, and the server keeps to the JDK's selector.
 *
 * <p>Failures throw {@link IOException} with the message {@code "<call>: <strerror>"}, as in
 * {@code "read: Connection reset by peer"}. What happens on every loop iteration (nothing to
 * read, no room to write, no one to accept) is a return value instead. Memory addresses are
 * trusted: they must point into live native memory (a direct buffer the caller keeps reachable)
 * of at least the length given. The methods hold no state and may be called from any thread;
 * descriptors belong to the caller, who must close them.
 */
final class EpollNative {

    /** Readable, or for a listening socket: a connection to accept. */
    static final int EPOLLIN = 0x001;
    /** Writable. */
    static final int EPOLLOUT = 0x004;
    /** An error is pending (always reported, whether asked for or not). */
    static final int EPOLLERR = 0x008;
    /** Both directions are closed, as after a reset (always reported). */
    static final int EPOLLHUP = 0x010;
    /** The peer has shut down its output: the next reads end at end of stream. */
    static final int EPOLLRDHUP = 0x2000;

    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;

    /**
     * Bytes per {@code struct epoll_event}: 12 on x86_64, where the kernel's struct is packed, 16
     * on aarch64. The 12 used when the library is missing is never used for real.
     */
    static final int EVENT_SIZE;
    /** Where an event's {@code uint32_t} ready set lies within it. */
    static final int EVENT_EVENTS_OFFSET = 0;
    /** Where an event's data, the {@code int} descriptor passed to {@link #epollCtl}, lies within it. */
    static final int EVENT_DATA_OFFSET;

    /** Length of the array {@link #accept} fills with the peer's address and port. */
    static final int PEER_BYTES = 19;

    /** The system property that, set to {@code true}, keeps the library unloaded (for tests). */
    static final String DISABLED_PROPERTY = "chat.epoll.disabled";

    static {
        EVENT_SIZE = isAvailable() ? eventSize() : 12;
        EVENT_DATA_OFFSET = isAvailable() ? eventDataOffset() : 4;
    }

    /** Loads the library on first use, in the JVM's class initialization, so exactly once. */
    private static final class Library {
        /** Why the library is not loaded; null once it is. */
        static final String UNAVAILABLE_REASON = Boolean.getBoolean(DISABLED_PROPERTY)
                ? "disabled by " + DISABLED_PROPERTY
                : NativeLibraryLoader.load(EpollNative.class, "chatepoll");
    }

    private EpollNative() {
    }

    /** Whether the library is loaded; never throws. */
    static boolean isAvailable() {
        return Library.UNAVAILABLE_REASON == null;
    }

    /** Why the library is not loaded, or null when it is. */
    static String unavailableReason() {
        return Library.UNAVAILABLE_REASON;
    }

    /** A new epoll instance, closed on exec. */
    static native int epollCreate() throws IOException;

    /**
     * Adds, changes or removes {@code fd}'s interest, level-triggered; the events reported for it
     * carry {@code fd} as their data. {@code events} is ignored for {@link #EPOLL_CTL_DEL}.
     */
    static native void epollCtl(int epfd, int op, int fd, int events) throws IOException;

    /**
     * Waits for events and writes them to native memory at {@code eventsAddress}, room for
     * {@code maxEvents} entries of {@link #EVENT_SIZE} bytes; read each with
     * {@code getInt(i * EVENT_SIZE + EVENT_EVENTS_OFFSET)} and {@code EVENT_DATA_OFFSET} on a
     * buffer in native byte order.
     *
     * @param timeoutMillis -1 to wait without end, 0 not to wait
     * @return how many entries were written; 0 on timeout or when a signal interrupted the wait
     */
    static native int epollWait(int epfd, long eventsAddress, int maxEvents, int timeoutMillis)
            throws IOException;

    /** The native address of a direct buffer's first byte (not its position). */
    static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + direct);
        }
        return directBufferAddress(direct);
    }

    /** A non-blocking eventfd, closed on exec: the way other threads wake a loop in epoll_wait. */
    static native int eventFd() throws IOException;

    /** Makes {@code fd} readable until drained; many signals before a drain count as one. */
    static native void eventFdSignal(int fd);

    /** Makes an eventfd unreadable again; does nothing when it is not signalled. */
    static native void eventFdDrain(int fd);

    /**
     * A non-blocking listening TCP socket, closed on exec, with SO_REUSEADDR so a restart can
     * bind while old connections sit in TIME_WAIT. An IPv6 socket also takes IPv4 clients.
     *
     * @param address 4 bytes for IPv4, 16 for IPv6, as {@link java.net.InetAddress#getAddress()}
     * @param port 0 for any free port (see {@link #localPort})
     * @throws BindException when the address is in use, not this host's, or needs privileges
     */
    static int listen(byte[] address, int port, int backlog) throws IOException {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + address.length + " bytes");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return listen0(address, port, backlog);
    }

    /** The local port a socket is bound to. */
    static native int localPort(int fd) throws IOException;

    /**
     * Accepts a pending connection as a non-blocking socket, closed on exec, and describes its
     * peer in {@code peer}: {@code peer[0]} the address length (4 or 16; an IPv4 client of an IPv6
     * socket is given as IPv4), {@code peer[1..length]} the address, {@code peer[17..18]} the
     * port, big-endian.
     *
     * @param peer at least {@link #PEER_BYTES} bytes, overwritten only when a connection is accepted
     * @return the new descriptor, or -1 when no connection is pending (including one that the
     *     client aborted while it waited)
     * @throws IOException when accepting fails, as with "Too many open files"
     */
    static int accept(int listenFd, byte[] peer) throws IOException {
        if (peer.length < PEER_BYTES) {
            throw new IllegalArgumentException("peer needs " + PEER_BYTES + " bytes, has " + peer.length);
        }
        return accept0(listenFd, peer);
    }

    /** @return bytes read, 0 when none are waiting, -1 at end of stream */
    static native int read(int fd, long address, int length) throws IOException;

    /**
     * Sends without ever raising SIGPIPE: a peer that has gone is an {@link IOException}.
     *
     * @return bytes written, 0 when the socket's send buffer is full
     */
    static native int write(int fd, long address, int length) throws IOException;

    /**
     * TCP_NODELAY (replies go out at once) and SO_KEEPALIVE (dead peers are found in the end).
     * A socket {@link #listen} made has both, and on Linux the sockets it accepts inherit them.
     */
    static native void setNoDelayAndKeepAlive(int fd) throws IOException;

    /** Whether the socket has both TCP_NODELAY and SO_KEEPALIVE on. */
    static native boolean hasNoDelayAndKeepAlive(int fd) throws IOException;

    /** Sends FIN: the peer reads end of stream once it has read what was sent before. */
    static native void shutdownOutput(int fd) throws IOException;

    /** Closes a descriptor; never throws, and is not retried (Linux frees it even when interrupted). */
    static native void close(int fd);

    /**
     * The socket's pending error number (SO_ERROR), 0 when none, clearing it; for diagnostics.
     * When the descriptor is not a socket, the errno of asking (EBADF, ENOTSOCK).
     */
    static native int pendingError(int fd);

    private static native int eventSize();

    private static native int eventDataOffset();

    private static native long directBufferAddress(ByteBuffer direct);

    private static native int listen0(byte[] address, int port, int backlog) throws IOException;

    private static native int accept0(int listenFd, byte[] peer) throws IOException;
}
