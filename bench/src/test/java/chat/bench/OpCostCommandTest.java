package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.history.HistoryOptions;
import chat.server.net.Limits;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * op-cost against a real server in this process on 127.0.0.1 (its loop thread is this JVM's
 * {@code chat-loop}): every operation completes, and each join replays what the room kept.
 */
class OpCostCommandTest {

    private ChatServer server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private void start(HistoryOptions history) throws Exception {
        server = new ChatServer(ServerConfig.loopbackEphemeral().withLimits(Limits.unlimited()).withHistory(history))
                .start();
    }

    private Map<String, String> opCost(String... args) {
        return opCost(ProcessHandle.current().pid(), args);
    }

    private Map<String, String> opCost(long serverPid, String... args) {
        return BenchOutput.run(BenchOutput.join(new String[] {"op-cost", "--port", Integer.toString(server.port()),
                "--server-pid", Long.toString(serverPid)}, args));
    }

    @Test
    void eachJoinReplaysTheKeptLines() throws Exception {
        start(HistoryOptions.inMemory());
        Map<String, String> result = opCost("--op", "join", "--kept", "5", "--in-flight", "3", "--warmup-ops", "30",
                "--ops", "200");
        assertThat(result).containsEntry("exit", "0").containsEntry("op", "join").containsEntry("ops", "200")
                .containsEntry("connections_lost", "0").containsEntry("replayed_each", "5.00");
        assertThat(Double.parseDouble(result.get("loop_us_each"))).isNotNegative();
    }

    @Test
    void withoutReplayAJoinReplaysNothing() throws Exception {
        start(HistoryOptions.inMemory().withOnJoin(0));
        Map<String, String> result = opCost("--op", "join", "--warmup-ops", "10", "--ops", "100");
        assertThat(result).containsEntry("exit", "0").containsEntry("replayed_each", "0.00");
    }

    @Test
    void everyBroadcastReachesEveryOtherMember() throws Exception {
        start(HistoryOptions.inMemory());
        Map<String, String> result = opCost("--op", "broadcast", "--members", "5", "--in-flight", "4",
                "--warmup-ops", "20", "--ops", "300");
        assertThat(result).containsEntry("exit", "0").containsEntry("op", "broadcast")
                .containsEntry("lines_each", "4.00").containsEntry("connections_lost", "0");
    }

    @Test
    void aProcessWithoutAChatLoopIsRefused() throws Exception {
        start(HistoryOptions.inMemory());
        Map<String, String> result = opCost(1, "--op", "join"); // init: no chat-loop thread
        assertThat(result).containsEntry("exit", "2");
    }
}
