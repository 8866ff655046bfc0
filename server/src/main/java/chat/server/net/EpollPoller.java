package chat.server.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Linux epoll on raw file descriptors ({@link EpollNative}): a socket is an {@code int} and a
 * small {@link EpollSocket}, its handler and interest live in arrays indexed by descriptor here.
 * Level-triggered, with the JDK selector's semantics: a socket whose interest is empty is taken
 * out of the epoll set, hang-ups and errors are reported as readiness for what it is interested
 * in, and the handler finds out by reading or writing.
 */
final class EpollPoller implements Poller {

    /** Most events taken from the kernel per wait; more wait for the next one. */
    static final int MAX_EVENTS = 1024;
    /** Bytes of the buffer that heap buffers are copied through (direct ones go straight through). */
    private static final int SCRATCH_BYTES = 64 * 1024;

    private final int epollFd;
    /** An eventfd in the epoll set that {@link #wakeup} writes to. */
    private final int wakeupFd;
    /** True from a wakeup until the loop has seen it: other threads' wakeups are one write, not one each. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** The kernel's events array, in native memory. */
    private final ByteBuffer events;
    private final long eventsAddress;
    /** Each descriptor's handler; null for none. */
    private EventLoop.ReadyHandler[] handlers = new EventLoop.ReadyHandler[1024];
    /** Each descriptor's interest ({@link #READ}, {@link #WRITE}); 0 when out of the epoll set. */
    private int[] interests = new int[1024];
    /** Filled by each accept: the peer's address and port. */
    private final byte[] peerBytes = new byte[EpollNative.PEER_BYTES];
    /** What reads into and writes from heap buffers go through. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
    private final long scratchAddress;
    private boolean closed;

    EpollPoller() throws IOException {
        epollFd = EpollNative.epollCreate();
        try {
            wakeupFd = EpollNative.eventFd();
        } catch (IOException e) {
            EpollNative.close(epollFd);
            throw e;
        }
        EpollNative.epollCtl(epollFd, EpollNative.EPOLL_CTL_ADD, wakeupFd, EpollNative.EPOLLIN);
        events = ByteBuffer.allocateDirect(MAX_EVENTS * EpollNative.EVENT_SIZE).order(ByteOrder.nativeOrder());
        eventsAddress = EpollNative.address(events);
        scratchAddress = EpollNative.address(scratch);
    }

    @Override
    public void poll(long timeoutMillis, Dispatch dispatch) throws IOException {
        int timeout = timeoutMillis < 0 ? -1 : (int) Math.min(timeoutMillis, Integer.MAX_VALUE);
        int ready = EpollNative.epollWait(epollFd, eventsAddress, MAX_EVENTS, timeout);
        for (int i = 0; i < ready; i++) {
            int at = i * EpollNative.EVENT_SIZE;
            int fd = events.getInt(at + EpollNative.EVENT_DATA_OFFSET);
            int happened = events.getInt(at + EpollNative.EVENT_EVENTS_OFFSET);
            if (fd == wakeupFd) {
                EpollNative.eventFdDrain(wakeupFd);
                // After the drain: a wakeup from here on writes again (see wakeup()).
                wakeupPending.set(false);
                continue;
            }
            // A handler earlier in this batch may have closed this descriptor (and a new
            // connection taken its number: then the readiness is spurious, and its read finds nothing).
            EventLoop.ReadyHandler handler = fd < handlers.length ? handlers[fd] : null;
            if (handler == null) {
                continue;
            }
            int readyOps = readyOps(happened) & interests[fd];
            if (readyOps != 0) {
                dispatch.ready(handler, readyOps);
            }
        }
    }

    /** The epoll events as readiness: a hang-up or an error is news for a reader and a writer alike. */
    static int readyOps(int happened) {
        int ops = 0;
        if ((happened & (EpollNative.EPOLLIN | EpollNative.EPOLLRDHUP | EpollNative.EPOLLHUP | EpollNative.EPOLLERR)) != 0) {
            ops |= READ;
        }
        if ((happened & (EpollNative.EPOLLOUT | EpollNative.EPOLLHUP | EpollNative.EPOLLERR)) != 0) {
            ops |= WRITE;
        }
        return ops;
    }

