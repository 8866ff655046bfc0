package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.metrics.MetricsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics endpoint end to end: the real server with {@code --metrics-port 0}, native clients
 * that chat, and scrapes over a real socket on 127.0.0.1 until the counters show what they did.
 */
class MetricsEndToEndTest {

    @RegisterExtension
    final RunningServer server = new RunningServer();

    private static String request(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8); // the server closes after answering
        }
    }

    private static String scrape(int port) throws IOException {
        return request(port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: e2e\r\n\r\n");
    }

    /** The value of the sample {@code series} (name and labels as written), or -1 when it is absent. */
    private static double sample(String exposition, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void chattingMovesTheCountersAScraperSees() throws Exception {
        ChatServer chat = server.start(ServerConfig.loopbackEphemeral().withMetrics(MetricsOptions.prometheus(0)));
        int metricsPort = chat.metricsPort();
        assertThat(metricsPort).isPositive().isNotEqualTo(chat.port());

        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob");
             LineClient carol = LineClient.named(server.port(), "carol")) {
            alice.send("/join #ops");
            alice.awaitExact("-- now talking in #ops");
            bob.send("/join #ops");
            alice.awaitExact("[#ops] -- bob joined");
            alice.send("hello, ops");
            bob.awaitExact("[#ops] alice: hello, ops");
            carol.send("hello, lobby");
            alice.awaitExact("[#lobby] carol: hello, lobby");
            bob.awaitExact("[#lobby] carol: hello, lobby");
            carol.send("/quit off");
            carol.awaitExact("-- bye");

            String[] last = {""};
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                last[0] = scrape(metricsPort);
                String body = last[0];
                assertThat(body).startsWith("HTTP/1.1 200 OK\r\n")
                        .contains("Content-Type: text/plain; version=0.0.4; charset=utf-8");
                assertThat(sample(body, "chat_messages_total")).isGreaterThanOrEqualTo(2);
                assertThat(sample(body, "chat_deliveries_total")).isGreaterThanOrEqualTo(3);
                assertThat(sample(body, "chat_lines_received_total")).isGreaterThanOrEqualTo(8);
                assertThat(sample(body, "chat_received_bytes_total")).isPositive();
                assertThat(sample(body, "chat_sent_bytes_total")).isPositive();
                assertThat(sample(body, "chat_writes_total")).isPositive();
                assertThat(sample(body, "chat_disconnects_total{reason=\"quit\"}")).isEqualTo(1);
                assertThat(sample(body, "chat_connections{dialect=\"native\",tls=\"false\"}")).isEqualTo(2);
                assertThat(sample(body, "chat_users{dialect=\"native\",tls=\"false\"}")).isEqualTo(2);
                assertThat(sample(body, "chat_rooms")).isEqualTo(2);
                assertThat(sample(body, "chat_loop_iterations_total")).isPositive();
                assertThat(sample(body, "chat_loop_task_lag_seconds")).isGreaterThanOrEqualTo(0);
                assertThat(sample(body, "chat_loop_busy_ratio")).isBetween(0.0, 1.0);
            });
            assertThat(last[0]).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void theEndpointAnswersOnlyGetAndHeadOfMetrics() throws Exception {
        ChatServer chat = server.start(ServerConfig.loopbackEphemeral().withMetrics(MetricsOptions.prometheus(0)));
        int port = chat.metricsPort();

        assertThat(request(port, "GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(request(port, "DELETE /metrics HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 405 Method Not Allowed\r\n");
        assertThat(request(port, "HEAD /metrics HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void withoutTheOptionThereIsNoEndpoint() throws Exception {
        ChatServer chat = server.start();

        assertThat(chat.metricsPort()).isEqualTo(-1);
    }
}
