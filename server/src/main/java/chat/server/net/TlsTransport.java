package chat.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * TLS over another transport, driven by the event loop: an {@link SSLEngine} turns the records
 * the socket delivers into the plaintext the connection reads, and the connection's plaintext
 * into records. The handshake runs inside {@link #read} as records arrive; its delegated tasks
 * (the key exchange) run on {@link TlsContext}'s pool, with reading paused, and the connection is
 * resumed through the loop's task queue when they are done.
 *
 * <p>Memory: records are read and written through the loop's buffers ({@link TlsContext#netIn},
 * {@link TlsContext#netOut}). A connection keeps only an incomplete record received
 * ({@link #partialIn}) and records made but not yet taken by the socket ({@link #pendingOut}),
 * both null when there are none, which is nearly always for an idle connection.
 *
 * <p>Reading is bounded so that nothing decryptable is left behind: at most as many record bytes
 * are taken from the socket as the reader's buffer has room for, and plaintext is never longer
 * than its record, so every complete record read is decrypted by the same call; what remains is
 * at most one incomplete record, which only more bytes from the socket can complete.
 *
 * <p>Loop thread only; the delegated tasks are the engine's own business.
 */
final class TlsTransport implements Transport {

    /** Most plaintext wrapped per {@link #write}: a few records, one system call. */
    static final int MAX_WRAP_BYTES = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Transport socket;
    private final SSLEngine engine;
    private final TlsContext shared;
    private final Executor loop;
    /** Runs on the loop when a delegated task is done: the connection reads again. */
    private final Runnable resume;
    /** An incomplete record received; null when none. */
    private byte[] partialIn;
    /** Records the socket did not take yet; null when none. */
    private PendingOutput pendingOut;
    /** Whether the connection wants to read; read interest is off while a task runs whatever it wants. */
    private boolean wantRead = true;
    private boolean taskRunning;
    /** True once the engine was seen handshaking: NOT_HANDSHAKING after that means done. */
    private boolean handshakeBegun;
    private boolean handshakeDone;
    /** True once the handshake is no longer counted in {@link TlsContext}: done or abandoned. */
    private boolean handshakeReleased;
    private boolean closed;

    /**
     * @param received the bytes read before TLS was recognised: the start of the ClientHello
     * @param resume what reads again once a delegated task is done, on the loop
     */
    TlsTransport(Transport socket, SSLEngine engine, TlsContext shared, Executor loop, byte[] received,
            Runnable resume) {
        this.socket = socket;
        this.engine = engine;
        this.shared = shared;
        this.loop = loop;
        this.partialIn = received.length == 0 ? null : received;
        this.resume = resume;
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /** The negotiated protocol and cipher suite, for the log; null before the handshake is done. */
    String negotiated() {
        return handshakeDone ? engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite() : null;
    }

    /**
     * Decrypts what arrived into {@code dst}, moving the handshake along on the way.
     *
     * @return plaintext bytes, 0 when none (a handshake step, an incomplete record, a task
     *     running), -1 at the end of a stream the peer closed with close_notify
     * @throws SSLException a handshake failure or a record that does not decrypt (its alert was sent)
     * @throws IOException the socket failed, or the peer ended the stream without close_notify
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (taskRunning || closed) {
            return 0;
        }
        ByteBuffer net = shared.netIn();
        net.clear();
        if (partialIn != null) {
            net.put(partialIn);
            partialIn = null;
        }
        net.limit(Math.min(net.capacity(), Math.max(net.position(), dst.remaining())));
        int read = net.hasRemaining() ? socket.read(net) : 0;
        net.flip();
        int produced;
        try {
            produced = unwrap(net, dst);
        } catch (SSLException e) {
            sendAlert();
            throw e;
        } finally {
            if (net.hasRemaining()) {
                partialIn = new byte[net.remaining()];
                net.get(partialIn);
            }
        }
        if (produced > 0) {
            return produced; // an end that came with it is seen by the next read
        }
        if (engine.isInboundDone()) {
            return -1; // close_notify
        }
        if (read < 0 && !taskRunning) {
            try {
                engine.closeInbound(); // throws: no close_notify came
            } catch (SSLException e) {
                throw new IOException(partialIn != null ? "TLS ended inside a record" : "TLS ended without close_notify");
            }
            return -1;
        }
        return 0;
    }

    /** Unwraps records and takes handshake steps until input runs out or a task must run. */
    private int unwrap(ByteBuffer net, ByteBuffer dst) throws IOException {
        int produced = 0;
        while (!taskRunning && !closed) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status != HandshakeStatus.NOT_HANDSHAKING) {
                handshakeBegun = true;
            } else if (handshakeBegun) {
                // Done: said by a result's FINISHED, or by nothing when a delegated task ended it.
                noteFinished(HandshakeStatus.FINISHED);
            }
            if (status == HandshakeStatus.NEED_TASK) {
                startTask();
                break;
            }
            if (status == HandshakeStatus.NEED_WRAP) {
                if (!wrapToSocket()) {
                    break;
                }
                continue;
            }
            if (!net.hasRemaining()) {
                break;
            }
            SSLEngineResult result = engine.unwrap(net, dst);
            produced += result.bytesProduced();
            noteFinished(result.getHandshakeStatus());
            if (result.getStatus() != Status.OK) {
                // BUFFER_UNDERFLOW: an incomplete record waits for more bytes. CLOSED:
                // close_notify. BUFFER_OVERFLOW cannot happen (reads are bounded by dst's room).
                break;
            }
        }
        return produced;
    }

    /** One handshake or alert message from the engine, to the socket; false when there was none. */
    private boolean wrapToSocket() throws IOException {
        ByteBuffer out = shared.netOut();
        out.clear();
        SSLEngineResult result = engine.wrap(EMPTY, out);
        noteFinished(result.getHandshakeStatus());
        out.flip();
        send(out);
        return result.bytesProduced() > 0 && result.getStatus() == Status.OK;
    }

    private void noteFinished(HandshakeStatus status) {
        if (status == HandshakeStatus.FINISHED && !handshakeDone) {
            handshakeDone = true;
            releaseHandshake();
        }
    }

    private void releaseHandshake() {
        if (!handshakeReleased) {
            handshakeReleased = true;
            shared.handshakeEnded();
        }
    }

    /** Runs the engine's delegated tasks off the loop; reading waits for them. */
    private void startTask() throws IOException {
        Runnable first = engine.getDelegatedTask();
        if (first == null) {
            return;
        }
        taskRunning = true;
        socket.readInterest(false);
        Runnable all = () -> {
            for (Runnable task = first; task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
        };
        if (!shared.runDelegated(all, loop, this::taskDone)) {
            taskRunning = false;
            throw new IOException("too many TLS handshakes waiting for the key exchange");
        }
    }

    /** On the loop: the task is done; read on, from what was kept. */
    private void taskDone() {
        taskRunning = false;
        if (closed) {
            return;
        }
        socket.readInterest(wantRead);
        resume.run();
    }

    /**
     * Encrypts what fits of {@code src} into records and writes them; records the socket does not
     * take are kept and go first next time.
     *
     * @return plaintext bytes consumed: 0 while earlier records wait, before the handshake is
     *     done, or while a task runs
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new IOException("TLS connection closed");
        }
        if (!flush() || taskRunning || !handshakeDone) {
            return 0;
        }
        ByteBuffer out = shared.netOut();
        out.clear();
        int consumed = 0;
        int packet = shared.packetSize(); // not the session's: asking it takes the engine's lock
        while (src.hasRemaining() && consumed < MAX_WRAP_BYTES && out.remaining() >= packet) {
            SSLEngineResult result = engine.wrap(src, out);
            consumed += result.bytesConsumed();
            if (result.getStatus() == Status.CLOSED) {
                throw new IOException("TLS connection closed");
            }
            if (result.getStatus() != Status.OK || result.bytesConsumed() == 0) {
                break;
            }
        }
        out.flip();
        send(out);
        return consumed;
    }

    /** Writes records now, or keeps what the socket does not take, after what already waits. */
    private void send(ByteBuffer records) throws IOException {
        pendingOut = PendingOutput.send(pendingOut, socket, records);
    }

    @Override
    public boolean flush() throws IOException {
        if (pendingOut != null && pendingOut.flushTo(socket)) {
            pendingOut = null;
        }
        return pendingOut == null;
    }

    @Override
    public boolean hasPendingOutput() {
        return pendingOut != null;
    }

    /** After a failure the engine has an alert to say why; it goes out if the socket takes it now. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            if (!taskRunning && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrapToSocket();
            }
        } catch (IOException | RuntimeException ignored) {
            // The connection is going anyway.
        }
    }

    @Override
    public boolean isEncrypted() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void readInterest(boolean on) {
        wantRead = on;
        if (!taskRunning) {
            socket.readInterest(on);
        }
    }

    @Override
    public void writeInterest(boolean on) {
        socket.writeInterest(on);
    }

    /**
     * Says close_notify when the socket can take it after everything written (never while a task
     * holds the engine), then closes the socket.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        releaseHandshake();
        if (!taskRunning && pendingOut == null) {
            try {
                engine.closeOutbound();
                ByteBuffer out = shared.netOut();
                out.clear();
                engine.wrap(EMPTY, out);
                out.flip();
                socket.write(out);
            } catch (IOException | RuntimeException ignored) {
                // Best effort: a peer that is gone needs no goodbye.
            }
        }
        closed = true;
        partialIn = null;
        pendingOut = null;
        socket.close();
    }
}
