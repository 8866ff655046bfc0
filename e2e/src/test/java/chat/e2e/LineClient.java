package chat.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A raw-socket test client, like {@code nc}: sends bytes, collects every line the server sends
 * (decoded with the client's charset) on a background thread.
 */
final class LineClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final Socket socket;
    private final OutputStream out;
    private final Charset charset;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private volatile boolean endOfStream;

    LineClient(int port) throws IOException {
        this(port, StandardCharsets.UTF_8);
    }

    LineClient(int port, Charset charset) throws IOException {
        this(new Socket(InetAddress.getLoopbackAddress(), port), charset);
    }

    /** Over a socket already connected: a TLS one, say. */
    LineClient(Socket socket, Charset charset) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true); // each send leaves at once, so a reset right after cannot drop it
        this.out = socket.getOutputStream();
        this.charset = charset;
        this.reader = new Thread(this::readLines, "test-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects over TLS, checking the server's certificate against {@code trust} and the name
     * localhost, as a careful client does; the handshake is done when this returns.
     */
    static LineClient tls(int port, javax.net.ssl.SSLContext trust) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) trust.getSocketFactory()
                .createSocket(plain, "localhost", port, true);
        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return new LineClient(socket, StandardCharsets.UTF_8);
    }

    /** Connects and waits for the welcome, so the nick is known; returns the client. */
    static LineClient connected(int port) throws IOException {
        LineClient client = new LineClient(port);
        client.awaitLine(l -> l.startsWith("-- welcome "));
        return client;
    }

    /** Connects, takes a nick, and waits until the server confirmed it. */
    static LineClient named(int port, String nick) throws IOException {
        LineClient client = connected(port);
        client.send("/nick " + nick);
        client.awaitLine(l -> l.endsWith(" is now known as " + nick));
        return client;
    }

    private void readLines() {
        byte[] buffer = new byte[8192];
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        add(line.toString(charset));
                        line.reset();
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        } catch (IOException e) {
            // closed or reset: the test decides whether that was expected
        }
        if (line.size() > 0) {
            add(line.toString(charset));
        }
        endOfStream = true;
    }

    private synchronized void add(String line) {
        lines.add(line);
    }

    /** Drops the lines collected so far (long-running tests keep their memory flat). */
    synchronized void forget() {
        lines.clear();
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    void send(String line) throws IOException {
        sendBytes((line + "\n").getBytes(charset));
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Waits for a line matching {@code condition} and returns the first such line. */
    String awaitLine(Predicate<String> condition) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> lines().stream().anyMatch(condition));
        return lines().stream().filter(condition).findFirst().orElseThrow();
    }

    /** Waits for this exact line. */
    void awaitExact(String expected) {
        awaitLine(expected::equals);
    }

    /** Waits until the server has closed the connection. */
    void awaitEndOfStream() {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> endOfStream);
    }

    boolean hasLine(Predicate<String> condition) {
        return lines().stream().anyMatch(condition);
    }

    /** Shuts down our sending side only (half-close), as a client at end of input does. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with a TCP reset instead of a FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
