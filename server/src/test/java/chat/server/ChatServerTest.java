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
        LogRecorder logs = LogRecorder.attach(ChatServer.class);
        ChatServer server;
        try {
            server = new ChatServer(ServerConfig.loopbackEphemeral()
                    .withHistory(chat.server.history.HistoryOptions.inMemory().withDataDir(dir))).start();
        } finally {
            logs.detach();
        }
        assertThat(logs.at(ch.qos.logback.classic.Level.ERROR)).as("said loudly, naming the file")
                .anyMatch(line -> line.contains(file.toString()) && line.contains("history is kept in memory only"));
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

    /**
     * A reload applies the new limits to the next connection and the new MOTD to the next IRC
     * MOTD, while what takes a restart (the port) keeps its running value.
     */
    @Test
    void aReloadAppliesNewLimitsAndMotdAndKeepsThePort() throws Exception {
        ServerConfig started = ServerConfig.loopbackEphemeral();
        ChatServer server = new ChatServer(started).start();
        try (java.net.Socket alice = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            java.io.BufferedReader aliceIn = reader(alice);
            alice.getOutputStream().write("/nick alice\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            awaitLine(aliceIn, "-- welcome alice; /help lists the commands");

            chat.server.irc.IrcOptions irc = started.irc();
            ServerConfig next = started.withPort(started.port() + 1)
                    .withLimits(started.limits().withConnections(1, 0))
                    .withIrc(new chat.server.irc.IrcOptions(irc.serverName(), irc.network(), irc.description(),
                            java.util.List.of("reloaded message of the day"), irc.password(), irc.operators(),
                            irc.pingIntervalSeconds()));
            server.reload(next, "test");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> server.config().limits().maxClients() == 1);
            assertThat(server.config().port()).as("the port takes a restart").isEqualTo(started.port());

            try (java.net.Socket refused = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
                java.io.BufferedReader in = reader(refused);
                String line = in.readLine();
                assertThat(line).as("the one-client limit applies to the second").isNotNull().contains("1");
                assertThat(in.readLine()).isNull();
            }
            // alice, already in, stays; the limit back at none lets an IRC client in to read the MOTD
            server.reload(next.withLimits(started.limits()), "test");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> server.config().limits().maxClients() == started.limits().maxClients());
            try (java.net.Socket bob = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
                java.io.BufferedReader in = reader(bob);
                bob.getOutputStream().write("NICK bob\r\nUSER bob 0 * :Bob\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                String line;
                do {
                    line = in.readLine();
                } while (line != null && !line.contains(" 372 ") && !line.contains(" 422 "));
                assertThat(line).isNotNull().endsWith(":- reloaded message of the day");
            }
            alice.getOutputStream().write("/who\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(awaitLine(aliceIn, "-- #lobby (1): @alice")).as("alice, in before the limit, stayed").isNotNull();
        } finally {
            server.close();
        }
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
