package chat.server.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedSelectorException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux epoll on raw file descriptors ({@link EpollNative}): a socket is an {@code int} and a
 * small {@link EpollSocket}, its handler and interest live in arrays indexed by descriptor here.
 * Level-triggered, with the JDK selector's semantics: a socket whose interest is empty is taken
 * out of the epoll set, hang-ups and errors are reported as readiness for what it is interested
 * in, and the handler finds out by reading or writing.
 */
final class EpollPoller implements Poller {

    private static final Logger log = LoggerFactory.getLogger(EpollPoller.class);

    /**
     * Most events taken from the kernel per wait; more wait for the next one. It bounds an
     * iteration: in a connection storm each event is a newcomer's first lines and a join
     * announced to its room, some 250 us each (the listeners are served every
     * {@link #LISTENER_EVERY} events besides).
     */
    static final int MAX_EVENTS = 256;
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
    /** The direct buffer last read into or written from, and its address (see readAddress). */
    private ByteBuffer lastRead;
    private long lastReadAddress;
    private ByteBuffer lastWritten;
    private long lastWrittenAddress;
    /**
     * Every this many events of a batch the listeners accept again, whether the kernel reported
     * them or not. In a connection storm each event is a newcomer's first lines (a join told to
     * a room: a quarter of a millisecond), a batch lasts tens of milliseconds, and the kernel's
     * accept queue (4,096 at most) fills meanwhile; a SYN it drops costs its client a second.
     */
    private static final int LISTENER_EVERY = 64; // a power of two: poll() masks with it
    /** The listening sockets, served during long batches too. */
    private final List<EpollListener> listeners = new ArrayList<>();
    /** Sockets whose interest change the kernel refused, to be told at the next poll. */
    private final List<EventLoop.ReadyHandler> failed = new ArrayList<>();
    /** Guards {@link #closed} against a wakeup's write: see {@link #wakeup}. */
    private final Object wakeupLock = new Object();
    private volatile boolean closed;

    EpollPoller() throws IOException {
        events = ByteBuffer.allocateDirect(MAX_EVENTS * EpollNative.EVENT_SIZE).order(ByteOrder.nativeOrder());
        eventsAddress = EpollNative.address(events);
        scratchAddress = EpollNative.address(scratch);
        epollFd = EpollNative.epollCreate();
        int eventFd = -1;
        try {
            eventFd = EpollNative.eventFd();
            EpollNative.epollCtl(epollFd, EpollNative.EPOLL_CTL_ADD, eventFd, EpollNative.EPOLLIN);
        } catch (IOException | RuntimeException e) {
            if (eventFd >= 0) {
                EpollNative.close(eventFd);
            }
            EpollNative.close(epollFd);
            throw e;
        }
        wakeupFd = eventFd;
    }

