package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The epoll binding against real loopback sockets: listening and accepting, reads and writes at
 * their edges (nothing waiting, a full send buffer, end of stream, a reset peer), the eventfd
 * wakeup, interest changes, and the errors' exception types and messages. Java sockets play the
 * client. Waits are on epoll itself (through Awaitility), never on the clock.
 *
 * <p>On Linux the library must load: a build that failed to compile it fails here rather than
 * quietly falling back to the JDK's selector. Elsewhere the tests are skipped.
 */
class EpollNativeTest {

    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    private static final byte[] IPV6_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final int BACKLOG = 16;
    private static final int MAX_EVENTS = 16;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Descriptors to close after each test, in the order they were opened. */
    private final List<Integer> descriptors = new ArrayList<>();
    /** Java sockets to close after each test. */
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** Room for epoll_wait's events, in native memory and native byte order. */
    private final ByteBuffer events = ByteBuffer.allocateDirect(MAX_EVENTS * EpollNative.EVENT_SIZE)
            .order(ByteOrder.nativeOrder());

    @BeforeAll
    static void theLibraryLoadsOnLinux() {
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(EpollNative.isAvailable()).as(EpollNative.unavailableReason()).isTrue();
        }
        Assumptions.assumeTrue(EpollNative.isAvailable(), EpollNative::unavailableReason);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        for (int fd : descriptors) {
            EpollNative.close(fd);
        }
    }

    @Test
    void theEventLayoutIsTheKernelsForThisArchitecture() {
        assertThat(EpollNative.unavailableReason()).isNull();
        assertThat(EpollNative.EVENT_SIZE).isIn(12, 16);
        assertThat(EpollNative.EVENT_DATA_OFFSET).isIn(4, 8);
    }

    @Test
    void listensOnAFreePortAndAcceptsAClientWithItsAddressAndPort() throws IOException {
        int listener = listenOnLoopback();
        int port = EpollNative.localPort(listener);
        assertThat(port).isBetween(1, 65535);
        int epfd = track(EpollNative.epollCreate());
        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, listener, EpollNative.EPOLLIN);

        Socket client = connect("127.0.0.1", port);
        awaitEvents(epfd, listener, EpollNative.EPOLLIN);
        byte[] peer = new byte[EpollNative.PEER_BYTES];
        int fd = track(EpollNative.accept(listener, peer));

        assertThat(fd).isPositive();
        assertThat(peer[0]).isEqualTo((byte) 4);
        assertThat(Arrays.copyOfRange(peer, 1, 5)).containsExactly(LOOPBACK);
        assertThat(portOf(peer)).isEqualTo(client.getLocalPort());
        assertThat(EpollNative.localPort(fd)).isEqualTo(port);
    }

    @Test
    void anAcceptedSocketHasNoDelayAndKeepAliveFromTheListeningOne() throws IOException {
        int listener = listenOnLoopback();
        assertThat(EpollNative.hasNoDelayAndKeepAlive(listener)).isTrue();
        int epfd = track(EpollNative.epollCreate());
        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, listener, EpollNative.EPOLLIN);

        connect("127.0.0.1", EpollNative.localPort(listener));
        awaitEvents(epfd, listener, EpollNative.EPOLLIN);
        int fd = track(EpollNative.accept(listener, new byte[EpollNative.PEER_BYTES]));

        // Linux copies both to the accepted socket: the poller then sets neither per client.
        assertThat(EpollNative.hasNoDelayAndKeepAlive(fd)).isTrue();
    }

    @Test
    void acceptReturnsMinusOneWhenNoClientIsWaiting() throws IOException {
        int listener = listenOnLoopback();
        assertThat(EpollNative.accept(listener, new byte[EpollNative.PEER_BYTES])).isEqualTo(-1);
    }

    @Test
    void readReturnsZeroUntilBytesArriveThenTheClientsBytes() throws IOException {
        Accepted accepted = acceptOne();
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        long address = EpollNative.address(buffer);
        assertThat(EpollNative.read(accepted.fd, address, buffer.capacity())).isZero();

        int epfd = track(EpollNative.epollCreate());
        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, accepted.fd, EpollNative.EPOLLIN);
        accepted.client.getOutputStream().write(ascii("hello\n"));
        awaitEvents(epfd, accepted.fd, EpollNative.EPOLLIN);

        int count = EpollNative.read(accepted.fd, address, buffer.capacity());
        assertThat(count).isEqualTo(6);
        byte[] bytes = new byte[count];
        buffer.get(0, bytes);
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        assertThat(EpollNative.read(accepted.fd, address, 0)).as("an empty read is not the end").isZero();
    }

    @Test
    void writtenBytesReachTheClient() throws IOException {
        Accepted accepted = acceptOne();
        EpollNative.setNoDelayAndKeepAlive(accepted.fd);
        ByteBuffer buffer = ByteBuffer.allocateDirect(64).put(ascii("welcome\n")).flip();

        assertThat(EpollNative.write(accepted.fd, EpollNative.address(buffer), buffer.remaining())).isEqualTo(8);
        assertThat(accepted.client.getInputStream().readNBytes(8)).isEqualTo(ascii("welcome\n"));
    }

    @Test
    void writeReturnsZeroOnceTheSendBufferIsFull() throws IOException {
        Accepted accepted = acceptOne(); // whose client never reads
        ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        long address = EpollNative.address(chunk);
        long total = 0;
        int written;
        // Loopback buffers grow to a few MiB at most; a thousand chunks is far beyond them.
        for (int attempts = 0; (written = EpollNative.write(accepted.fd, address, chunk.capacity())) > 0; attempts++) {
            assertThat(attempts).as("still writing after %d bytes", total).isLessThan(1000);
            total += written;
        }
        assertThat(written).isZero();
        assertThat(total).isPositive();

        int epfd = track(EpollNative.epollCreate());
        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, accepted.fd, EpollNative.EPOLLOUT);
        assertThat(EpollNative.epollWait(epfd, EpollNative.address(events), MAX_EVENTS, 0))
                .as("a full socket is not writable").isZero();
    }

    @Test
    void readReturnsMinusOneAfterTheClientCloses() throws IOException {
        Accepted accepted = acceptOne();
        int epfd = track(EpollNative.epollCreate());
        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, accepted.fd,
                EpollNative.EPOLLIN | EpollNative.EPOLLRDHUP);
        accepted.client.close();

        awaitEvents(epfd, accepted.fd, EpollNative.EPOLLRDHUP);
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        assertThat(EpollNative.read(accepted.fd, EpollNative.address(buffer), buffer.capacity())).isEqualTo(-1);
    }

    @Test
    void writingToAResetPeerThrowsRatherThanRaisingSigpipe() throws IOException {
        Accepted accepted = acceptReset();
        ByteBuffer buffer = ByteBuffer.allocateDirect(64).put(ascii("anyone?\n")).flip();

        assertThatThrownBy(() -> EpollNative.write(accepted.fd, EpollNative.address(buffer), buffer.remaining()))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageMatching("send: (Connection reset by peer|Broken pipe)");
        assertThatThrownBy(() -> EpollNative.write(accepted.fd, EpollNative.address(buffer), buffer.remaining()))
                .hasMessage("send: Broken pipe");
    }

    @Test
    void aResetIsThePendingErrorUntilAsked() throws IOException {
        Accepted accepted = acceptReset();
        int econnreset = 104; // the same on x86_64 and aarch64
        assertThat(EpollNative.pendingError(accepted.fd)).isEqualTo(econnreset);
        assertThat(EpollNative.pendingError(accepted.fd)).isZero();
    }

    @Test
    void aSignalledEventFdWakesTheWaitUntilDrained() throws IOException {
        int epfd = track(EpollNative.epollCreate());
        int wakeup = track(EpollNative.eventFd());
        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, wakeup, EpollNative.EPOLLIN);
        assertThat(waitOnce(epfd, 0)).isEmpty();

        Thread signaller = new Thread(() -> {
            EpollNative.eventFdSignal(wakeup);
            EpollNative.eventFdSignal(wakeup);
        });
        signaller.start();
        assertThat(waitOnce(epfd, (int) PATIENCE.toMillis())).containsEntry(wakeup, EpollNative.EPOLLIN);

        EpollNative.eventFdDrain(wakeup);
        assertThat(waitOnce(epfd, 0)).isEmpty();
        EpollNative.eventFdDrain(wakeup); // not signalled: nothing to read, and no exception
    }

    @Test
    void modifyingTheInterestToWriteReportsWritableAndDeletingStopsReports() throws IOException {
        Accepted accepted = acceptOne();
        int epfd = track(EpollNative.epollCreate());
        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, accepted.fd, EpollNative.EPOLLIN);
        assertThat(waitOnce(epfd, 0)).isEmpty();

        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_MOD, accepted.fd, EpollNative.EPOLLOUT);
        assertThat(waitOnce(epfd, 0)).containsEntry(accepted.fd, EpollNative.EPOLLOUT);

        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_DEL, accepted.fd, 0);
        accepted.client.getOutputStream().write(ascii("unheard\n"));
        assertThat(waitOnce(epfd, 0)).isEmpty();
    }

    @Test
    void listeningOnAPortInUseThrowsBindException() throws IOException {
        int port = EpollNative.localPort(listenOnLoopback());

        assertThatThrownBy(() -> EpollNative.listen(LOOPBACK, port, BACKLOG))
                .isExactlyInstanceOf(BindException.class)
                .hasMessage("bind: Address already in use");
    }

    @Test
    void listensAndAcceptsOnIpv6Loopback() throws IOException {
        Assumptions.assumeTrue(hasIpv6Loopback(), "no IPv6 loopback on this machine");
        int listener = track(EpollNative.listen(IPV6_LOOPBACK, 0, BACKLOG));
        Socket client = connect("::1", EpollNative.localPort(listener));

        byte[] peer = new byte[EpollNative.PEER_BYTES];
        int fd = acceptWhenReady(listener, peer);

        assertThat(fd).isPositive();
        assertThat(peer[0]).isEqualTo((byte) 16);
        assertThat(Arrays.copyOfRange(peer, 1, 17)).containsExactly(IPV6_LOOPBACK);
        assertThat(portOf(peer)).isEqualTo(client.getLocalPort());
    }

    @Test
    void anIpv4ClientOfAnIpv6SocketIsReportedAsIpv4() throws IOException {
        Assumptions.assumeTrue(hasIpv6Loopback(), "no IPv6 on this machine");
        // ::ffff:127.0.0.1 keeps the dual-stack socket on loopback, unlike "::".
        byte[] mappedLoopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        int listener = track(EpollNative.listen(mappedLoopback, 0, BACKLOG));
        Socket client = connect("127.0.0.1", EpollNative.localPort(listener));

        byte[] peer = new byte[EpollNative.PEER_BYTES];
        acceptWhenReady(listener, peer);

        assertThat(peer[0]).isEqualTo((byte) 4);
        assertThat(Arrays.copyOfRange(peer, 1, 5)).containsExactly(LOOPBACK);
        assertThat(portOf(peer)).isEqualTo(client.getLocalPort());
    }

    @Test
    void shuttingDownOutputGivesTheClientEndOfStream() throws IOException {
        Accepted accepted = acceptOne();
        EpollNative.shutdownOutput(accepted.fd);

        accepted.client.setSoTimeout((int) PATIENCE.toMillis());
        assertThat(accepted.client.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void readingAClosedDescriptorThrowsWithTheCallAndTheReason() throws IOException {
        Accepted accepted = acceptOne();
        descriptors.remove(Integer.valueOf(accepted.fd));
        EpollNative.close(accepted.fd);
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);

        // Another thread of this JVM could be given the number in between; none here opens files.
        assertThatThrownBy(() -> EpollNative.read(accepted.fd, EpollNative.address(buffer), buffer.capacity()))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("read: Bad file descriptor");
    }

    @Test
    void aFailedControlCallNamesTheCall() throws IOException {
        int epfd = track(EpollNative.epollCreate());

        assertThatThrownBy(() -> EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, -1, EpollNative.EPOLLIN))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("epoll_ctl: Bad file descriptor");
    }

    @Test
    void theAddressOfAHeapBufferIsRefused() {
        assertThatThrownBy(() -> EpollNative.address(ByteBuffer.allocate(16)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badArgumentsAreRefusedBeforeTheyReachNativeCode() {
        assertThatThrownBy(() -> EpollNative.listen(new byte[5], 0, BACKLOG))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EpollNative.listen(LOOPBACK, 65536, BACKLOG))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EpollNative.accept(0, new byte[EpollNative.PEER_BYTES - 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSystemPropertyKeepsTheLibraryUnloaded() throws Exception {
        // A fresh copy of the class, in a loader of its own: the loaded one has decided for good.
        URL classes = EpollNative.class.getProtectionDomain().getCodeSource().getLocation();
        System.setProperty(EpollNative.DISABLED_PROPERTY, "true");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> fresh = Class.forName(EpollNative.class.getName(), true, loader);
            assertThat(fresh).isNotSameAs(EpollNative.class);
            assertThat(call(fresh, "isAvailable")).isEqualTo(false);
            assertThat(call(fresh, "unavailableReason")).isEqualTo("disabled by chat.epoll.disabled");
        } finally {
            System.clearProperty(EpollNative.DISABLED_PROPERTY);
        }
    }

    // --- helpers

    /** A descriptor to be closed after the test. */
    private int track(int fd) {
        descriptors.add(fd);
        return fd;
    }

    private int listenOnLoopback() throws IOException {
        return track(EpollNative.listen(LOOPBACK, 0, BACKLOG));
    }

    private Socket connect(String host, int port) throws IOException {
        Socket client = new Socket();
        closeables.add(client);
        client.connect(new InetSocketAddress(host, port), (int) PATIENCE.toMillis());
        return client;
    }

    /** An accepted server-side descriptor and the Java client at its other end. */
    private record Accepted(int fd, Socket client) {
    }

    private Accepted acceptOne() throws IOException {
        int listener = listenOnLoopback();
        Socket client = connect("127.0.0.1", EpollNative.localPort(listener));
        int fd = acceptWhenReady(listener, new byte[EpollNative.PEER_BYTES]);
        return new Accepted(fd, client);
    }

    /** A connection whose client has reset it (SO_LINGER 0), once the reset has arrived. */
    private Accepted acceptReset() throws IOException {
        Accepted accepted = acceptOne();
        int epfd = track(EpollNative.epollCreate());
        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, accepted.fd, EpollNative.EPOLLIN);
        accepted.client.setSoLinger(true, 0);
        accepted.client.close();
        awaitEvents(epfd, accepted.fd, EpollNative.EPOLLHUP);
        return accepted;
    }

    /** Accepts once epoll says the listener is ready; the accepted descriptor is tracked. */
    private int acceptWhenReady(int listener, byte[] peer) throws IOException {
        int epfd = track(EpollNative.epollCreate());
        EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, listener, EpollNative.EPOLLIN);
        awaitEvents(epfd, listener, EpollNative.EPOLLIN);
        return track(EpollNative.accept(listener, peer));
    }

    /** Waits until epoll reports all of {@code expected} for {@code fd}. */
    private void awaitEvents(int epfd, int fd, int expected) {
        await().atMost(PATIENCE).until(() -> {
            Integer ready = waitOnce(epfd, 100).get(fd);
            return ready != null && (ready & expected) == expected;
        });
    }

    /** One epoll_wait: the ready set of each descriptor reported. */
    private Map<Integer, Integer> waitOnce(int epfd, int timeoutMillis) throws IOException {
        int count = EpollNative.epollWait(epfd, EpollNative.address(events), MAX_EVENTS, timeoutMillis);
        Map<Integer, Integer> ready = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int base = i * EpollNative.EVENT_SIZE;
            ready.put(events.getInt(base + EpollNative.EVENT_DATA_OFFSET),
                    events.getInt(base + EpollNative.EVENT_EVENTS_OFFSET));
        }
        return ready;
    }

    private static int portOf(byte[] peer) {
        return (peer[17] & 0xff) << 8 | (peer[18] & 0xff);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Object call(Class<?> type, String method) throws Exception {
        Method m = type.getDeclaredMethod(method);
        m.setAccessible(true);
        return m.invoke(null);
    }
}
