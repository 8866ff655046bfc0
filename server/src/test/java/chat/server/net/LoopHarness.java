package chat.server.net;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An event loop driven by hand, for unit tests of the loop's classes and of the dialects above
 * them: time moves only when the test says so, an iteration runs only when the test asks, and
 * each connection's socket is a {@link ScriptedTransport}, so every split, pause, reset and full
 * socket happens exactly where the test puts it. Nothing here waits or sleeps.
 *
 * <p>Everything runs on the test's thread, which acts as the loop thread.
 */
public final class LoopHarness {

    /** The loop's clock, in nanoseconds; starts at an arbitrary non-zero value. */
    private long nanos = TimeUnit.SECONDS.toNanos(1000);
    public final EventLoop loop = new EventLoop(() -> nanos);
    public final TcpServer server;
    private int nextPort = 40000;

    public LoopHarness(Limits limits, Dialects dialects) {
        this(limits, dialects, 2000, 5000);
    }

    public LoopHarness(Limits limits, Dialects dialects, long closeLingerMillis, long shutdownLingerMillis) {
        this(limits, dialects, closeLingerMillis, shutdownLingerMillis, null, false);
    }

    /** With TLS: ClientHellos are served with {@code tls}; {@code tlsRequired} refuses plaintext. */
    public LoopHarness(Limits limits, Dialects dialects, TlsContext tls, boolean tlsRequired) {
        this(limits, dialects, 2000, 5000, tls, tlsRequired);
    }

    private LoopHarness(Limits limits, Dialects dialects, long closeLingerMillis, long shutdownLingerMillis,
            TlsContext tls, boolean tlsRequired) {
        TcpOptions options = new TcpOptions(java.net.InetAddress.getLoopbackAddress(), 0, 16, limits,
                256 * 1024, closeLingerMillis, shutdownLingerMillis);
        server = new TcpServer(loop, options, dialects, tls, tlsRequired);
    }

    /** Dialects that answer every detected protocol with {@code protocol}. */
    public static Dialects only(Protocol protocol) {
        return new Dialects() {
            @Override
            public Protocol protocolFor(DetectedProtocol detected) {
                return protocol;
            }

            @Override
            public byte[] acceptRefusal(LimitKind limit, long figure, long max) {
                return refusal(limit);
            }

            @Override
            public byte[] plaintextRefusal() {
                return PLAINTEXT_REFUSAL.clone();
            }
        };
    }

    /** What the harness's dialects answer plaintext on a TLS-only listener. */
    public static final byte[] PLAINTEXT_REFUSAL = "TLS only\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** What the harness's dialects answer a connection refused at accept. */
    private static byte[] refusal(LimitKind limit) {
        return ("refused " + limit + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Dialects that answer each detected protocol with its own entry of {@code protocols}. */
    public static Dialects each(java.util.Map<DetectedProtocol, ? extends Protocol> protocols) {
        return new Dialects() {
            @Override
            public Protocol protocolFor(DetectedProtocol detected) {
                return protocols.get(detected);
            }

            @Override
            public byte[] acceptRefusal(LimitKind limit, long figure, long max) {
                return refusal(limit);
            }

            @Override
            public byte[] plaintextRefusal() {
                return PLAINTEXT_REFUSAL.clone();
            }
        };
    }

    /** A connection over {@code transport}, accepted now and waiting for its first bytes. */
    public Connection accept(ScriptedTransport transport) {
        Connection connection = Connection.overTransport(server, transport,
                new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), nextPort++));
        server.add(connection);
        return connection;
    }

    /** The socket is readable: one read, as the selector would trigger it. */
    public void readable(Connection connection) {
        connection.onReady(Poller.READ);
    }

    /** The socket is writable again. */
    public void writable(Connection connection) {
        connection.onReady(Poller.WRITE);
    }

    /**
     * One iteration without waiting: deferred tasks, due timers, then reap and flush. Readiness
     * is the test's to announce with {@link #readable}, before calling this.
     */
    public void iterate() {
        loop.runIteration(false);
    }

    /** Moves the clock on, then runs one iteration (timers now due fire in it, up to {@link EventLoop#MAX_TIMERS_PER_ITERATION}). */
    public void advanceMillis(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
        iterate();
    }

    public long nanoTime() {
        return nanos;
    }

    /** Timers scheduled and neither run nor cancelled. */
    public int pendingTimers() {
        return loop.pendingTimers();
    }

    /** The input state of {@code connection}. */
    public static InputState inputState(Connection connection) {
        return connection.inputState();
    }
}
