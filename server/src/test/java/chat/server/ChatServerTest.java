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

    /**
     * A database file that is not one leaves history in memory: the server starts, chat goes on,
     * a joiner still gets what was said since the start, and the file is left as it was.
     */
    @Test
    void aBrokenHistoryFileLeavesHistoryInMemoryAndChatGoesOn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("history.db");
        java.nio.file.Files.writeString(file, "this is not a database, and it is long enough to look like a header");
        ChatServer server = new ChatServer(ServerConfig.loopbackEphemeral()
                .withHistory(chat.server.history.HistoryOptions.inMemory().withDataDir(dir))).start();
        try (java.net.Socket alice = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port());
                java.net.Socket bob = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            java.io.BufferedReader aliceIn = reader(alice);
            alice.getOutputStream().write("/nick alice\nstill here\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            awaitLine(aliceIn, "-- welcome alice; /help lists the commands");
            // a round trip, so "still here" was said before bob arrives
            alice.getOutputStream().write("/who\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            awaitLine(aliceIn, "-- #lobby (1): @alice");
            bob.getOutputStream().write("/nick bob\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String replayed = awaitLine(reader(bob), null);
            assertThat(replayed).matches("\\[#lobby\\] \\S+Z alice: still here");
        } finally {
            server.close();
        }
        assertThat(java.nio.file.Files.readString(file)).startsWith("this is not a database");
    }

    private static java.io.BufferedReader reader(java.net.Socket socket) throws java.io.IOException {
        socket.setSoTimeout(10_000);
        return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Reads until {@code expected} (or, when null, a history line: a room line with a time), and returns it. */
    private static String awaitLine(java.io.BufferedReader in, String expected) throws java.io.IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (expected == null ? line.matches("\\[#\\S+\\] \\d{4}-.*") : line.equals(expected)) {
                return line;
            }
        }
        throw new AssertionError("no line " + (expected == null ? "from history" : expected));
    }
}
