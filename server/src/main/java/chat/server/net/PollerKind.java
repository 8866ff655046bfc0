package chat.server.net;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Which {@link Poller} the loop waits on ({@code --io}). */
public enum PollerKind {
    /** Linux epoll where its native library loads, else the JDK's selector. */
    AUTO,
    /** Linux epoll on raw file descriptors; refused where its native library does not load. */
    EPOLL,
    /** The JDK's selector and socket channels: runs on every platform Java does. */
    NIO;

    /** Epoll where it loads and opens (a sandbox may refuse epoll_create or eventfd), else the selector. */
    private static Poller autoPoller() throws IOException {
        String whyNot;
        try {
            if (EpollNative.isAvailable()) {
                return new EpollPoller();
            }
            whyNot = EpollNative.unavailableReason();
        } catch (IOException | LinkageError e) {
            whyNot = e.toString();
        }
        return new NioPoller(whyNot);
    }

    /** A new poller of this kind. */
    public Poller open() {
        try {
            switch (this) {
                case EPOLL:
                    if (!EpollNative.isAvailable()) {
                        throw new IllegalStateException("--io epoll: " + EpollNative.unavailableReason());
                    }
                    return new EpollPoller();
                case AUTO:
                    return autoPoller();
                default:
                    return new NioPoller();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a " + name().toLowerCase(java.util.Locale.ROOT) + " poller", e);
        }
    }
}
