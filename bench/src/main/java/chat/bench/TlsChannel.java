package chat.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * One connection's TLS, driven by the generator's loop: a client {@link SSLEngine} between the
 * connection's plaintext and its socket. No thread of its own: the handshake moves on inside
 * {@link #read} as the server's records arrive, and the engine's delegated tasks (the JDK's key
 * exchange, BoringSSL's certificate check) run right there, on the loop thread, as everything
 * else of the generator does.
 *
 * <p>Any engine: the JDK's, or BoringSSL's through Netty ({@link ClientTls.Provider}). Netty's
 * differs from the JDK's in ways that matter here, seen on the server's side first. As a server
 * it completes a handshake only on an unwrap <em>after</em> the one that fed it the last
 * handshake record, so during the handshake an unwrap that consumed bytes (or a task) is followed
 * by one more even with no input left, which then answers BUFFER_UNDERFLOW (and FINISHED where
 * that was the case); the client's handshake was seen to end on the wrap of its Finished instead,
 * and the extra call costs one BUFFER_UNDERFLOW per handshake. After a failure (a certificate the
 * CA does not sign) it says NEED_WRAP in a result, for the alert, while {@code
 * getHandshakeStatus()} says NEED_UNWRAP, and throws the failure on the wrap after the alert's: a
 * result's NEED_WRAP is believed. Its delegated task is the certificate check, after which it
 * goes on with the handshake by itself (NEED_WRAP for the client's Finished). An engine that keeps
 * answering without consuming, producing or changing its status is a failure
 * ({@link #MAX_IDLE_CALLS}), not a spin of the loop.
 *
 * <p>Records pass through buffers that every connection of a loop shares ({@link Scratch}); a
 * connection keeps only an incomplete record received and records the socket did not take yet,
 * both null nearly always.
 *
 * <p>Reads are bounded so that nothing decryptable is left behind: at most as many record bytes
 * are taken from the socket as the reader's buffer has room for, and a record's plaintext is
 * never longer than the record, so every complete record read is decrypted by the same call;
 * what may remain is one incomplete record, which only more bytes from the socket complete. (That
 * bound is also what Netty's engine asks of an unwrap's destination in its JDK-compatible mode.)
 *
 * <p>The engine is the connection's: {@link #close} releases it (BoringSSL's native state).
 *
 * <p>Not thread-safe: the thread of the loop whose {@link Scratch} it uses.
 */
final class TlsChannel {

    /** Most plaintext encrypted per {@link #write}: a sender's whole buffer, one system call. */
    static final int MAX_WRAP_BYTES = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** A record's header: content type, version, length. */
    private static final int RECORD_HEADER_BYTES = 5;
    /**
     * Most engine calls in a row that consume nothing, produce nothing and leave the handshake
     * status as it was before the engine counts as stuck.
     */
    static final int MAX_IDLE_CALLS = 8;

    /** The record buffers of one loop, shared by its connections (one thread, one record at a time). */
    static final class Scratch {
        /** Records read from a socket, with room for the incomplete record a connection kept. */
        final ByteBuffer netIn;
        /** Records made for a socket: several per write, then one system call. */
        final ByteBuffer netOut;
        /** The largest record the engines make or take. */
        final int packetBytes;

        /** @param readBytes the most plaintext one read takes (the loop's read buffer) */
        Scratch(int readBytes, int packetBytes) {
            this.packetBytes = packetBytes;
            netIn = ByteBuffer.allocateDirect(readBytes + packetBytes);
            netOut = ByteBuffer.allocateDirect(MAX_WRAP_BYTES + 8 * packetBytes);
        }
    }

    private final SSLEngine engine;
    private final ByteChannel socket;
    /** The buffers of the loop that drives this connection; changes when it moves loop. */
    private Scratch scratch;
    /** An incomplete record received; null when none. */
    private byte[] partialIn;
    /** Records the socket did not take yet, in read mode; null when none. */
    private ByteBuffer pendingOut;
    /** True once {@link #prepare} began the handshake: NOT_HANDSHAKING after that means done. */
    private boolean handshakeBegun;
    private boolean handshakeDone;
    /** True once closed: the engine is released and must not be touched. */
    private boolean closed;

    TlsChannel(SSLEngine engine, ByteChannel socket, Scratch scratch) {
        this.engine = engine;
        this.socket = socket;
        this.scratch = scratch;
    }

    /** The buffers of the loop that drives this connection from now on. */
    void useScratch(Scratch next) {
        scratch = next;
    }

    /**
     * Makes the ClientHello and keeps it for {@link #flush}: called before the socket connects,
     * so that the key share is computed by then and the hello follows the connect at once.
     */
    void prepare() throws IOException {
        engine.beginHandshake();
        handshakeBegun = true;
        ByteBuffer out = scratch.netOut;
        out.clear();
        SSLEngineResult result = null;
        // One wrap makes it with both engines; tasks first, should an engine ask for any.
        for (int call = 0; call < MAX_IDLE_CALLS && out.position() == 0; call++) {
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            result = engine.wrap(EMPTY, out);
            if (result.getStatus() != Status.OK) {
                break;
            }
        }
        out.flip();
        if (!out.hasRemaining()) {
            throw new SSLException("no ClientHello: " + result);
        }
        pendingOut = ByteBuffer.allocate(out.remaining()).put(out).flip();
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /** The negotiated protocol and cipher suite, such as {@code TLSv1.3 TLS_AES_256_GCM_SHA384}. */
    String negotiated() {
        if (closed) {
            return null;
        }
        return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
    }

    /**
     * Decrypts what arrived into {@code dst}, taking the handshake's steps on the way.
     *
     * @return plaintext bytes put in {@code dst}, 0 when none (a handshake step, an incomplete
     *     record), -1 when the server ended the stream or said close_notify
     * @throws SSLException the handshake failed or a record did not decrypt
     */
    int read(ByteBuffer dst) throws IOException {
        ByteBuffer net = scratch.netIn;
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
            produced = step(net, dst);
        } finally {
            if (net.hasRemaining()) {
                partialIn = new byte[net.remaining()];
                net.get(partialIn);
            }
        }
        if (produced > 0) {
            return produced; // an end that came with it is seen by the next read
        }
        return read < 0 || engine.isInboundDone() ? -1 : 0;
    }

    /**
     * Unwraps records from {@code net} into {@code dst} and takes handshake steps (tasks run
     * here; handshake messages are written at once) until input runs out and the engine waits
     * for the server.
     *
     * @throws SSLException the handshake failed (BoringSSL's engine after its alert went out), a
     *     record did not decrypt, or the engine made no progress {@link #MAX_IDLE_CALLS} calls in a row
     */
    private int step(ByteBuffer net, ByteBuffer dst) throws IOException {
        int produced = 0;
        // During the handshake, an unwrap is due even without a complete record when the last one
        // consumed bytes or a task ran: BoringSSL's engine may take a record's effects (the end
        // of the handshake) only on the call after the one that fed it the record. Wraps leave
        // it as it is.
        boolean nudge = false;
        // A result's NEED_WRAP is believed over getHandshakeStatus(): BoringSSL's engine says so
        // for the alert after a failure, and throws why on the wrap after it.
        boolean wrapNext = false;
        int idleCalls = 0;
        while (true) {
            HandshakeStatus status = wrapNext ? HandshakeStatus.NEED_WRAP : engine.getHandshakeStatus();
            noteStatus(status);
            SSLEngineResult result;
            if (status == HandshakeStatus.NEED_TASK) {
                boolean ran = runTasks();
                nudge = true;
                if (!ran && ++idleCalls > MAX_IDLE_CALLS) {
                    throw new SSLException("the TLS engine asks for tasks it does not give");
                }
                continue;
            } else if (status == HandshakeStatus.NEED_WRAP) {
                ByteBuffer out = scratch.netOut;
                out.clear();
                result = engine.wrap(EMPTY, out);
                out.flip();
                send(out);
            } else if (holdsRecord(net) || nudge && !handshakeDone) {
                result = engine.unwrap(net, dst);
                produced += result.bytesProduced();
                nudge = result.bytesConsumed() > 0;
            } else {
                return produced;
            }
            wrapNext = result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && result.getStatus() == Status.OK;
            noteFinished(result.getHandshakeStatus());
            if (result.getStatus() == Status.CLOSED || result.getStatus() == Status.BUFFER_OVERFLOW) {
                // CLOSED: close_notify received, or the engine said its alert or close_notify.
                // BUFFER_OVERFLOW does not happen: reads are bounded by dst's room.
                return produced;
            }
            // BUFFER_UNDERFLOW: the answer to a nudge (only complete records are unwrapped otherwise).
            if (result.bytesConsumed() > 0 || result.bytesProduced() > 0 || result.getHandshakeStatus() != status) {
                idleCalls = 0;
            } else if (++idleCalls > MAX_IDLE_CALLS) {
                throw new SSLException("the TLS engine makes no progress: " + status + ", then " + result);
            }
        }
    }

    /**
     * Whether {@code net} starts with a complete record, or with a header no record of this size
     * can have (the engine then says what is wrong with it).
     */
    private boolean holdsRecord(ByteBuffer net) {
        if (net.remaining() < RECORD_HEADER_BYTES) {
            return false;
        }
        int length = RECORD_HEADER_BYTES + ((net.get(net.position() + 3) & 0xff) << 8 | net.get(net.position() + 4) & 0xff);
        return net.remaining() >= length || length > scratch.packetBytes;
    }

    /** Runs the engine's delegated tasks here; false when it had none. */
    private boolean runTasks() {
        boolean ran = false;
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
            ran = true;
        }
        return ran;
    }

    /** NOT_HANDSHAKING once the handshake began, on an engine still open: done, whether or not a result said FINISHED. */
    private void noteStatus(HandshakeStatus status) {
        if (status == HandshakeStatus.NOT_HANDSHAKING && handshakeBegun && !handshakeDone
                && !engine.isInboundDone() && !engine.isOutboundDone()) {
            handshakeDone = true;
        }
    }

    private void noteFinished(HandshakeStatus status) {
        if (status == HandshakeStatus.FINISHED) {
            handshakeDone = true;
        }
    }

    /**
     * Encrypts what fits of {@code src} (up to {@link #MAX_WRAP_BYTES}) and writes the records;
     * records the socket does not take are kept and go first next time.
     *
     * @return plaintext bytes consumed: 0 while records written earlier still wait
     */
    int write(ByteBuffer src) throws IOException {
        if (!flush()) {
            return 0;
        }
        ByteBuffer out = scratch.netOut;
        out.clear();
        int consumed = 0;
        int packet = scratch.packetBytes; // not the session's: asking BoringSSL's takes the engine's lock
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

    /** Writes records now, or keeps what the socket does not take (after what already waits). */
    private void send(ByteBuffer records) throws IOException {
        if (!records.hasRemaining()) {
            return;
        }
        if (pendingOut == null) {
            socket.write(records);
            if (records.hasRemaining()) {
                pendingOut = ByteBuffer.allocate(records.remaining()).put(records).flip();
            }
            return;
        }
        ByteBuffer more = ByteBuffer.allocate(pendingOut.remaining() + records.remaining());
        pendingOut = more.put(pendingOut).put(records).flip();
    }

    /** Writes the records kept from earlier; true when none is left. */
    boolean flush() throws IOException {
        if (pendingOut == null) {
            return true;
        }
        socket.write(pendingOut);
        if (pendingOut.hasRemaining()) {
            return false;
        }
        pendingOut = null;
        return true;
    }

    boolean hasPendingOutput() {
        return pendingOut != null;
    }

    /**
     * Says close_notify if the socket takes it now, then closes the socket and releases the
     * engine (BoringSSL's native state: a handshake run goes through thousands). Once; later
     * calls do nothing.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (pendingOut == null && handshakeDone) {
                engine.closeOutbound();
                ByteBuffer out = scratch.netOut;
                out.clear();
                engine.wrap(EMPTY, out);
                out.flip();
                socket.write(out);
            }
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the run is over for this connection either way.
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        partialIn = null;
        pendingOut = null;
        ClientTls.release(engine);
    }
}
