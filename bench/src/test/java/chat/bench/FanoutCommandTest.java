package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generator against a real server on 127.0.0.1: both sending modes, every message to every
 * receiver. The fixed-rate mode sends from a thread of its own; these runs prove it sends what the
 * schedule asks and that what it sent is all accounted for once the threads part.
 */
class FanoutCommandTest {

    private ChatServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new ChatServer(ServerConfig.loopbackEphemeral()).start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.close();
    }

    /** Runs {@code chat-bench fanout} with {@code args} and returns its exit code and RESULT fields. */
    private Map<String, String> fanout(String... args) {
        return BenchOutput.run(BenchOutput.join(new String[] {"fanout", "--port", Integer.toString(server.port())}, args));
    }

    /** A clean run: exit code 0, no delivery and no connection lost; returns how many messages were sent. */
    private static long sentWithoutLoss(Map<String, String> result) {
        assertThat(result.get("exit")).isEqualTo("0");
        assertThat(result.get("lost")).isEqualTo("0");
        assertThat(result.get("connections_lost")).isEqualTo("0");
        return Long.parseLong(result.get("sent"));
    }

    @Test
    void fixedRateSendsOnScheduleFromItsOwnThreadAndLosesNothing() {
        // 10 messages/s in all from 2 senders: under the server's default flood limit.
        long sent = sentWithoutLoss(fanout("--receivers", "12", "--senders", "2", "--rate", "10",
                "--warmup", "0.2", "--duration", "1.5"));
        // The schedule asks for 17 messages over 1.7 s; a machine that stalls may fit fewer.
        assertThat(sent).isBetween(8L, 18L);
    }

    @Test
    void asFastAsPossibleKeepsEveryoneOnOneThreadAndLosesNothing() {
        long sent = sentWithoutLoss(fanout("--receivers", "8", "--senders", "1", "--window", "5",
                "--warmup", "0.1", "--duration", "0.5"));
        assertThat(sent).isPositive();
    }

    @Test
    void receiversSpreadOverSeveralPortsAreReportedPerServer() {
        // The same server twice stands for two nodes: every receiver gets every message either way.
        String port = Integer.toString(server.port());
        long self = ProcessHandle.current().pid();
        Map<String, String> result = BenchOutput.run("fanout", "--port", port + "," + port,
                "--server-pid", self + "," + self, "--receivers", "5", "--senders", "1", "--window", "5",
                "--warmup", "0.1", "--duration", "0.5");
        assertThat(sentWithoutLoss(result)).isPositive();
        assertThat(result.get("servers")).isEqualTo("2");
        assertThat(result.get("server_cpu_pcts").split(",")).hasSize(2);
        assertThat(result.get("by_server_deliveries_per_s").split(",")).hasSize(2);
        assertThat(result.get("by_server_lat_p99_us").split(",")).hasSize(2);
        assertThat(result.get("output")).contains("receivers on server 2:");
    }
}
