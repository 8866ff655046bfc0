package chat.server.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * What every TLS connection of one event loop shares: the SSL context (replaced whole when the
 * certificate is reloaded), the small pool that runs the engines' delegated tasks (the key
 * exchange) off the loop, the loop's scratch buffers for records in and out, and the count of
 * handshakes in progress. Sharing the buffers is what lets an idle TLS connection hold no more
 * than its engine: a {@link TlsTransport} keeps only bytes that are partially received or not
 * yet written.
 *
 * <p>TLS 1.2 and 1.3 only; client-initiated renegotiation (TLS 1.2) is refused, as the JDK does
 * when {@code jdk.tls.rejectClientInitiatedRenegotiation} is true, which this class sets unless
 * the operator set it otherwise.
 *
 * <p>Loop thread only, except {@link #reload}, which any thread may call, and the pool.
 */
public final class TlsContext {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** Threads for delegated tasks: a handshake's key exchange is a few milliseconds of CPU. */
    private static final int TASK_THREADS = 2;

    static {
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private volatile SSLContext context;
    private final int maxHandshakes;
    private final long handshakeTimeoutMillis;
    private final ThreadPoolExecutor tasks;
    /** Records read from sockets, with room for the partial record a connection held back. */
    private final ByteBuffer netIn;
    /** Records made for sockets: several per write, then one system call. */
    private final ByteBuffer netOut;
    /** Handshakes started and not yet finished or abandoned. */
    private int handshaking;
    /** The largest record an engine writes, header and padding included. */
    private final int packetSize;

    /**
     * @param maxHandshakes most handshakes in progress at once; more are refused
     * @param handshakeTimeoutMillis how long a handshake may take before the connection is closed
     */
    public TlsContext(SSLContext context, int maxHandshakes, long handshakeTimeoutMillis) {
        if (maxHandshakes < 1 || handshakeTimeoutMillis < 1) {
            throw new IllegalArgumentException("TLS handshake limits must be positive");
        }
        this.context = context;
        this.maxHandshakes = maxHandshakes;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        AtomicInteger threads = new AtomicInteger();
        this.tasks = new ThreadPoolExecutor(TASK_THREADS, TASK_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(maxHandshakes), runnable -> {
                    Thread thread = new Thread(runnable, "tls-task-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        tasks.allowCoreThreadTimeOut(true);
        int packet = newEngine(null).getSession().getPacketBufferSize();
        this.packetSize = packet;
        this.netIn = ByteBuffer.allocateDirect(EventLoop.READ_BUFFER_BYTES + packet);
        this.netOut = ByteBuffer.allocateDirect(TlsTransport.MAX_WRAP_BYTES + 8 * packet);
    }

    /** New handshakes use {@code next}; sessions already made go on with what they have. */
    public void reload(SSLContext next) {
        context = next;
    }

    /** A server-side engine for a peer, TLS 1.2 and 1.3 only. */
    SSLEngine newEngine(InetSocketAddress peer) {
        SSLEngine engine = peer == null ? context.createSSLEngine()
                : context.createSSLEngine(peer.getAddress().getHostAddress(), peer.getPort());
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        List<String> supported = List.of(engine.getSupportedProtocols());
        parameters.setProtocols(java.util.Arrays.stream(PROTOCOLS).filter(supported::contains).toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Counts a handshake in; false when {@link #maxHandshakes} are already in progress. */
    boolean tryStartHandshake() {
        if (handshaking >= maxHandshakes) {
            return false;
        }
        handshaking++;
        return true;
    }

    /** A handshake finished or was abandoned. */
    void handshakeEnded() {
        handshaking--;
    }

    int handshakesInProgress() {
        return handshaking;
    }

    long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    /**
     * Runs an engine's delegated task off the loop; {@code done} then runs on the loop, through
     * {@code loop}'s task queue.
     *
     * @return false when the pool's queue is full (more handshakes than it was sized for)
     */
    boolean runDelegated(Runnable task, Executor loop, Runnable done) {
        try {
            tasks.execute(() -> {
                try {
                    task.run();
                } finally {
                    loop.execute(done);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    int packetSize() {
        return packetSize;
    }

    ByteBuffer netIn() {
        return netIn;
    }

    ByteBuffer netOut() {
        return netOut;
    }

    /** Stops the pool; tasks still queued are dropped. */
    public void shutdown() {
        tasks.shutdownNow();
    }
}
