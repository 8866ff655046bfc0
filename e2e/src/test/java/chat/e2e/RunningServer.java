package chat.e2e;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A server on 127.0.0.1 and an ephemeral port for one test; stopped after it. */
final class RunningServer implements AfterEachCallback {

    private ChatServer server;

    ChatServer start() throws IOException {
        return start(ServerConfig.loopbackEphemeral());
    }

    ChatServer start(ServerConfig config) throws IOException {
        server = new ChatServer(config).start();
        return server;
    }

    /** Stops the server, as for a restart: {@link #start} may be called again. */
    void stop() throws InterruptedException {
        server.close();
        server = null;
    }

    int port() {
        return server.port();
    }

    /** Reads loop-owned state on the loop thread. */
    <T> T onLoop(Function<ChatServer, T> query) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        server.execute(() -> result.complete(query.apply(server)));
        return result.get(10, TimeUnit.SECONDS);
    }

    /** Members of {@code room} now, 0 when it does not exist; read on the loop thread. */
    int members(String room) throws Exception {
        return onLoop(s -> {
            try {
                return s.core().members(room).nicks().size();
            } catch (chat.server.core.ChatException noSuchRoom) {
                return 0;
            }
        });
    }

    /** Bytes the server has read from all its connections so far; read on the loop thread. */
    long bytesRead() throws Exception {
        return onLoop(s -> s.statsNow().traffic().bytesIn());
    }

    /**
     * Waits until the server has read exactly {@code total} bytes: a test that sends one byte and
     * then waits for this knows the server read that byte alone, so a split it promises happens.
     * Checks at once and then every millisecond (Awaitility's default first waits 100 ms): a
     * byte-at-a-time hello must still finish inside the server's detection window.
     */
    void awaitBytesRead(long total) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(1))
                .until(() -> bytesRead() == total);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
