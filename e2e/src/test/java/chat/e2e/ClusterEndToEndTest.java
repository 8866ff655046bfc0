package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.cluster.ClusterOptions;
import chat.server.cluster.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three server nodes sharing one chat through a real redis-server (started by the test on a free
 * loopback port), with real clients on each: one room across nodes, nicks, private messages, a
 * node that dies, Redis stopped and started again mid-conversation, history kept on every node.
 */
class ClusterEndToEndTest {

    /**
     * Short, so that a dead node is dropped within the test's patience (the default is 10 s), and
     * not shorter: a live node whose beat is 2.4 s late on a loaded machine would be dropped too.
     */
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(4);

    private RedisServer redis;
    private final List<ChatServer> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed");
        redis = RedisServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (ChatServer node : nodes) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private ChatServer node(String name) throws IOException {
        return node(name, NODE_TIMEOUT);
    }

    private ChatServer node(String name, Duration nodeTimeout) throws IOException {
        chat.server.net.Limits limits = ServerConfig.loopbackEphemeral().limits();
        // No flood control: the order test sends 200 lines at once.
        limits = new chat.server.net.Limits(limits.maxLineBytes(), limits.maxPendingBytes(), limits.softPendingBytes(),
                limits.softPendingSeconds(), 0, limits.floodBurst(), limits.maxClients(), limits.maxPerAddress(),
                limits.idleTimeoutSeconds());
        ChatServer node = new ChatServer(ServerConfig.loopbackEphemeral().withLimits(limits)
                .withCluster(new ClusterOptions(redis.uri(), name, nodeTimeout, ClusterOptions.DEFAULT_MAX_QUEUED)))
                .start();
        nodes.add(node);
        await().atMost(LineClient.WAIT).until(() -> onLoop(node, n -> n.cluster().linked()));
        return node;
    }

