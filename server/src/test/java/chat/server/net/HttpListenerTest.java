package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics listener on a loop driven by hand (its clock moves only when the test says so),
 * with real sockets on 127.0.0.1: a scrape, a client that never finishes its request, one that
 * sends half and stops, and that the listener never holds more than its share of sockets.
 */
class HttpListenerTest {

    private long nanos = TimeUnit.SECONDS.toNanos(1000);
    private final EventLoop loop = new EventLoop(() -> nanos);
    private final HttpListener listener = new HttpListener(loop,
            new InetSocketAddress("127.0.0.1", 0), () -> "chat_rooms 1.0\n".getBytes(StandardCharsets.UTF_8));

    @AfterEach
    void close() throws IOException {
        listener.close();
        loop.poller().close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", listener.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Runs the loop until {@code socket}'s peer has closed, and returns all it sent. */
    private String answerOf(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
            loop.runIteration(false);
            while (in.available() > 0) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
                received.write(b);
            }
            socket.setSoTimeout(1);
            try {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
                received.write(b);
            } catch (java.net.SocketTimeoutException notYet) {
                // nothing more yet
            }
            return false;
        });
        return received.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aScrapeGetsTheBodyAndTheConnectionIsClosed() throws IOException {
        listener.bind();
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String answer = answerOf(socket);

            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nchat_rooms 1.0\n");
        }
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> {
            loop.runIteration(false);
            return listener.openExchanges() == 0;
        });
    }

    @Test
    void aClientThatSendsHalfARequestAndStopsGetsA408AtTheTimeLimit() throws IOException {
        listener.bind();
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /metr".getBytes(StandardCharsets.US_ASCII));
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> {
                loop.runIteration(false);
                return listener.openExchanges() == 1;
            });
            nanos += TimeUnit.MILLISECONDS.toNanos(HttpListener.REQUEST_TIMEOUT_MILLIS - 1);
            loop.runIteration(false);
            assertThat(listener.openExchanges()).as("still within its time").isEqualTo(1);

            nanos += TimeUnit.MILLISECONDS.toNanos(2);
            String answer = answerOf(socket);

            assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n");
            assertThat(listener.openExchanges()).isZero();
        }
    }

    @Test
    void aClientThatConnectsAndSaysNothingIsCutOffToo() throws IOException {
        listener.bind();
        try (Socket socket = connect()) {
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> {
                loop.runIteration(false);
                return listener.openExchanges() == 1;
            });
            nanos += TimeUnit.MILLISECONDS.toNanos(HttpListener.REQUEST_TIMEOUT_MILLIS + 1);

            assertThat(answerOf(socket)).startsWith("HTTP/1.1 408 ");
        }
    }

    @Test
    void pastTheLimitOfOpenExchangesANewConnectionIsClosedAtOnce() throws IOException {
        listener.bind();
        Socket[] idle = new Socket[HttpListener.MAX_OPEN];
        try {
            for (int i = 0; i < idle.length; i++) {
                idle[i] = connect();
            }
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> {
                loop.runIteration(false);
                return listener.openExchanges() == HttpListener.MAX_OPEN;
            });
            try (Socket extra = connect()) {
                assertThat(answerOf(extra)).as("closed without a word").isEmpty();
            }
            assertThat(listener.openExchanges()).isEqualTo(HttpListener.MAX_OPEN);
        } finally {
            for (Socket socket : idle) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
