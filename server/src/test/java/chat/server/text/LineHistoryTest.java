package chat.server.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.server.core.MessageIds;
import chat.server.history.HistoryOptions;
import chat.server.history.StoredMessage;
import chat.server.text.LineHarness.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The native dialect's history: replay on join, /history and its paging, /ids, /resume, and what is private. */
class LineHistoryTest {

    private final LineHarness server = new LineHarness(HistoryOptions.inMemory().withOnJoin(3), null);

    @Test
    void aJoinerSeesTheRoomsLastMessagesWithTheirTimeAfterTheJoinAndBeforeAnythingLive() {
        Client alice = server.connect("alice");
        for (int i = 1; i <= 4; i++) {
            alice.line("line " + i);
        }
        server.loop.advanceMillis(61_000);
        Client carol = server.connect("carol2");
        carol.take();

        Client bob = server.accept();
        bob.line("/nick bob");
        server.loop.advanceMillis(LineHarness.WINDOW);
        alice.line("live");

        assertThat(bob.take()).containsExactly(
                "-- welcome bob; /help lists the commands",
                "[#lobby] -- bob joined",
                "[#lobby] 2026-12-01T09:00:00Z alice: line 2",
                "[#lobby] 2026-12-01T09:00:00Z alice: line 3",
                "[#lobby] 2026-12-01T09:00:00Z alice: line 4",
                "[#lobby] alice: live");
    }

    @Test
    void historyPagesFurtherBackEachTimeUntilTheOldest() {
        Client alice = server.connect("alice");
        for (int i = 1; i <= 25; i++) {
            alice.line("m" + i);
        }
        Client bob = server.connect("bob");

        bob.line("/history 10");
        List<String> first = bob.take();
        assertThat(first).hasSize(11);
        assertThat(first.get(0)).endsWith("alice: m16");
        assertThat(first.get(10)).isEqualTo("-- history of #lobby: 10 messages; /history #lobby for earlier ones");

        bob.line("/history #lobby 10");
        assertThat(bob.take()).startsWith("[#lobby] 2026-12-01T09:00:00Z alice: m6").hasSize(11);

        bob.line("/history #lobby 10");
        List<String> last = bob.take();
        assertThat(last).hasSize(6).startsWith("[#lobby] 2026-12-01T09:00:00Z alice: m1");
        assertThat(last.get(5)).isEqualTo("-- history of #lobby: 5 messages, none earlier");

        bob.line("/history #lobby");
        assertThat(bob.take()).containsExactly("-- history of #lobby: none earlier");
    }

    @Test
    void idsOnPrefixesMessageLinesAndEchoesOnesOwnAndResumeReplaysWhatCameAfter() {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");
        bob.line("/ids on");
        assertThat(bob.take()).containsExactly("-- ids on");

        alice.line("one");
        String one = bob.take().get(0);
        assertThat(one).matches("@[0-9a-z]+ \\[#lobby\\] alice: one");
        String oneId = one.substring(1, one.indexOf(' '));
        bob.line("mine");
        assertThat(bob.take()).singleElement().asString().matches("@[0-9a-z]+ \\[#lobby\\] bob: mine");
        assertThat(alice.take()).containsExactly("[#lobby] bob: mine");
        alice.line("two");
        alice.line("/me three");
        bob.take();

        bob.line("/history #lobby after " + oneId);
        List<String> after = bob.take();
        assertThat(after).hasSize(4);
        assertThat(after.get(0)).matches("@[0-9a-z]+ \\[#lobby\\] 2026-12-01T09:00:00Z bob: mine");
        assertThat(after.get(2)).endsWith("[#lobby] 2026-12-01T09:00:00Z * alice three");
        assertThat(after.get(3)).isEqualTo("-- history of #lobby: 3 messages after " + oneId);

        Client back = server.accept();
        back.line("/nick bob2");
        back.line("/resume #lobby " + oneId);
        server.loop.advanceMillis(LineHarness.WINDOW);
        List<String> resumed = back.take();
        assertThat(resumed).startsWith("-- welcome bob2; /help lists the commands", "[#lobby] -- bob2 joined");
        assertThat(resumed.subList(2, resumed.size())).containsExactly(
                "[#lobby] 2026-12-01T09:00:00Z bob: mine",
                "[#lobby] 2026-12-01T09:00:00Z alice: two",
                "[#lobby] 2026-12-01T09:00:00Z * alice three",
                "-- resumed #lobby: 3 missed messages");
    }

    @Test
    void privateHistoryStartsWhenTheAskerTookItsNick() {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");
        alice.line("/msg bob secret");
        bob.line("/msg alice reply");
        bob.line("/history alice");
        List<String> bobs = bob.take();
        assertThat(bobs).contains("[pm] 2026-12-01T09:00:00Z alice: secret", "[pm -> alice] 2026-12-01T09:00:00Z reply");

        server.loop.advanceMillis(5_000);
        bob.line("/quit");
        Client mallory = server.connect("bob");
        mallory.line("/history alice");
        assertThat(mallory.take()).containsExactly("-- no history of alice");
    }