    private static <T> T onLoop(ChatServer server, Function<ChatServer, T> query) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        server.execute(() -> result.complete(query.apply(server)));
        return result.get(10, TimeUnit.SECONDS);
    }

    /** Waits until {@code node} sees exactly {@code nicks} in #lobby. */
    private static void awaitLobby(ChatServer node, String... nicks) {
        await().atMost(LineClient.WAIT).untilAsserted(() -> {
            List<String> members = onLoop(node, ClusterEndToEndTest::lobby);
            assertThat(members).containsExactlyInAnyOrder(nicks);
        });
    }

    private static List<String> lobby(ChatServer node) {
        try {
            return node.core().members("#lobby").nicks();
        } catch (chat.server.core.ChatException none) {
            return List.of();
        }
    }

    @Test
    void usersOnThreeNodesChatInOneRoomAndEachSendersLinesArriveInOrder() throws Exception {
        ChatServer a = node("a");
        ChatServer b = node("b");
        ChatServer c = node("c");
        try (LineClient alice = LineClient.named(a.port(), "alice");
             LineClient bob = LineClient.named(b.port(), "bob");
             LineClient carol = LineClient.named(c.port(), "carol")) {
            for (ChatServer node : nodes) {
                awaitLobby(node, "alice", "bob", "carol");
            }
            alice.send("hello from a");
            bob.awaitExact("[#lobby] alice: hello from a");
            carol.awaitExact("[#lobby] alice: hello from a");
            bob.send("/who");
            bob.awaitLine(l -> l.startsWith("-- #lobby (3): ") && l.contains("alice") && l.contains("carol"));

            for (int i = 0; i < 200; i++) {
                carol.send("line " + i);
            }
            for (LineClient reader : List.of(alice, bob)) {
                reader.awaitExact("[#lobby] carol: line 199");
                List<String> got = reader.lines().stream().filter(l -> l.startsWith("[#lobby] carol: line ")).toList();
                assertThat(got).hasSize(200);
                for (int i = 0; i < 200; i++) {
                    assertThat(got.get(i)).isEqualTo("[#lobby] carol: line " + i);
                }
            }
        }
    }

    @Test
    void aNickHeldOnOneNodeIsRefusedOnAnotherAndPrivateMessagesCrossNodes() throws Exception {
        ChatServer a = node("a");
        ChatServer b = node("b");
        try (LineClient alice = LineClient.named(a.port(), "alice");
             LineClient other = LineClient.connected(b.port())) {
            awaitLobby(b, "alice", nickOf(other));
            other.send("/nick ALICE");
            other.awaitExact("! nickname \"ALICE\" is taken");
            other.send("/nick bob");
            other.awaitLine(l -> l.endsWith(" is now known as bob"));
            other.send("/msg alice psst, from b");
            alice.awaitExact("[pm] bob: psst, from b");
            alice.send("/msg bob and back");
            other.awaitExact("[pm] alice: and back");
        }
    }

    private static String nickOf(LineClient client) {
        String welcome = client.awaitLine(l -> l.startsWith("-- welcome "));
        return welcome.substring("-- welcome ".length(), welcome.indexOf(';'));
    }

    @Test
    void anIrcClientOnOneNodeAndANativeOneOnAnotherShareARoom() throws Exception {
        ChatServer a = node("a");
        ChatServer b = node("b");
        try (LineClient nora = LineClient.named(a.port(), "nora");
             LineClient ian = awaitLobbyThenConnect(b, "nora")) {
            ian.sendBytes("NICK ian\r\nUSER ian 0 * :Ian\r\nJOIN #lobby\r\n".getBytes(StandardCharsets.UTF_8));
            ian.awaitLine(l -> l.contains(" 353 ian = #lobby :") && l.contains("nora"));
            nora.awaitExact("[#lobby] -- ian joined");
            nora.send("hi irc");
            ian.awaitLine(l -> l.strip().equals(":nora!~nora@127.0.0.1 PRIVMSG #lobby :hi irc")
                    || l.strip().startsWith(":nora!") && l.strip().endsWith(" PRIVMSG #lobby :hi irc"));
            ian.sendBytes("PRIVMSG #lobby :hi native\r\n".getBytes(StandardCharsets.UTF_8));
            nora.awaitExact("[#lobby] ian: hi native");
        }
    }

    private static LineClient awaitLobbyThenConnect(ChatServer node, String... nicks) throws IOException {
        awaitLobby(node, nicks);
        return new LineClient(node.port());
    }

    @Test
    void aNodeKilledWithSigkillLosesItsUsersWithinTheNodeTimeoutAndTheirNicksAreFree() throws Exception {
        ChatServer a = node("a");
        List<String> log = new ArrayList<>();
        Process c = ServerProcessTest.startServer(log, "--bind", "127.0.0.1", "--port", "0", "--cluster",
                redis.uri().toString(), "--node-name", "c", "--node-timeout", Long.toString(NODE_TIMEOUT.toSeconds()));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> ServerProcessTest.port(log) > 0
                    && ServerProcessTest.snapshot(log).stream().anyMatch(l -> l.contains("cluster: joined as node c")));
            try (LineClient alice = LineClient.named(a.port(), "alice");
                 LineClient carol = LineClient.named(ServerProcessTest.port(log), "carol")) {
                awaitLobby(a, "alice", "carol");
                new ProcessBuilder("kill", "-9", Long.toString(c.pid())).start().waitFor();
                long killed = System.nanoTime();
                alice.awaitExact("-- carol quit: c left the cluster");
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                assertThat(tookMillis).as("dropped once its heartbeat expired, not before").isGreaterThan(500);
                try (LineClient again = LineClient.named(a.port(), "carol")) {
                    again.send("I'm back");
                    alice.awaitExact("[#lobby] carol: I'm back");
                }
            }
        } finally {
            c.destroyForcibly();
        }
    }

    @Test
    void redisStoppedAndStartedMidConversation() throws Exception {
        // An outage shorter than the node timeout is what this is about: past it, each node drops
        // the other's users. Stopping and starting Redis, and the reconnect's growing back-off,
        // can take a few seconds on a loaded machine, so a timeout well above that.
        Duration outageAllowed = Duration.ofSeconds(15);
        ChatServer a = node("a", outageAllowed);
        ChatServer b = node("b", outageAllowed);
        try (LineClient alice = LineClient.named(a.port(), "alice");
             LineClient bob = LineClient.named(b.port(), "bob");
             LineClient amy = LineClient.named(a.port(), "amy")) {
            awaitLobby(b, "alice", "bob", "amy");
            alice.send("before");
            bob.awaitExact("[#lobby] alice: before");

            redis.stop();
            String down = "-- The cluster link is down: only users on this server see you for now.";
            alice.awaitExact(down);
            bob.awaitExact(down);
            alice.send("during, for amy only");
            amy.awaitExact("[#lobby] alice: during, for amy only");

            redis.startAgain(); // empty, as a Redis without persistence restarts
            String up = "-- The cluster link is back: the whole chat sees you again.";
            alice.awaitExact(up);
            bob.awaitExact(up);
            awaitLobby(a, "alice", "bob", "amy");
            awaitLobby(b, "alice", "bob", "amy");
            alice.send("after");
            bob.awaitExact("[#lobby] alice: after");
            List<String> sinceBack = bob.lines().subList(bob.lines().indexOf(up), bob.lines().size());
            assertThat(bob.lines()).doesNotContain("[#lobby] alice: during, for amy only");
            assertThat(sinceBack).as("nobody quit, joined or was renamed: the nodes found each other's users again")
                    .noneMatch(l -> l.contains(" quit") || l.contains(" joined") || l.contains(" is now known as "));
            assertThat(alice.lines().stream().filter(down::equals)).hasSize(1);
        }
    }

    @Test
    void historyWrittenOnOneNodeIsReadOnAnother() throws Exception {
        ChatServer a = node("a");
        ChatServer b = node("b");
        try (LineClient alice = LineClient.named(a.port(), "alice")) {
            awaitLobby(b, "alice");
            alice.send("remember me");
            try (LineClient late = LineClient.connected(b.port())) {
                late.awaitLine(l -> l.startsWith("[#lobby] ") && l.endsWith(" alice: remember me"));
            }
        }
    }

    @Test
    void aNodeStartedLaterReadsTheHistoryTheOthersWroteOnRedis() throws Exception {
        ChatServer a = node("a");
        try (LineClient alice = LineClient.named(a.port(), "alice")) {
            alice.send("said before b existed");
            alice.send("/quit");
            alice.awaitEndOfStream();
        }
        // a's history writer saves within --history-sync; then only the store has the line for b.
        await().atMost(LineClient.WAIT).until(() -> redis.command("ZCARD", "chat:history:#lobby").startsWith(":1"));
        ChatServer b = node("b");
        try (LineClient late = LineClient.connected(b.port())) {
            late.awaitLine(l -> l.startsWith("[#lobby] ") && l.endsWith(" alice: said before b existed"));
        }
    }

    @Test
    void anAccountRegisteredOnOneNodeIsKeptForItsOwnerOnEveryNode() throws Exception {
        String password = "correcthorsebattery";
        ChatServer a = node("a");
        ChatServer b = node("b");
        try (LineClient alice = LineClient.named(a.port(), "alice")) {
            alice.send("/register " + password);
            alice.awaitLine(l -> l.startsWith("-- registered alice"));
        }
        awaitLobby(b);
        try (LineClient guest = LineClient.connected(b.port());
             LineClient bob = LineClient.named(b.port(), "bob")) {
            await().atMost(LineClient.WAIT).untilAsserted(() -> {
                guest.send("/nick alice");
                guest.awaitLine(l -> l.startsWith("! nickname \"alice\" is"));
                assertThat(guest.lines()).contains("! nickname \"alice\" is registered: /login alice PASSWORD if it is yours");
            });
            bob.send("/msg alice kept on b, read on a");
            bob.awaitExact("-- alice is offline; the message is kept until they log in");
        }
        try (LineClient owner = LineClient.connected(a.port())) { // back on the other node
            owner.send("/login alice " + password);
            owner.awaitExact("-- logged in as alice");
            owner.awaitLine(l -> l.startsWith("[pm] ") && l.endsWith(" bob: kept on b, read on a"));
        }
        try (LineClient rival = LineClient.connected(b.port())) { // registering the same nick elsewhere
            rival.send("/nick alice");
            rival.awaitLine(l -> l.startsWith("! nickname \"alice\" is registered"));
        }
    }
}