    @Override
    public void wakeup() {
        // Any number of wakeups before the loop sees one need one write: the loop drains the
        // eventfd, then clears the flag, then runs the tasks queued before any of them.
        if (wakeupPending.compareAndSet(false, true)) {
            EpollNative.eventFdSignal(wakeupFd);
        }
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, EventLoop.ReadyHandler onAcceptable)
            throws IOException {
        if (address.isUnresolved()) {
            throw new IOException("cannot listen on unresolved " + address);
        }
        int fd = EpollNative.listen(address.getAddress().getAddress(), address.getPort(), backlog);
        try {
            EpollListener listener = new EpollListener(fd, address.getAddress(), EpollNative.localPort(fd));
            register(fd, onAcceptable);
            return listener;
        } catch (IOException | RuntimeException e) {
            EpollNative.close(fd);
            throw e;
        }
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            EpollNative.close(wakeupFd);
            EpollNative.close(epollFd);
        }
    }

    /** Gives {@code fd} a handler, interested in reading. */
    void register(int fd, EventLoop.ReadyHandler handler) throws IOException {
        if (fd >= handlers.length) {
            int size = Math.max(fd + 1, handlers.length * 2);
            handlers = Arrays.copyOf(handlers, size);
            interests = Arrays.copyOf(interests, size);
        }
        handlers[fd] = handler;
        interests[fd] = 0;
        interest(fd, READ);
    }

    /** Sets what {@code fd} is interested in, telling the kernel only of a change. */
    void interest(int fd, int ops) throws IOException {
        int was = interests[fd];
        if (ops == was) {
            return;
        }
        if (ops == 0) {
            // Out of the set, as the JDK's selector does: an empty interest would still be told
            // of hang-ups and errors, again and again, level-triggered.
            EpollNative.epollCtl(epollFd, EpollNative.EPOLL_CTL_DEL, fd, 0);
        } else {
            EpollNative.epollCtl(epollFd, was == 0 ? EpollNative.EPOLL_CTL_ADD : EpollNative.EPOLL_CTL_MOD,
                    fd, toEpoll(ops));
        }
        interests[fd] = ops;
    }

    /** What {@code fd} is interested in; 0 for a descriptor this poller does not know. */
    int interest(int fd) {
        return fd < interests.length ? interests[fd] : 0;
    }

    private static int toEpoll(int ops) {
        return ((ops & READ) != 0 ? EpollNative.EPOLLIN : 0) | ((ops & WRITE) != 0 ? EpollNative.EPOLLOUT : 0);
    }

    /** Forgets {@code fd} and closes it (which takes it out of the epoll set). */
    void closeDescriptor(int fd) {
        if (fd < handlers.length) {
            handlers[fd] = null;
            interests[fd] = 0;
        }
        EpollNative.close(fd);
    }

    /** Reads into {@code dst} from {@code fd}: 0 when nothing waits, -1 at end of stream. */
    int read(int fd, ByteBuffer dst) throws IOException {
        int position = dst.position();
        if (dst.isDirect()) {
            int n = EpollNative.read(fd, EpollNative.address(dst) + position, dst.remaining());
            if (n > 0) {
                dst.position(position + n);
            }
            return n;
        }
        int n = EpollNative.read(fd, scratchAddress, Math.min(dst.remaining(), SCRATCH_BYTES));
        if (n > 0) {
            scratch.clear().limit(n);
            dst.put(scratch);
        }
        return n;
    }

    /** Writes what {@code fd} takes of {@code src}: 0 when the socket is full. */
    int write(int fd, ByteBuffer src) throws IOException {
        int position = src.position();
        if (src.isDirect()) {
            int n = EpollNative.write(fd, EpollNative.address(src) + position, src.remaining());
            src.position(position + n);
            return n;
        }
        int length = Math.min(src.remaining(), SCRATCH_BYTES);
        scratch.clear();
        scratch.put(src.array(), src.arrayOffset() + position, length);
        int n = EpollNative.write(fd, scratchAddress, length);
        src.position(position + n);
        return n;
    }

    private final class EpollListener implements Listener {
        private int fd;
        private final InetSocketAddress localAddress;

        EpollListener(int fd, InetAddress address, int port) {
            this.fd = fd;
            this.localAddress = new InetSocketAddress(address, port);
        }

        @Override
        public InetSocketAddress localAddress() {
            return localAddress;
        }

        @Override
        public SocketTransport accept() throws IOException {
            if (fd < 0) {
                return null;
            }
            int accepted = EpollNative.accept(fd, peerBytes);
            if (accepted < 0) {
                return null;
            }
            try {
                EpollNative.setNoDelayAndKeepAlive(accepted);
                return new EpollSocket(EpollPoller.this, accepted, peer(peerBytes));
            } catch (IOException | RuntimeException e) {
                EpollNative.close(accepted);
                throw e;
            }
        }

        @Override
        public void acceptInterest(boolean on) {
            if (fd < 0) {
                return;
            }
            try {
                interest(fd, on ? READ : 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            if (fd >= 0) {
                closeDescriptor(fd);
                fd = -1;
            }
        }
    }

    /** The address {@link EpollNative#accept} reported: length, address bytes, port big-endian. */
    static InetSocketAddress peer(byte[] bytes) throws IOException {
        int length = bytes[0];
        InetAddress address = InetAddress.getByAddress(Arrays.copyOfRange(bytes, 1, 1 + length));
        int port = ((bytes[17] & 0xff) << 8) | (bytes[18] & 0xff);
        return new InetSocketAddress(address, port);
    }
}
