package chat.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A socket of the {@link EpollPoller}: a file descriptor and the peer's address, 24 bytes where a
 * JDK socket channel with its key and cached addresses takes some 650. Its handler and interest
 * are kept by the poller, by descriptor.
 */
final class EpollSocket extends SocketTransport {

    private final EpollPoller poller;
    /** The descriptor; -1 once closed, so that a number the kernel hands out again is never touched. */
    private int fd;
    private final InetSocketAddress remote;

    EpollSocket(EpollPoller poller, int fd, InetSocketAddress remote) {
        this.poller = poller;
        this.fd = fd;
        this.remote = remote;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    void register(EventLoop.ReadyHandler handler) throws IOException {
        poller.register(checkedFd(), handler);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return poller.read(checkedFd(), dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return poller.write(checkedFd(), src);
    }

    @Override
    void shutdownOutput() throws IOException {
        EpollNative.shutdownOutput(checkedFd());
    }

    @Override
    void setInterest(int op, boolean on) {
        if (fd < 0) {
            return;
        }
        int ops = poller.interest(fd);
        try {
            poller.interest(fd, on ? ops | op : ops & ~op);
        } catch (IOException e) {
            poller.interestFailed(fd, e);
            fd = -1;
        }
    }

    private int checkedFd() throws IOException {
        if (fd < 0) {
            throw new java.nio.channels.ClosedChannelException();
        }
        return fd;
    }

    @Override
    public boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            poller.closeDescriptor(fd);
            fd = -1;
        }
    }

    @Override
    public String toString() {
        return "EpollSocket[fd=" + fd + ", " + remote + "]";
    }
}
