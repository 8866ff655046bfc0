package chat.server.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * What every TLS connection of one event loop shares: where engines come from (replaced whole when
 * the certificate is reloaded), the small pool that runs handshake steps (the key exchange and
 * the signature) off the loop, the loop's scratch buffers for records in and out, and the count
 * of handshakes in progress. Sharing the buffers is what lets an idle TLS connection hold no more
 * than its engine: a {@link TlsTransport} keeps only bytes that are partially received or not
 * yet written.
 *
 * <p>TLS 1.2 and 1.3 only; client-initiated renegotiation (TLS 1.2) is refused: BoringSSL never
 * renegotiates, and the JDK's provider refuses when {@code jdk.tls.rejectClientInitiatedRenegotiation}
 * is true, which this class sets unless the operator set it otherwise.
 *
 * <p>Loop thread only, but for the pool's steps.
 */
public final class TlsContext {

    /** Threads for handshake steps: a full handshake is a fraction of a millisecond to a few of CPU. */
    private static final int TASK_THREADS = 2;

    static {
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private TlsEngines engines;
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
    public TlsContext(TlsEngines engines, int maxHandshakes, long handshakeTimeoutMillis) {
        if (maxHandshakes < 1 || handshakeTimeoutMillis < 1) {
            throw new IllegalArgumentException("TLS handshake limits must be positive");
        }
        this.engines = engines;
        this.maxHandshakes = maxHandshakes;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.tasks = new ThreadPoolExecutor(TASK_THREADS, TASK_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(maxHandshakes), BackgroundThreads.numbered("tls-handshake"));
        tasks.allowCoreThreadTimeOut(true);
        SSLEngine sample = engines.newEngine(null, 0);
        int packet = sample.getSession().getPacketBufferSize();
        engines.release(sample);
        this.packetSize = packet;
        this.netIn = ByteBuffer.allocateDirect(EventLoop.READ_BUFFER_BYTES + packet);
        this.netOut = ByteBuffer.allocateDirect(TlsTransport.MAX_WRAP_BYTES + 8 * packet);
    }

    /**
     * New handshakes use {@code next}; sessions already made go on with what they have. On the
     * loop, so that no engine is being made from the one retired.
     */
    public void reload(TlsEngines next) {
        TlsEngines previous = engines;
        engines = next;
        previous.retire();
    }

    /** The provider, for the log. */
    public String provider() {
        return engines.provider();
    }

    /** A server-side engine for a peer, TLS 1.2 and 1.3 only. */
    SSLEngine newEngine(InetSocketAddress peer) {
        return peer == null ? engines.newEngine(null, 0) : engines.newEngine(peer.getAddress().getHostAddress(), peer.getPort());
    }

    /**
     * A connection is done with its engine. Releasing is the provider's business and the same for
     * every certificate, so an engine made before a reload is released here as well.
     */
    void release(SSLEngine engine) {
        engines.release(engine);
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
     * Runs a handshake step off the loop; {@code done} then runs on the loop, through
     * {@code loop}'s task queue, with what the step returned (null when it ended in an Error).
     *
     * @return false when the pool's queue is full (more handshakes than it was sized for)
     */
    <T> boolean runOffLoop(Supplier<T> step, Executor loop, Consumer<T> done) {
        try {
            tasks.execute(() -> {
                T result = null;
                try {
                    result = step.get(); // a step returns its own failures; an Error leaves null
                } finally {
                    T outcome = result;
                    loop.execute(() -> done.accept(outcome));
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

    /** Stops the pool (steps still queued are dropped) and lets go of the engines' context. */
    public void shutdown() {
        tasks.shutdownNow();
        engines.retire();
    }
}
