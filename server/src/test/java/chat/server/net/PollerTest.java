package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the loop relies on from a {@link Poller}, the same for the JDK's selector and for epoll:
 * accepting, readiness as interest allows it, reads and writes through direct and heap buffers,
 * wakeups from other threads. Real sockets on 127.0.0.1.
 */
class PollerTest {

    /** A test run once on the JDK's selector and once on epoll. */
    @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = PollerKind.class, names = {"NIO", "EPOLL"})
    @interface ForEachPoller {
    }

    private Poller poller;
    private Poller.Listener listener;
    private final List<Socket> clients = new ArrayList<>();
    private final List<SocketTransport> sockets = new ArrayList<>();
    /** What each poll reported, as "name:ops". */
    private final List<String> reported = new ArrayList<>();
    private int acceptable;

    @AfterEach
    void closeAll() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        for (SocketTransport socket : sockets) {
            socket.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (poller != null) {
            poller.close();
        }
    }

    private void open(PollerKind kind) throws IOException {
        if (kind == PollerKind.EPOLL) {
            Assumptions.assumeTrue(EpollNative.isAvailable(), "no epoll here");
        }
        poller = kind.open();
        listener = poller.listen(new InetSocketAddress("127.0.0.1", 0), 16, readyOps -> acceptable++);
    }

    private Socket connect() throws IOException {
        Socket client = new Socket("127.0.0.1", listener.localAddress().getPort());
        client.setSoTimeout(10_000);
        clients.add(client);
        return client;
    }

    /** Polls until the listener reports a waiting connection, then accepts and registers it. */
    private SocketTransport acceptAs(String name) throws IOException {
        pollUntil(() -> acceptable > 0);
        acceptable = 0;
        SocketTransport socket = listener.accept();
        assertThat(socket).isNotNull();
        sockets.add(socket);
        socket.register(readyOps -> reported.add(name + ":" + readyOps));
        return socket;
    }

    private void pollUntil(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            poll(10);
            return condition.call();
        });
    }

    private void pollUntilReported(String report) {
        pollUntil(() -> reported.contains(report));
    }

    private void poll(long timeoutMillis) throws IOException {
        poller.poll(timeoutMillis, EventLoop.ReadyHandler::onReady);
    }

    @ForEachPoller
    void acceptsAConnectionAndKnowsItsPeer(PollerKind kind) throws IOException {
        open(kind);
        Socket client = connect();
        SocketTransport socket = acceptAs("a");
        assertThat(socket.remoteAddress()).isEqualTo(client.getLocalSocketAddress());
        assertThat(listener.accept()).as("nothing more waits").isNull();
        assertThat(listener.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @ForEachPoller
    void reportsInputAndReadsItIntoDirectAndHeapBuffers(PollerKind kind) throws IOException {
        open(kind);
        Socket client = connect();
        SocketTransport socket = acceptAs("a");
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        assertThat(socket.read(direct)).as("nothing sent yet").isZero();

        client.getOutputStream().write("hello ".getBytes(StandardCharsets.US_ASCII));
        pollUntilReported("a:" + Poller.READ);
        direct.put((byte) '>');
        assertThat(socket.read(direct)).isEqualTo(6);
        direct.flip();
        assertThat(StandardCharsets.US_ASCII.decode(direct).toString()).isEqualTo(">hello ");

        client.getOutputStream().write("world".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer heap = ByteBuffer.allocate(64);
        heap.put((byte) '>');
        await().atMost(Duration.ofSeconds(10)).until(() -> socket.read(heap) > 0);
        heap.flip();
        assertThat(StandardCharsets.US_ASCII.decode(heap).toString()).isEqualTo(">world");
    }

    @ForEachPoller
    void writesFromDirectAndHeapBuffersAndShutsOutputDown(PollerKind kind) throws IOException {
        open(kind);
        Socket client = connect();
        SocketTransport socket = acceptAs("a");
        ByteBuffer direct = ByteBuffer.allocateDirect(16);
        direct.put("xxab".getBytes(StandardCharsets.US_ASCII)).flip().position(2);
        assertThat(socket.write(direct)).isEqualTo(2);
        assertThat(direct.hasRemaining()).isFalse();
        ByteBuffer heap = ByteBuffer.wrap("xcd".getBytes(StandardCharsets.US_ASCII)).position(1);
        assertThat(socket.write(heap)).isEqualTo(2);
        socket.shutdownOutput();

        assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcd");
    }

    @ForEachPoller
    void readsTheEndOfStreamAsMinusOne(PollerKind kind) throws IOException {
        open(kind);
        Socket client = connect();
        SocketTransport socket = acceptAs("a");
        client.shutdownOutput();
        ByteBuffer buffer = ByteBuffer.allocateDirect(16);
        pollUntilReported("a:" + Poller.READ);
        assertThat(socket.read(buffer)).isEqualTo(-1);
    }

    @ForEachPoller
    void reportsOnlyWhatTheSocketIsInterestedIn(PollerKind kind) throws IOException {
        open(kind);
        Socket client = connect();
        SocketTransport socket = acceptAs("a");
        poll(0);
        assertThat(reported).as("writable, but not asked; nothing to read").isEmpty();

        socket.writeInterest(true);
        poll(1000);
        assertThat(reported).containsExactly("a:" + Poller.WRITE);

        socket.writeInterest(false);
        socket.readInterest(false);
        reported.clear();
        client.getOutputStream().write('x');
        client.shutdownOutput(); // a pending byte and a FIN: still nothing for a socket that asks for nothing
        poll(100);
        assertThat(reported).isEmpty();

        socket.readInterest(true);
        poll(1000);
        assertThat(reported).containsExactly("a:" + Poller.READ);
    }

    @ForEachPoller
    void writeTakesNothingOnceTheSocketIsFull(PollerKind kind) throws IOException {
        open(kind);
        connect(); // never reads
        SocketTransport socket = acceptAs("a");
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        int written;
        do {
            chunk.clear();
            written = socket.write(chunk);
            total += written;
        } while (written > 0 && total < 256L * 1024 * 1024);
        assertThat(written).isZero();
        assertThat(total).isPositive();
        socket.writeInterest(true);
        poll(100);
        assertThat(reported).as("not writable while full").isEmpty();
    }

    @ForEachPoller
    void aClosedSocketIsNeitherReportedNorTouched(PollerKind kind) throws IOException {
        open(kind);
        Socket first = connect();
        SocketTransport closed = acceptAs("closed");
        first.getOutputStream().write('x'); // readiness the closed socket would have had
        closed.close();
        assertThat(closed.isOpen()).isFalse();
        closed.readInterest(true); // harmless after close

        connect().getOutputStream().write('y');
        SocketTransport next = acceptAs("next"); // with epoll, most likely the closed one's number again
        pollUntilReported("next:" + Poller.READ);
        assertThat(reported).noneMatch(report -> report.startsWith("closed"));
        assertThatThrownBy(() -> closed.read(ByteBuffer.allocateDirect(8))).isInstanceOf(IOException.class);
        ByteBuffer buffer = ByteBuffer.allocateDirect(8);
        assertThat(next.read(buffer)).isEqualTo(1);
        assertThat(buffer.get(0)).isEqualTo((byte) 'y');
    }

    @ForEachPoller
    void wakeupEndsAPollWithoutLimitEveryTime(PollerKind kind) throws Exception {
        open(kind);
        for (int round = 0; round < 3; round++) {
            CompletableFuture<Void> polled = CompletableFuture.runAsync(() -> {
                try {
                    poller.poll(-1, (handler, ops) -> { });
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            // Several wakeups, some perhaps before the poll begins: the poll returns all the same,
            // and the next round's wakeup is not swallowed by this one's.
            CompletableFuture.runAsync(poller::wakeup).get(10, TimeUnit.SECONDS);
            poller.wakeup();
            polled.get(10, TimeUnit.SECONDS);
            poll(0); // takes a wakeup that came after the poll returned, if one did
        }
    }

    @ForEachPoller
    void aListenerPausedTakesNoConnectionsUntilResumed(PollerKind kind) throws IOException {
        open(kind);
        listener.acceptInterest(false);
        connect();
        poll(100);
        assertThat(acceptable).isZero();
        listener.acceptInterest(true);
        acceptAs("a");
    }

    @ForEachPoller
    void listeningOnAPortInUseIsABindException(PollerKind kind) throws IOException {
        open(kind);
        InetSocketAddress taken = new InetSocketAddress("127.0.0.1", listener.localAddress().getPort());
        assertThatThrownBy(() -> poller.listen(taken, 16, readyOps -> { })).isInstanceOf(BindException.class);
    }

    @ForEachPoller
    void aClientThatResetsIsReportedAndItsReadFails(PollerKind kind) throws IOException {
        open(kind);
        Socket client = connect();
        SocketTransport socket = acceptAs("a");
        client.setSoLinger(true, 0);
        client.close();
        pollUntilReported("a:" + Poller.READ);
        assertThatThrownBy(() -> socket.read(ByteBuffer.allocateDirect(8))).isInstanceOf(IOException.class);
    }

    @ForEachPoller
    void aLargeHeapBufferGoesInOneWriteWhileTheSocketTakesIt(PollerKind kind) throws Exception {
        open(kind);
        Socket client = connect();
        SocketTransport socket = acceptAs("a");
        byte[] bytes = new byte[200 * 1024];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        ByteBuffer heap = ByteBuffer.wrap(bytes);
        int first = socket.write(heap);
        // Loopback takes this much at once into the peer's receive queue; not 64 KiB, the size
        // of the buffer a heap buffer is copied through.
        assertThat(first).isGreaterThan(64 * 1024);
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try {
                return client.getInputStream().readNBytes(bytes.length);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            socket.write(heap);
            return !heap.hasRemaining();
        });
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(bytes);
    }

    @ForEachPoller
    void theIpv4WildcardTakesIpv6ClientsToo(PollerKind kind) throws IOException {
        if (kind == PollerKind.EPOLL) {
            Assumptions.assumeTrue(EpollNative.isAvailable(), "no epoll here");
        }
        poller = kind.open();
        listener = poller.listen(new InetSocketAddress("0.0.0.0", 0), 16, readyOps -> acceptable++);
        Socket client = new Socket();
        clients.add(client);
        try {
            client.connect(new InetSocketAddress("::1", listener.localAddress().getPort()), 5_000);
        } catch (IOException noIpv6Loopback) {
            Assumptions.abort("no IPv6 loopback here: " + noIpv6Loopback);
        }
        SocketTransport socket = acceptAs("a");
        assertThat(socket.remoteAddress().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        Socket ipv4 = connect();
        SocketTransport second = acceptAs("b");
        assertThat(second.remoteAddress()).isEqualTo(ipv4.getLocalSocketAddress());
    }

    @ForEachPoller
    void aWakeupAfterCloseIsHarmless(PollerKind kind) throws IOException {
        open(kind);
        listener.close();
        listener = null;
        poller.close();
        poller.wakeup();
        poller.close();
        poller = null;
    }

    @org.junit.jupiter.api.Test
    void epollServesItsListenersDuringALongBatch() throws IOException {
        open(PollerKind.EPOLL);
        int sockets = 3 * 64;
        assertThat(acceptedDuringABatchOf(sockets, false)).as("served during the batch").isPositive();
        assertThat(reported).hasSize(sockets);
        assertThat(listener.accept()).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void epollLeavesAPausedListenerAloneDuringABatch() throws IOException {
        open(PollerKind.EPOLL);
        assertThat(acceptedDuringABatchOf(3 * 64, true)).isZero();
    }

    /**
     * Readies {@code sockets} sockets, then polls once; at the batch's first event a client
     * connects, which only a listener served in the middle of the batch takes before the next
     * wait. Returns how often the listener was served in that poll.
     */
    private int acceptedDuringABatchOf(int sockets, boolean pauseTheListener) throws IOException {
        for (int i = 0; i < sockets; i++) {
            connect().getOutputStream().write('x');
            acceptAs("s" + i);
        }
        if (pauseTheListener) {
            listener.acceptInterest(false);
        }
        reported.clear();
        acceptable = 0;
        boolean[] connected = {false};
        poller.poll(1000, (handler, ops) -> {
            if (!connected[0]) {
                connected[0] = true;
                try {
                    connect();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
            handler.onReady(ops);
        });
        return acceptable;
    }

    @org.junit.jupiter.api.Test
    void epollEventsAreReadinessForReadersAndWriters() {
        assertThat(EpollPoller.readyOps(EpollNative.EPOLLIN)).isEqualTo(Poller.READ);
        assertThat(EpollPoller.readyOps(EpollNative.EPOLLOUT)).isEqualTo(Poller.WRITE);
        assertThat(EpollPoller.readyOps(EpollNative.EPOLLRDHUP)).isEqualTo(Poller.READ);
        assertThat(EpollPoller.readyOps(EpollNative.EPOLLHUP)).isEqualTo(Poller.READ | Poller.WRITE);
        assertThat(EpollPoller.readyOps(EpollNative.EPOLLERR)).isEqualTo(Poller.READ | Poller.WRITE);
        assertThat(EpollPoller.readyOps(0)).isZero();
    }

    @org.junit.jupiter.api.Test
    void epollPeerBytesAreAnAddressAndAPort() throws IOException {
        byte[] bytes = new byte[EpollNative.PEER_BYTES];
        bytes[0] = 4;
        bytes[1] = 10;
        bytes[4] = 7;
        bytes[17] = (byte) 0x1e;
        bytes[18] = (byte) 0x6c;
        assertThat(EpollPoller.peer(bytes)).isEqualTo(new InetSocketAddress("10.0.0.7", 7788));
        bytes[0] = 16;
        bytes[1] = 0;
        bytes[4] = 0;
        bytes[16] = 1;
        assertThat(EpollPoller.peer(bytes).getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @org.junit.jupiter.api.Test
    void autoIsEpollWhereItLoads() {
        try (Poller auto = PollerKind.AUTO.open()) {
            assertThat(auto.name()).isEqualTo(EpollNative.isAvailable() ? "epoll" : "nio");
        }
    }
}