    @Test
    void historyOfARoomOneIsNotInIsRefused() {
        Client alice = server.connect("alice");
        alice.line("/join #secret");
        alice.line("hidden");
        Client bob = server.connect("bob");
        bob.line("/history #secret");
        assertThat(bob.take()).singleElement().asString().startsWith("! ").contains("#secret");
        bob.line("/history #lobby after zz!");
        assertThat(bob.take()).containsExactly("! invalid message id zz!");
    }

    @Test
    void withHistoryOffTheCommandsSaySo() {
        LineHarness off = new LineHarness(HistoryOptions.off(), null);
        Client alice = off.connect("alice");
        alice.line("hello");
        alice.line("/history");
        assertThat(alice.take()).containsExactly("! history is off on this server");
    }

    /**
     * A replay read from the store arrives after a live message said meanwhile, yet the joiner
     * gets the replay first: the store's read waits until the live line was said.
     */
    @Test
    void aReplayReadFromTheStoreStillComesBeforeLiveLinesSaidWhileItWasRead() throws Exception {
        long old = 1L << 40; // an id from long before this run
        StoredMessage kept = new StoredMessage(old, LineHarness.WALL_START_MILLIS - 3_600_000, "#lobby", "#lobby",
                "zed", "~chat@127.0.0.1", null, chat.server.core.MessageKind.TEXT, "from before the restart",
                java.util.Map.of());
        chat.server.history.ListHistoryStore store = new chat.server.history.ListHistoryStore(kept);
        CountDownLatch liveSaid = store.gate("#lobby");
        LineHarness restarted = new LineHarness(HistoryOptions.inMemory().withOnJoin(5), store);
        Client alice = restarted.connect("alice");
        alice.take();
        // alice's own join read the store; let it finish before the test proper
        liveSaid.countDown();
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> {
            restarted.loop.iterate();
            return !alice.take().isEmpty() || restarted.history.storeReads() >= 1;
        });

        CountDownLatch bobsRead = store.gate("#lobby");
        Client bob = restarted.accept();
        bob.line("/nick bob");
        restarted.loop.advanceMillis(LineHarness.WINDOW); // bob joins; its replay waits in the store
        alice.line("said while bob's replay was read");
        bobsRead.countDown();
        List<String> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> {
            restarted.loop.iterate();
            got.addAll(bob.take());
            return got.stream().anyMatch(l -> l.endsWith("said while bob's replay was read"));
        });
        assertThat(got).containsExactly(
                "-- welcome bob; /help lists the commands",
                "[#lobby] -- bob joined",
                "[#lobby] 2026-12-01T08:00:00Z zed: from before the restart",
                "[#lobby] alice: said while bob's replay was read");
    }

    /**
     * Two resumes at once, the first read from the store and the second from memory: each room's
     * join, replay and count come together, in the order asked, though the second was answered
     * first.
     */
    @Test
    void twoResumesComeInTheOrderAskedWhateverAnswersFirst() {
        StoredMessage kept = new StoredMessage(1L << 40, LineHarness.WALL_START_MILLIS - 3_600_000, "#old", "#old",
                "zed", "~chat@127.0.0.1", null, chat.server.core.MessageKind.TEXT, "from the store", java.util.Map.of());
        chat.server.history.ListHistoryStore store = new chat.server.history.ListHistoryStore(kept);
        CountDownLatch gate = store.gate("#old");
        LineHarness restarted = new LineHarness(HistoryOptions.inMemory().withOnJoin(0), store);
        Client alice = restarted.connect("alice");
        alice.line("/ids on");
        alice.line("one");
        alice.line("two");
        List<String> said = alice.take();
        String one = said.get(1).substring(1, said.get(1).indexOf(' '));

        Client bob = restarted.accept();
        bob.line("/nick bob");
        bob.line("/resume #old " + MessageIds.text(kept.id() - 1));
        bob.line("/resume #lobby " + one);
        restarted.loop.advanceMillis(LineHarness.WINDOW);
        gate.countDown();
        List<String> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> {
            restarted.loop.iterate();
            got.addAll(bob.take());
            return got.stream().anyMatch(l -> l.startsWith("-- resumed #lobby"));
        });
        assertThat(got).containsExactly(
                "-- welcome bob; /help lists the commands",
                "[#old] -- bob joined",
                "[#old] 2026-12-01T08:00:00Z zed: from the store",
                "-- resumed #old: 1 missed message",
                "[#lobby] -- bob joined",
                "-- now talking in #lobby",
                "[#lobby] 2026-12-01T09:00:00Z alice: two",
                "-- resumed #lobby: 1 missed message");
    }
}
