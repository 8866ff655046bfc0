package chat.client;

import chat.common.FrameHandler;
import chat.common.LineFrameDecoder;
import chat.common.TextCodec;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One TCP connection to the server, speaking lines in one charset.
 *
 * <p>Bytes from the server are cut into lines on LF by a {@link LineFrameDecoder} before they are
 * decoded, so a character split across two reads is never torn (the charsets allowed here are
 * ASCII-compatible, where an LF byte is never part of another character). Bad bytes decode to
 * U+FFFD, as {@link TextCodec} documents.
 *
 * <p>Threading: {@link #receive} runs on one thread for the life of the connection; {@link #send}
 * may be called from any thread (writes are serialized); {@link #close} from any thread, and it
 * unblocks the receiver.
 */
final class ServerConnection implements Closeable {

    /** Longest line accepted from the server, in bytes; the server's lines are far shorter. */
    static final int MAX_SERVER_LINE_BYTES = 1 << 20;
    /** How long to wait for the TCP handshake, in milliseconds. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** What the receiver hands on. */
    interface Listener {
        void onLine(String line);

        /** A line longer than the limit was dropped; the stream goes on with the next one. */
        void onLineTooLong(long lengthSeen, int maxLength);
    }

    /** The socket: plain, or TLS over one. */
    private final Socket socket;
    private final OutputStream out;
    /** How lines are encoded and decoded; changed by /charset while the connection runs. */
    private volatile TextCodec codec;

    private ServerConnection(Socket socket, TextCodec codec) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.codec = codec;
    }

    /** Connects in plaintext, or throws with the reason. */
    static ServerConnection open(String host, int port, TextCodec codec) throws IOException {
        return open(host, port, codec, null);
    }

    /**
     * Connects, over TLS when {@code tls} is given (the server's certificate checked against
     * what it trusts, and against {@code host}), or throws with the reason.
     *
     * @throws TlsRefused the TLS handshake failed: never a reason to try again, nor to fall back
     *     to plaintext
     */
    static ServerConnection open(String host, int port, TextCodec codec, SSLContext tls) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            if (socket.getLocalSocketAddress().equals(socket.getRemoteSocketAddress())) {
                // TCP simultaneous open: with nothing listening on a local port in the ephemeral
                // range, the kernel may pick that very port as our source and connect us to
                // ourselves. We would read our own lines back and hold the port the server needs.
                throw new ConnectException("Connection refused (nothing listens on port " + port + ")");
            }
            socket.setTcpNoDelay(true);
            if (tls != null) {
                socket = secure(socket, host, port, tls);
            }
            return new ServerConnection(socket, codec);
        } catch (java.net.UnknownHostException e) {
            socket.close();
            throw new java.net.UnknownHostException("unknown host " + host); // rather than the bare name
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** TLS over a connected socket; the handshake is done, or refused, when this returns. */
    private static Socket secure(Socket plain, String host, int port, SSLContext tls) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the name must be the certificate's
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
        try {
            socket.startHandshake();
        } catch (SSLException e) {
            socket.close();
            throw new TlsRefused(host + ":" + port, e);
        }
        socket.setSoTimeout(0);
        return socket;
    }

    /** A TLS handshake that failed: the certificate does not verify, or the port does not speak TLS. */
    static final class TlsRefused extends IOException {
        TlsRefused(String where, SSLException cause) {
            super("TLS with " + where + " failed: " + reason(cause), cause);
        }

        private static String reason(SSLException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.security.cert.CertificateException) {
                    return "the server's certificate does not verify (" + e.getMessage()
                            + "); for a private CA or a self-signed certificate, give it with --tls-ca FILE";
                }
            }
            return e.getMessage() + " (does this port speak TLS?)";
        }
    }

    /** From now on lines are written and read in {@code next}. */
    void useCodec(TextCodec next) {
        codec = next;
    }

    /** Sends one line; the LF is added here. */
    void send(String line) throws IOException {
        byte[] bytes = codec.encode(line + "\n").bytes();
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    /**
     * Sends one line that holds a secret, then wipes {@code line} and the bytes made from it, so
     * that no copy outlives the write. Unlike {@link #send}, a character the charset cannot hold
     * is refused rather than replaced: a password with a {@code ?} in its place would only be
     * refused by the server, and counted as a failed login.
     *
     * @throws CharacterCodingException the charset cannot hold every character; nothing was sent
     */
    void sendSecret(char[] line) throws IOException {
        ByteBuffer bytes = null;
        try {
            bytes = codec.charset().newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(line));
            synchronized (out) {
                out.write(bytes.array(), bytes.arrayOffset(), bytes.remaining());
                out.write('\n');
                out.flush();
            }
        } finally {
            Arrays.fill(line, '\0');
            if (bytes != null) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }

    /** Tells the server we will send nothing more; it reads what is left, then closes its side. */
    void finishSending() throws IOException {
        synchronized (out) {
            socket.shutdownOutput();
        }
    }

    /**
     * Reads lines until the server closes the connection (returns normally) or it breaks (throws).
     * A last line without LF is still delivered.
     */
    void receive(Listener listener) throws IOException {
        LineFrameDecoder decoder = new LineFrameDecoder(MAX_SERVER_LINE_BYTES);
        FrameHandler frames = new FrameHandler() {
            @Override
            public void onFrame(byte[] bytes, int offset, int length) {
                listener.onLine(codec.decode(bytes, offset, length));
            }

            @Override
            public void onFrameTooLong(long lengthSeen, int maxLength) {
                listener.onLineTooLong(lengthSeen, maxLength);
            }
        };
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            decoder.decode(buffer, 0, n, frames);
        }
        decoder.finish(frames);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway; nothing more to do with this socket
        }
    }
}
