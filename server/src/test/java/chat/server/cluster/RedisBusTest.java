package chat.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.server.net.EventLoop;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedisBus} and its scripts against a real redis-server started by the test. */
class RedisBusTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private RedisServer redis;
    private final List<Running> running = new java.util.ArrayList<>();

    /** A bus on a loop of its own thread, and what it reported. */
    private final class Running implements ClusterBus.Listener {
        final EventLoop loop = new EventLoop();
        final RedisBus bus;
        final Queue<String> heard = new ConcurrentLinkedQueue<>();
        final AtomicInteger ups = new AtomicInteger();
        final AtomicInteger downs = new AtomicInteger();

        Running(URI uri) {
            this(uri, 1000);
        }

        Running(URI uri, int maxQueued) {
            bus = new RedisBus(loop, new ClusterOptions(uri, "n", Duration.ofSeconds(10), maxQueued));
            Thread thread = new Thread(loop::run, "test-loop");
            thread.setDaemon(true);
            thread.start();
            loop.execute(() -> bus.start(this));
            running.add(this);
        }

        @Override
        public void linkUp() {
            ups.incrementAndGet();
        }

        @Override
        public void linkDown() {
            downs.incrementAndGet();
        }

        @Override
        public void received(String message) {
            heard.add(message);
        }

        final java.util.concurrent.atomic.AtomicLong fellBehind = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void fellBehind(long dropped) {
            fellBehind.addAndGet(dropped);
        }

        /** Runs {@code call} on the loop and waits for the value it hands to its callback. */
        <T> T call(java.util.function.Consumer<CompletableFuture<T>> call) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            loop.execute(() -> call.accept(result));
            return result.get(10, TimeUnit.SECONDS);
        }

        void awaitUp(int times) {
            await().atMost(WAIT).until(() -> ups.get() >= times);
        }
    }

    @BeforeEach
    void startRedis() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed");
        redis = RedisServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Running r : running) {
            r.loop.execute(r.bus::close);
            r.loop.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theFirstClaimOfANickGetsItAndTheSecondItsGuestNickInTheMessagePublished() throws Exception {
        Running node = new Running(redis.uri());
        node.awaitUp(1);
        long inc = ((ClusterBus.Registration) node.call(f -> node.bus.register("n", 60_000, f::complete,
                f::completeExceptionally))).incarnation();
        String one = inc + ".1";
        String two = inc + ".2";
        node.loop.execute(() -> {
            for (String uid : List.of(one, two)) {
                ClusterCodec.Split split = ClusterCodec.encodeUser(uid, "Alice\\", "u", "", "127.0.0.1", "", List.of(), "");
                node.bus.publishNick(inc, uid, "alice\\", "", "Alice\\", ClusterIds.guestNick(uid), split);
            }
        });
        await().atMost(WAIT).until(() -> node.heard.size() >= 2);
        ClusterEvent.UserState first = (ClusterEvent.UserState) ClusterCodec.decode(node.heard.poll());
        ClusterEvent.UserState second = (ClusterEvent.UserState) ClusterCodec.decode(node.heard.poll());
        assertThat(first.nick()).isEqualTo("Alice\\"); // the backslash escaped by the script, read back
        assertThat(second.nick()).isEqualTo(ClusterIds.guestNick(two));
        assertThat(second.asked()).isEqualTo("Alice\\");
        assertThat(redis.command("HGET", "chat:nicks", "alice\\")).contains(one);
        assertThat(redis.command("HGET", "chat:nicks", ClusterIds.guestNick(two))).contains(two);

        // A quit gives the nick up; the next claim gets it.
        node.loop.execute(() -> node.bus.publishNick(inc, one, "", "alice\\", "", "",
                new ClusterCodec.Split(ClusterCodec.encode(new ClusterEvent.Quit(one, "bye")), "")));
        await().atMost(WAIT).until(() -> !node.heard.isEmpty());
        assertThat(ClusterCodec.decode(node.heard.poll())).isEqualTo(new ClusterEvent.Quit(one, "bye"));
        assertThat(redis.command("HEXISTS", "chat:nicks", "alice\\")).startsWith(":0");

        // A reset gives up every nick of the incarnation, as a resync does before its users claim theirs again.
        node.loop.execute(() -> node.bus.resetNicks("n", inc));
        await().atMost(WAIT).until(() -> redis.command("HLEN", "chat:nicks").startsWith(":0"));
    }

    @Test
    void nodesRegisterWithTheirOwnIncarnationAndResidueAndAnExpiredOneIsDroppedWithItsNicks() throws Exception {
        Running a = new Running(redis.uri());
        Running b = new Running(redis.uri());
        a.awaitUp(1);
        b.awaitUp(1);
        ClusterBus.Registration ra = a.call(f -> a.bus.register("a", 300, f::complete, f::completeExceptionally));
        ClusterBus.Registration rb = b.call(f -> b.bus.register("b", 60_000, f::complete, f::completeExceptionally));
        assertThat(ra.incarnation()).isNotEqualTo(rb.incarnation());
        assertThat(ra.residue()).isNotEqualTo(rb.residue());
        assertThat(ra.replaced()).isFalse();
        a.loop.execute(() -> a.bus.publishNick(ra.incarnation(), ra.incarnation() + ".1", "alice", "", "alice",
                "guest", ClusterCodec.encodeUser(ra.incarnation() + ".1", "alice", "u", "", "127.0.0.1", "", List.of(), "")));
        await().atMost(WAIT).until(() -> redis.command("HEXISTS", "chat:nicks", "alice").startsWith(":1"));
        ClusterBus.Beat beat = a.call(f -> a.bus.beat("a", ra.incarnation(), 300, f::complete, f::completeExceptionally));
        assertThat(beat.alive()).isTrue();
        assertThat(beat.live()).containsEntry(ra.incarnation(), "a").containsEntry(rb.incarnation(), "b").hasSize(2);

        // a beats no more: b's next beat after its entry expired drops it, frees alice, tells everyone.
        await().atMost(WAIT).until(() -> {
            ClusterBus.Beat next = b.call(f -> b.bus.beat("b", rb.incarnation(), 60_000, f::complete,
                    f::completeExceptionally));
            return b.heard.stream().anyMatch(m -> m.startsWith("G")) && next.live().keySet().equals(
                    java.util.Set.of(rb.incarnation()));
        });
        assertThat(b.heard.stream().filter(m -> m.startsWith("G")).map(ClusterCodec::decode))
                .containsExactly(new ClusterEvent.Gone(ra.incarnation(), "a"));
        assertThat(redis.command("HEXISTS", "chat:nicks", "alice")).startsWith(":0");
        assertThat(((ClusterBus.Beat) a.call(f -> a.bus.beat("a", ra.incarnation(), 300, f::complete,
                f::completeExceptionally))).alive()).isFalse();
        // Nor may the dropped incarnation claim a nick, or say anything through the nick script.
        int heardBefore = a.heard.size();
        a.loop.execute(() -> a.bus.publishNick(ra.incarnation(), ra.incarnation() + ".2", "late", "", "late", "guest",
                ClusterCodec.encodeUser(ra.incarnation() + ".2", "late", "u", "", "127.0.0.1", "", List.of(), "")));
        a.loop.execute(() -> a.bus.publish("J\u0000marker\u0000#m")); // after the script, on the same connection
        await().atMost(WAIT).until(() -> a.heard.contains("J\u0000marker\u0000#m"));
        assertThat(a.heard.size()).isEqualTo(heardBefore + 1);
        assertThat(redis.command("HEXISTS", "chat:nicks", "late")).startsWith(":0");

        // Registering again under a live name replaces that node (and says so).
        ClusterBus.Registration again = a.call(f -> a.bus.register("b", 60_000, f::complete, f::completeExceptionally));
        assertThat(again.replaced()).isTrue();
    }

    @Test
    void aRestartedRedisIsReportedDownThenUpAndItsScriptsWorkAgain() throws Exception {
        Running node = new Running(redis.uri());
        node.awaitUp(1);
        redis.stop();
        await().atMost(WAIT).until(() -> node.downs.get() == 1);
        node.loop.execute(() -> node.bus.publish("J\u00001.1\u0000#lost")); // lost, not queued for later
        redis.startAgain();
        node.awaitUp(2);
        ClusterBus.Registration registration =
                node.call(f -> node.bus.register("n", 60_000, f::complete, f::completeExceptionally));
        // The scripts were loaded again into the empty Redis; its incarnation still follows its clock.
        assertThat(registration.incarnation()).isGreaterThan(System.currentTimeMillis() - 600_000);
        node.loop.execute(() -> node.bus.publish("J\u00001.1\u0000#after"));
        await().atMost(WAIT).until(() -> node.heard.contains("J\u00001.1\u0000#after"));
        assertThat(node.heard).doesNotContain("J\u00001.1\u0000#lost");
        assertThat(node.bus.lost()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aLoopThatFallsBehindDropsWhatPassesTheQueueAndIsToldHowMany() throws Exception {
        Running node = new Running(redis.uri(), 100);
        node.awaitUp(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        node.loop.execute(() -> { // the loop is busy for certain while the messages arrive
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 300; i++) {
            redis.command("PUBLISH", node.bus.channel(), "J\u00001.1\u0000#r" + i);
        }
        await().atMost(WAIT).until(() -> node.bus.inboundDropped() == 200);
        release.countDown();
        await().atMost(WAIT).until(() -> node.fellBehind.get() == 200);
        assertThat(node.heard).hasSize(100).first().isEqualTo("J\u00001.1\u0000#r0");
    }
}