    @Override
    public void poll(long timeoutMillis, Dispatch dispatch) throws IOException {
        if (closed) {
            throw new ClosedSelectorException();
        }
        if (!failed.isEmpty()) {
            reportFailed(dispatch);
            timeoutMillis = 0;
        }
        int timeout = timeoutMillis < 0 ? -1 : (int) Math.min(timeoutMillis, Integer.MAX_VALUE);
        int ready = EpollNative.epollWait(epollFd, eventsAddress, MAX_EVENTS, timeout);
        for (int i = 0; i < ready; i++) {
            if ((i & (LISTENER_EVERY - 1)) == LISTENER_EVERY - 1) {
                serveListeners(dispatch);
            }
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

    /**
     * Lets every accepting listener take what waits, in the middle of a batch: see
     * {@link #LISTENER_EVERY}. A listener with nothing waiting costs one {@code accept4} that
     * finds nothing.
     */
    private void serveListeners(Dispatch dispatch) {
        for (int i = 0; i < listeners.size(); i++) {
            EpollListener listener = listeners.get(i);
            if (listener.fd >= 0 && interests[listener.fd] != 0) {
                dispatch.ready(handlers[listener.fd], READ);
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

    /**
     * Sockets the kernel would not take interest changes for: their handlers hear of them as
     * ready, and their reads and writes fail (the descriptor is closed), so their connections
     * close as a failed socket would.
     */
    private void reportFailed(Dispatch dispatch) {
        for (int i = 0; i < failed.size(); i++) {
            dispatch.ready(failed.get(i), READ | WRITE);
        }
        failed.clear();
    }

    @Override
    public void wakeup() {
        // Any number of wakeups before the loop sees one need one write: the loop drains the
        // eventfd, then clears the flag, then runs the tasks queued before any of them.
        if (wakeupPending.compareAndSet(false, true)) {
            // Other threads may still call this once the loop has closed the poller (a metrics
            // tick, Redis's threads at shutdown); the lock keeps a write from landing in a
            // descriptor number the process has handed out again since. Taken once per wakeup
            // the loop has not seen yet, never by the loop but in close().
            synchronized (wakeupLock) {
                if (!closed) {
                    EpollNative.eventFdSignal(wakeupFd);
                }
            }
        }
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, EventLoop.ReadyHandler onAcceptable)
            throws IOException {
        if (address.isUnresolved()) {
            throw new IOException("cannot listen on unresolved " + address);
        }
        int fd = listenDescriptor(address, backlog);
        try {
            EpollListener listener = new EpollListener(fd, address.getAddress(), EpollNative.localPort(fd));
            register(fd, onAcceptable);
            listeners.add(listener);
            return listener;
        } catch (IOException | RuntimeException e) {
            EpollNative.close(fd);
            throw e;
        }
    }

    /**
     * The listening descriptor. The IPv4 wildcard (the default {@code --bind 0.0.0.0}) is bound
     * as IPv6's {@code ::}, dual-stack, as the JDK's selector does, so that IPv6 clients are
     * taken too; where the system has no IPv6, as IPv4's.
     */
    private static int listenDescriptor(InetSocketAddress address, int backlog) throws IOException {
        byte[] bytes = address.getAddress().getAddress();
        if (address.getAddress().isAnyLocalAddress() && bytes.length == 4) {
            try {
                return EpollNative.listen(new byte[16], address.getPort(), backlog);
            } catch (java.net.BindException e) {
                throw e;
            } catch (IOException noIpv6) {
                return EpollNative.listen(bytes, address.getPort(), backlog);
            }
        }
        return EpollNative.listen(bytes, address.getPort(), backlog);
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public void close() {
        synchronized (wakeupLock) {
            if (closed) {
                return;
            }
            closed = true;
            EpollNative.close(wakeupFd);
            EpollNative.close(epollFd);
        }
    }

    /** Gives {@code fd} a handler, interested in reading. */
    void register(int fd, EventLoop.ReadyHandler handler) throws IOException {
        if (closed) {
            throw new ClosedSelectorException();
        }
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
        if (ops == was || closed) {
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

    /**
     * An interest change the kernel refused ({@code ENOSPC}: the user's epoll watches are used
     * up; {@code ENOMEM}): the socket cannot be served. Its descriptor is closed, and its handler
     * is told it is ready at the next poll, where its read or write fails and it closes.
     */
    void interestFailed(int fd, IOException e) {
        EventLoop.ReadyHandler handler = fd < handlers.length ? handlers[fd] : null;
        log.warn("closing descriptor {}: the kernel refused its interest change ({})", fd, e.getMessage());
        if (handler != null) {
            failed.add(handler);
        }
        closeDescriptor(fd);
    }

    /** Forgets {@code fd} and closes it, taking it out of the epoll set first. */
    void closeDescriptor(int fd) {
        if (fd < handlers.length) {
            if (interests[fd] != 0 && !closed) {
                // close() alone leaves the registration alive if the open file is shared (a child
                // process that inherited it): its events would carry a number reused since.
                try {
                    EpollNative.epollCtl(epollFd, EpollNative.EPOLL_CTL_DEL, fd, 0);
                } catch (IOException ignored) {
                    // closing it anyway
                }
            }
            handlers[fd] = null;
            interests[fd] = 0;
        }
        EpollNative.close(fd);
    }

    /**
     * The address of a direct buffer read into, asked of the JVM only when the buffer changes:
     * reads go to the loop's one read buffer (or TLS's), so one JNI call less per read.
     */
    private long readAddress(ByteBuffer direct) {
        if (direct != lastRead) {
            lastReadAddress = EpollNative.address(direct);
            lastRead = direct;
        }
        return lastReadAddress;
    }

    /** The same for writes, which come from the loop's one write buffer (or TLS's). */
    private long writeAddress(ByteBuffer direct) {
        if (direct != lastWritten) {
            lastWrittenAddress = EpollNative.address(direct);
            lastWritten = direct;
        }
        return lastWrittenAddress;
    }

    /** Reads into {@code dst} from {@code fd}: 0 when nothing waits, -1 at end of stream. */
    int read(int fd, ByteBuffer dst) throws IOException {
        int position = dst.position();
        if (dst.isDirect()) {
            int n = EpollNative.read(fd, readAddress(dst) + position, dst.remaining());
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
            int n = EpollNative.write(fd, writeAddress(src) + position, src.remaining());
            src.position(position + n);
            return n;
        }
        // Through the scratch buffer a chunk at a time, for as long as the socket takes whole
        // chunks: a 128 KiB WebSocket frame goes in one call, as it does through a JDK channel.
        int total = 0;
        while (src.hasRemaining()) {
            int length = Math.min(src.remaining(), SCRATCH_BYTES);
            ByteBuffer chunk = src.duplicate();
            chunk.limit(chunk.position() + length);
            scratch.clear();
            scratch.put(chunk);
            int n = EpollNative.write(fd, scratchAddress, length);
            src.position(src.position() + n);
            total += n;
            if (n < length) {
                break;
            }
        }
        return total;
    }

    private final class EpollListener implements Listener {
        private int fd;
        private final InetSocketAddress localAddress;

        /**
         * Whether accepted sockets come with TCP_NODELAY and SO_KEEPALIVE from the listening
         * socket (two system calls per client saved); null until the first is accepted.
         */
        private Boolean acceptedInherit;

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
            while (true) {
                int accepted = EpollNative.accept(fd, peerBytes);
                if (accepted < 0) {
                    return null;
                }
                try {
                    if (acceptedInherit == null) {
                        // The first accepted socket tells whether this kernel passes the listening
                        // socket's options on (Linux does); if not, each socket is set on its own.
                        acceptedInherit = EpollNative.hasNoDelayAndKeepAlive(accepted);
                    }
                    if (!acceptedInherit) {
                        EpollNative.setNoDelayAndKeepAlive(accepted);
                    }
                    return new EpollSocket(EpollPoller.this, accepted, peer(peerBytes));
                } catch (IOException e) {
                    // That client's socket alone (reset already, most likely): drop it, take the next.
                    log.debug("dropping a connection before it was set up: {}", e.toString());
                    EpollNative.close(accepted);
                }
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
                log.warn("could not turn accepting {}: {}", on ? "on" : "off", e.toString());
            }
        }

        @Override
        public void close() {
            if (fd >= 0) {
                listeners.remove(this);
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
