package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The assembled server's life: how it ends, and what its process should then say. */
class ChatServerTest {

    @Test
    void anErrorOnTheLoopStopsTheServerAndMakesTheExitStatusNonZero() throws Exception {
        ChatServer server = new ChatServer(ServerConfig.loopbackEphemeral()).start();
        try {
            OutOfMemoryError error = new OutOfMemoryError("simulated: the heap is exhausted");
            server.execute(() -> {
                throw error;
            });
            assertThat(server.awaitStopped(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.failure()).isSameAs(error);
            assertThat(ServerMain.exitStatus(server)).isEqualTo(ServerMain.EXIT_FATAL);
        } finally {
            server.close();
        }
    }

    @Test
    void aRuntimeExceptionOnTheLoopIsLoggedAndTheServerGoesOn() throws Exception {
        ChatServer server = new ChatServer(ServerConfig.loopbackEphemeral()).start();
        try {
            server.execute(() -> {
                throw new IllegalStateException("simulated: a bug in one task");
            });
            java.util.concurrent.CompletableFuture<Integer> stillServing = new java.util.concurrent.CompletableFuture<>();
            server.execute(() -> stillServing.complete(server.connectionCount()));
            assertThat(stillServing.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(server.failure()).isNull();
        } finally {
            server.close();
        }
        assertThat(ServerMain.exitStatus(server)).isZero();
    }
}
