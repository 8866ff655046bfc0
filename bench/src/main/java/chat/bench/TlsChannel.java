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
 * {@link #read} as the server's records arrive, and the engine's delegated tasks (the key
 * exchange) run right there, on the loop thread, as everything else of the generator does.
 *
 * <p>Records pass through buffers that every connection of a loop shares ({@link Scratch}); a
 * connection keeps only an incomplete record received and records the socket did not take yet,
 * both null nearly always.
 *
 * <p>Reads are bounded so that nothing decryptable is left behind: at most as many record bytes
 * are taken from the socket as the reader's buffer has room for, and a record's plaintext is
 * never longer than the record, so every complete record read is decrypted by the same call;
 * what may remain is one incomplete record, which only more bytes from the socket complete.
 *
 * <p>Not thread-safe: the thread of the loop whose {@link Scratch} it uses.
 */
final class TlsChannel {

    /** Most plaintext encrypted per {@link #write}: a sender's whole buffer, one system call. */
    static final int MAX_WRAP_BYTES = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** The record buffers of one loop, shared by its connections (one thread, one record at a time). */
    static final class Scratch {
        /** Records read from a socket, with room for the incomplete record a connection kept. */
        final ByteBuffer netIn;
        /** Records made for a socket: several per write, then one system call. */
        final ByteBuffer netOut;

        /** @param readBytes the most plaintext one read takes (the loop's read buffer) */
        Scratch(int readBytes, int packetBytes) {
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
    private boolean handshakeDone;

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
        ByteBuffer out = scratch.netOut;
        out.clear();
        SSLEngineResult result = engine.wrap(EMPTY, out);
        out.flip();
        if (result.getStatus() != Status.OK || !out.hasRemaining()) {
            throw new SSLException("no ClientHello: " + result);
        }
        pendingOut = ByteBuffer.allocate(out.remaining()).put(out).flip();
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /** The negotiated protocol and cipher suite, such as {@code TLSv1.3 TLS_AES_256_GCM_SHA384}. */
    String negotiated() {
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
     * here; handshake messages are written at once) until input runs out.
     */
    private int step(ByteBuffer net, ByteBuffer dst) throws IOException {
        int produced = 0;
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
                continue;
            }
            if (status == HandshakeStatus.NEED_WRAP) {
                ByteBuffer out = scratch.netOut;
                out.clear();
                SSLEngineResult result = engine.wrap(EMPTY, out);
                noteFinished(result.getHandshakeStatus());
                out.flip();
                send(out);
                if (result.getStatus() != Status.OK) {
                    return produced; // CLOSED: the engine said its alert or close_notify
                }
                continue;
            }
            if (!net.hasRemaining()) {
                return produced;
            }
            SSLEngineResult result = engine.unwrap(net, dst);
            produced += result.bytesProduced();
            noteFinished(result.getHandshakeStatus());
            if (result.getStatus() != Status.OK) {
                // BUFFER_UNDERFLOW: an incomplete record waits for more bytes. CLOSED: close_notify.
                // BUFFER_OVERFLOW does not happen: reads are bounded by dst's room.
                return produced;
            }
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
        int packet = engine.getSession().getPacketBufferSize();
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

    /** Says close_notify if the socket takes it now, then closes the socket. */
    void close() {
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
    }
}
