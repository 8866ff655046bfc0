package chat.server.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * TLS over another transport, driven by the event loop: an {@link SSLEngine} turns the records
 * the socket delivers into the plaintext the connection reads, and the connection's plaintext
 * into records.
 *
 * <p>The handshake runs off the loop, a step at a time: the records that arrived go to
 * {@link TlsContext}'s pool with reading paused, where the engine takes them and does what they
 * ask (a full handshake's key exchange and signature are its costly part, whichever provider
 * does them: the JDK's delegated tasks run there too), and its answer comes back through the
 * loop's task queue to be written. Between steps the engine belongs to the loop again. After the
 * handshake, records are decrypted and made on the loop: that is symmetric cryptography, cheap.
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
 * <p>Loop thread only, but for {@link #step}, which runs on the pool while the loop leaves the
 * engine alone ({@link #stepRunning}); the pool's queue and the loop's hand the fields over.
 */
final class TlsTransport implements Transport {

    /** Most plaintext wrapped per {@link #write}: a few records, one system call. */
    static final int MAX_WRAP_BYTES = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** A record's header: content type, version, length. */
    private static final int RECORD_HEADER_BYTES = 5;

    private final Transport socket;
    private final SSLEngine engine;
    private final TlsContext shared;
    private final Executor loop;
    /** Runs on the loop when a handshake step is done: the connection reads again. */
    private final Runnable resume;
    /** An incomplete record received; null when none. */
    private byte[] partialIn;
    /** Plaintext a step decrypted that the connection has not read yet: what the client sent right behind its Finished. */
    private ByteBuffer plainIn;
    /** Records the socket did not take yet; null when none. */
    private PendingOutput pendingOut;
    /** What the last step failed with, thrown by the next read; null when nothing failed. */
    private IOException failed;
    /** Whether the connection wants to read; read interest is off while a step runs whatever it wants. */
    private boolean wantRead = true;
    /** A handshake step holds the engine on the pool. */
    private boolean stepRunning;
    /** True once the engine was seen handshaking: NOT_HANDSHAKING after that means done. Steps only. */
    private boolean handshakeBegun;
    private boolean handshakeDone;
    /** True once the handshake is no longer counted in {@link TlsContext}: done or abandoned. */
    private boolean handshakeReleased;
    private boolean closed;

    /**
     * @param received the bytes read before TLS was recognised: the start of the ClientHello
     * @param resume what reads again once a handshake step is done, on the loop
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
     * Decrypts what arrived into {@code dst}; during the handshake, hands complete records to a
     * step on the pool instead.
     *
     * @return plaintext bytes, 0 when none (a handshake step, an incomplete record), -1 at the end
     *     of a stream the peer closed with close_notify
     * @throws SSLException a handshake failure or a record that does not decrypt (its alert was sent)
     * @throws IOException the socket failed, or the peer ended the stream without close_notify
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (stepRunning || closed) {
            return 0;
        }
        if (failed != null) {
            IOException failure = failed;
            failed = null;
            throw failure;
        }
        int produced = takePlainIn(dst);
        ByteBuffer net = shared.netIn();
        net.clear();
        if (partialIn != null) {
            net.put(partialIn);
            partialIn = null;
        }
        net.limit(Math.min(net.capacity(), Math.max(net.position(), dst.remaining())));
        int read = net.hasRemaining() ? socket.read(net) : 0;
        net.flip();
        if (!handshakeDone) {
            handshakeInput(net, read);
            return produced;
        }
        try {
            produced += unwrap(net, dst);
        } catch (SSLException e) {
            sendAlert();
            throw e;
        } finally {
            keepPartial(net);
        }
        if (produced > 0) {
            return produced; // an end that came with it is seen by the next read
        }
        if (engine.isInboundDone()) {
            return -1; // close_notify
        }
        if (read < 0) {
            try {
                engine.closeInbound(); // throws: no close_notify came
            } catch (SSLException e) {
                throw new IOException(partialIn != null ? "TLS ended inside a record" : "TLS ended without close_notify");
            }
            return -1;
        }
        return 0;
    }

    private int takePlainIn(ByteBuffer dst) {
        if (plainIn == null) {
            return 0;
        }
        int n = Math.min(plainIn.remaining(), dst.remaining());
        dst.put(plainIn.slice(plainIn.position(), n));
        plainIn.position(plainIn.position() + n);
        if (!plainIn.hasRemaining()) {
            plainIn = null;
        }
        return n;
    }

    private void keepPartial(ByteBuffer net) {
        if (net.hasRemaining()) {
            partialIn = new byte[net.remaining()];
            net.get(partialIn);
        }
    }

    /** During the handshake: complete records go to a step on the pool; an incomplete one waits here. */
    private void handshakeInput(ByteBuffer net, int read) throws IOException {
        if (holdsARecord(net)) {
            byte[] records = new byte[net.remaining()];
            net.get(records);
            startStep(records);
            return;
        }
        keepPartial(net);
        if (read < 0) {
            throw new IOException(partialIn != null ? "TLS ended inside a record" : "TLS ended during the handshake");
        }
    }

    /**
     * Whether {@code net} starts with a complete record, or with a header no record of this size
     * can have (the engine then says what is wrong with it, rather than the wait lasting until the
     * handshake times out).
     */
    private boolean holdsARecord(ByteBuffer net) {
        if (net.remaining() < RECORD_HEADER_BYTES) {
            return false;
        }
        int length = RECORD_HEADER_BYTES + ((net.get(net.position() + 3) & 0xff) << 8 | net.get(net.position() + 4) & 0xff);
        return net.remaining() >= length || length > shared.packetSize();
    }

    private void startStep(byte[] records) throws IOException {
        stepRunning = true;
        socket.readInterest(false);
        if (!shared.runOffLoop(() -> step(records), loop, this::stepDone)) {
            stepRunning = false;
            socket.readInterest(wantRead);
            throw new IOException("too many TLS handshakes waiting for the key exchange");
        }
    }

    /** What a handshake step did: records to send, input it left, plaintext it decrypted, how it ended. */
    private record Step(byte[] records, byte[] leftover, ByteBuffer plain, boolean finished, IOException failure) {
    }

    /**
     * On the pool: the engine takes the records, does what the handshake asks (tasks included)
     * and answers, until the input runs out or it waits for the peer.
     */
    private Step step(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        ByteBuffer plain = ByteBuffer.allocate(input.length); // plaintext is shorter than its records
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        ByteBuffer out = ByteBuffer.allocate(shared.packetSize());
        boolean finished = false;
        IOException failure = null;
        // Whether the last call fed the engine a record: one more call, with no input, lets an
        // engine that works through a record's effects only on its next call (BoringSSL's: the
        // client's Finished) get there.
        boolean fed = false;
        // A result that says NEED_WRAP is believed over the engine's status: BoringSSL's engine
        // says so after a failure's alert, and throws why on that wrap.
        boolean wrapNext = false;
        try {
            while (true) {
                HandshakeStatus status = wrapNext ? HandshakeStatus.NEED_WRAP : engine.getHandshakeStatus();
                if (status != HandshakeStatus.NOT_HANDSHAKING) {
                    handshakeBegun = true;
                } else if (handshakeBegun && !engine.isInboundDone() && !engine.isOutboundDone()) {
                    finished = true; // said by a result's FINISHED, or by nothing when a task ended it
                }
                SSLEngineResult result;
                if (status == HandshakeStatus.NEED_TASK) {
                    runTasks();
                    fed = false;
                    continue;
                } else if (status == HandshakeStatus.NEED_WRAP) {
                    out.clear();
                    result = engine.wrap(EMPTY, out);
                    records.write(out.array(), 0, out.position());
                    fed = false;
                } else if (in.hasRemaining() || fed) {
                    result = engine.unwrap(in, plain);
                    fed = result.bytesConsumed() > 0;
                } else {
                    break;
                }
                finished |= result.getHandshakeStatus() == HandshakeStatus.FINISHED;
                wrapNext = result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && result.getStatus() == Status.OK;
                if (result.getStatus() == Status.BUFFER_OVERFLOW) { // never seen: the sizes above suffice
                    if (status == HandshakeStatus.NEED_WRAP) {
                        out = ByteBuffer.allocate(out.capacity() + engine.getSession().getPacketBufferSize());
                    } else {
                        plain = larger(plain, engine.getSession().getApplicationBufferSize());
                    }
                    continue;
                }
                // BUFFER_UNDERFLOW: an incomplete record waits for more bytes. CLOSED: an alert or
                // close_notify. No progress: the engine waits for what is not there.
                if (result.getStatus() != Status.OK || result.bytesConsumed() == 0 && result.bytesProduced() == 0
                        && (status == HandshakeStatus.NEED_WRAP || engine.getHandshakeStatus() == status)) {
                    break;
                }
            }
            if (finished) {
                out.clear();
                engine.wrap(EMPTY, out); // what the engine made on finishing and keeps for the next write (TLS 1.3 tickets)
                records.write(out.array(), 0, out.position());
            }
        } catch (SSLException e) {
            failure = e;
            records.writeBytes(alert());
        } catch (RuntimeException e) {
            failure = new SSLException(e.toString(), e);
        }
        byte[] leftover = in.hasRemaining() ? Arrays.copyOfRange(input, in.position(), input.length) : null;
        return new Step(records.toByteArray(), leftover, plain.position() > 0 ? plain.flip() : null, finished, failure);
    }

    private static ByteBuffer larger(ByteBuffer buffer, int more) {
        return ByteBuffer.allocate(buffer.position() + more).put(buffer.flip());
    }

    /** Runs the engine's delegated tasks here. @throws SSLException it asks for tasks it does not give */
    private void runTasks() throws SSLException {
        Runnable task = engine.getDelegatedTask();
        if (task == null) {
            throw new SSLException("the TLS engine asks for a task and has none");
        }
        for (; task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    /** On the loop: a step is done; its answer goes out and reading goes on from what it left. */
    private void stepDone(Step step) {
        stepRunning = false;
        if (closed) {
            shared.release(engine); // closed while the step held it
            return;
        }
        if (step == null) { // the step ended in an Error, which the pool thread reported
            step = new Step(new byte[0], null, null, false, new SSLException("the TLS handshake step failed"));
        }
        if (step.finished()) {
            noteFinished();
        }
        partialIn = step.leftover();
        plainIn = step.plain();
        failed = step.failure();
        try {
            if (step.records().length > 0) {
                send(ByteBuffer.wrap(step.records()));
            }
        } catch (IOException e) {
            if (failed == null) {
                failed = e;
            }
        }
        socket.readInterest(wantRead);
        resume.run();
    }

    /**
     * After the handshake: unwraps records until input runs out; a post-handshake message is
     * answered here. After a wrap that made something, another follows: after a record that does
     * not decrypt (or a TLS 1.2 renegotiation, which it refuses) BoringSSL's engine consumes the
     * record, says NEED_WRAP in the result (its status says NOT_HANDSHAKING), makes the alert on
     * the next wrap and throws why on the wrap after that.
     */
    private int unwrap(ByteBuffer net, ByteBuffer dst) throws IOException {
        int produced = 0;
        boolean wrapNext = false;
        while (!closed) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks(); // a post-handshake message: no key exchange, cheap
                continue;
            }
            if (status == HandshakeStatus.NEED_WRAP || wrapNext) {
                wrapNext = false;
                SSLEngineResult result = wrapToSocket();
                if (result.getStatus() != Status.OK) {
                    break; // CLOSED: the engine said its alert or close_notify
                }
                if (result.bytesProduced() > 0) {
                    wrapNext = true;
                    continue;
                }
                if (status == HandshakeStatus.NEED_WRAP) {
                    break; // it wants to wrap and makes nothing: no progress to be had here
                }
            }
            if (!net.hasRemaining()) {
                break;
            }
            SSLEngineResult result = engine.unwrap(net, dst);
            produced += result.bytesProduced();
            wrapNext = result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && result.getStatus() == Status.OK;
            // BUFFER_UNDERFLOW: an incomplete record waits for more bytes. CLOSED: close_notify.
            // BUFFER_OVERFLOW cannot happen (reads are bounded by dst's room).
            if (result.getStatus() != Status.OK || !wrapNext
                    && result.bytesConsumed() == 0 && result.bytesProduced() == 0 && engine.getHandshakeStatus() == status) {
                break;
            }
        }
        if (net.remaining() >= shared.packetSize()) {
            // A whole record the engine did not take: it would wait here for ever, and the socket
            // would not be read again (the buffer is full), while the selector says it is readable.
            throw new SSLException("the TLS engine leaves a whole record of " + net.remaining() + " bytes unread");
        }
        return produced;
    }

    /** One post-handshake or alert message from the engine, to the socket. */
    private SSLEngineResult wrapToSocket() throws IOException {
        ByteBuffer out = shared.netOut();
        out.clear();
        SSLEngineResult result = engine.wrap(EMPTY, out);
        out.flip();
        send(out);
        return result;
    }

    private void noteFinished() {
        if (!handshakeDone) {
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

    /**
     * Encrypts what fits of {@code src} into records and writes them; records the socket does not
     * take are kept and go first next time.
     *
     * @return plaintext bytes consumed: 0 while earlier records wait or before the handshake is
     *     done
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new IOException("TLS connection closed");
        }
        if (!flush() || stepRunning || !handshakeDone) {
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
            send(ByteBuffer.wrap(alert()));
        } catch (IOException | RuntimeException ignored) {
            // The connection is going anyway.
        }
    }

    /** The alert that says why the engine failed, as a record; empty when it has none. */
    private byte[] alert() {
        try {
            engine.closeOutbound();
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                ByteBuffer out = ByteBuffer.allocate(shared.packetSize());
                engine.wrap(EMPTY, out);
                return Arrays.copyOf(out.array(), out.position());
            }
        } catch (SSLException | RuntimeException ignored) {
            // No alert, then: the connection is going anyway.
        }
        return new byte[0];
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
        if (!stepRunning) {
            socket.readInterest(on);
        }
    }

    @Override
    public void writeInterest(boolean on) {
        socket.writeInterest(on);
    }

    /**
     * Says close_notify when the socket can take it after everything written (never while a step
     * holds the engine), then closes the socket and releases the engine (after the step, if one runs).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        releaseHandshake();
        if (!stepRunning && pendingOut == null) {
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
        plainIn = null;
        pendingOut = null;
        if (!stepRunning) {
            shared.release(engine);
        }
        socket.close();
    }
}
