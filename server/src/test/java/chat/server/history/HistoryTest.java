package chat.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.core.MessageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What memory answers, what it asks the store for, and how the two are joined. */
class HistoryTest {

    private static final long T0 = 1_796_115_600_000L;
    private long now = T0;
    /** The loop's task queue: answers read off the loop wait here until the test runs them. */
    private final ConcurrentLinkedQueue<Runnable> loop = new ConcurrentLinkedQueue<>();

    @Test
    void inMemoryOnlyAQueryIsAnsweredAtOnceAndARoomKeepsItsLastSizeMessages() {
        History history = new History(HistoryOptions.inMemory().withSize(5), loop::add, () -> now);
        for (int i = 1; i <= 8; i++) {
            history.said(message(i, "#a"));
        }
        List<StoredMessage> got = new ArrayList<>();
        history.read(HistoryQuery.latest("#a", 100), got::addAll);
        assertThat(texts(got)).containsExactly("m4", "m5", "m6", "m7", "m8");
        got.clear();
        history.read(HistoryQuery.before("#a", 7, 2), got::addAll);
        assertThat(texts(got)).containsExactly("m5", "m6");
        got.clear();
        history.read(HistoryQuery.after("#a", 4, 2), got::addAll);
        assertThat(texts(got)).containsExactly("m5", "m6");
        assertThat(history.cachedMessages()).isEqualTo(5);
    }

    @Test
    void messagesOlderThanTheRetentionAreNotGiven() {
        History history = new History(new HistoryOptions(100, TimeUnit.DAYS.toMillis(1), 20, 0, 1000, null, 1000),
                loop::add, () -> now);
        history.said(message(1, "#a"));
        now += TimeUnit.HOURS.toMillis(25);
        history.said(message(2, "#a"));
        List<StoredMessage> got = new ArrayList<>();
        history.read(HistoryQuery.latest("#a", 10), got::addAll);
        assertThat(texts(got)).containsExactly("m2");
    }

    @Test
    void theLeastRecentlyUsedRoomsAreDroppedPastTheCacheBound() {
        ListHistoryStore store = new ListHistoryStore();
        History history = new History(new HistoryOptions(100, TimeUnit.DAYS.toMillis(30), 20, 0, 10, null, 1000), store,
                null, loop::add, () -> now);
        for (int i = 1; i <= 6; i++) {
            history.said(message(i, "#old"));
        }
        for (int i = 7; i <= 12; i++) {
            history.said(message(i, "#new"));
        }
        assertThat(history.cachedMessages()).isEqualTo(6);
        List<StoredMessage> got = new ArrayList<>();
        history.read(HistoryQuery.latest("#new", 3), got::addAll);
        assertThat(texts(got)).as("#new is in memory: answered at once").containsExactly("m10", "m11", "m12");
        assertThat(store.reads).hasValue(0);
    }

    /**
     * A room whose memory starts after a restart: its last messages come from the store, joined
     * to those said since, and once the store said there is no more, memory answers alone.
     */
    @Test
    void afterARestartTheStoreAnswersWhatMemoryLacksJoinedToWhatMemoryHas() throws Exception {
        ListHistoryStore store = new ListHistoryStore();
        store.kept.add(stored(1, "#a"));
        store.kept.add(stored(2, "#a"));
        History history = new History(HistoryOptions.inMemory(), store, null, loop::add, () -> now);
        history.said(message(3, "#a"));

        List<StoredMessage> got = new CopyOnWriteArrayList<>();
        history.read(HistoryQuery.latest("#a", 10), got::addAll);
        runLoopUntil(() -> !got.isEmpty());
        assertThat(texts(got)).containsExactly("m1", "m2", "m3");
        assertThat(store.reads).hasValue(1);

        List<StoredMessage> again = new ArrayList<>();
        history.read(HistoryQuery.after("#a", 1, 10), again::addAll);
        assertThat(texts(again)).as("m3's run starts after m2, so the store is asked again").isEmpty();
        runLoopUntil(() -> !again.isEmpty());
        assertThat(texts(again)).containsExactly("m2", "m3");
    }

    @Test
    void aRoomFirstReadFromTheStoreIsThenAnsweredFromMemory() throws Exception {
        ListHistoryStore store = new ListHistoryStore();
        store.kept.add(stored(1, "#quiet"));
        History history = new History(HistoryOptions.inMemory(), store, null, loop::add, () -> now);
        List<StoredMessage> got = new CopyOnWriteArrayList<>();
        history.read(HistoryQuery.latest("#quiet", 20), got::addAll);
        runLoopUntil(() -> !got.isEmpty());
        history.said(message(2, "#quiet"));

        List<StoredMessage> second = new ArrayList<>();
        history.read(HistoryQuery.latest("#quiet", 20), second::addAll);
        assertThat(texts(second)).as("memory now holds all #quiet has").containsExactly("m1", "m2");
        assertThat(store.reads).hasValue(1);
    }

    /** A room nobody ever spoke in costs one store read, not one per joiner, until someone speaks. */
    @Test
    void aTargetTheStoreHasNothingOfIsReadOnceUntilAMessageIsKept() throws Exception {
        ListHistoryStore store = new ListHistoryStore();
        History history = new History(HistoryOptions.inMemory(), store, null, loop::add, () -> now);
        boolean[] answered = {false};
        history.read(HistoryQuery.latest("#new", 20), m -> answered[0] = true);
        runLoopUntil(() -> answered[0]);
        assertThat(store.reads).hasValue(1);

        List<StoredMessage> second = new ArrayList<>(List.of(stored(99, "#sentinel")));
        history.read(HistoryQuery.latest("#new", 20), m -> {
            second.clear();
            second.addAll(m);
        });
        assertThat(second).as("answered at once, from memory").isEmpty();
        assertThat(store.reads).hasValue(1);

        history.said(message(1, "#new"));
        List<StoredMessage> third = new ArrayList<>();
        history.read(HistoryQuery.latest("#new", 20), third::addAll);
        assertThat(texts(third)).containsExactly("m1");
        assertThat(store.reads).hasValue(1);
    }

    /**
     * Joiners of a room entering while its first store read is under way wait for that read
     * instead of each making one; a query for more than it asked makes its own.
     */
    @Test
    void queriesForTheSameFirstReadShareItWhileItIsUnderWay() throws Exception {
        ListHistoryStore store = new ListHistoryStore();
        for (int i = 1; i <= 5; i++) {
            store.kept.add(stored(i, "#busy"));
        }
        History history = new History(HistoryOptions.inMemory(), store, null, loop::add, () -> now);
        int[] limits = {3, 2, 3, 5};
        java.util.concurrent.atomic.AtomicReferenceArray<List<String>> answers =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(limits.length);
        for (int i = 0; i < limits.length; i++) {
            int slot = i;
            history.read(HistoryQuery.latest("#busy", limits[i]), m -> answers.set(slot, texts(m)));
        }
        assertThat(answers.get(1)).as("nothing answered before the loop runs").isNull();

        runLoopUntil(() -> java.util.stream.IntStream.range(0, limits.length).allMatch(i -> answers.get(i) != null));

        assertThat(store.reads).as("one read for the first three, one for the query asking more").hasValue(2);
        assertThat(answers.get(0)).containsExactly("m3", "m4", "m5");
        assertThat(answers.get(1)).containsExactly("m4", "m5");
        assertThat(answers.get(2)).containsExactly("m3", "m4", "m5");
        assertThat(answers.get(3)).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void targetsKnownToHaveNothingAreBoundedByTheCacheSize() throws Exception {
        ListHistoryStore store = new ListHistoryStore();
        History history = new History(new HistoryOptions(100, TimeUnit.DAYS.toMillis(30), 20, 0, 2, null, 1000), store,
                null, loop::add, () -> now);
        for (String room : List.of("#a", "#b", "#c")) {
            boolean[] answered = {false};
            history.read(HistoryQuery.latest(room, 20), m -> answered[0] = true);
            runLoopUntil(() -> answered[0]);
        }
        assertThat(store.reads).hasValue(3);
        history.read(HistoryQuery.latest("#c", 20), m -> { });
        history.read(HistoryQuery.latest("#b", 20), m -> { });
        assertThat(store.reads).as("the two most recent are remembered").hasValue(3);
        boolean[] answered = {false};
        history.read(HistoryQuery.latest("#a", 20), m -> answered[0] = true);
        runLoopUntil(() -> answered[0]);
        assertThat(store.reads).as("the eldest was forgotten: read again").hasValue(4);
    }

    /**
     * The store read that found nothing raced a message: kept, committed and dropped from memory
     * while the answer was on its way. That answer must not mark the room empty.
     */
    @Test
    void anEmptyAnswerThatRacedADroppedRunIsNotRemembered() throws Exception {
        ListHistoryStore store = new ListHistoryStore();
        History history = new History(new HistoryOptions(100, TimeUnit.DAYS.toMillis(30), 20, 0, 2, null, 1000), store,
                null, loop::add, () -> now);
        boolean[] answered = {false};
        history.read(HistoryQuery.latest("#x", 20), m -> answered[0] = true);
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(store.reads).hasValue(1));
        org.awaitility.Awaitility.await().until(() -> !loop.isEmpty()); // the empty answer waits for the loop
        history.said(message(1, "#x"));
        store.kept.add(stored(1, "#x")); // committed (no writer here: every message counts as committed)
        history.said(message(2, "#y"));
        history.said(message(3, "#y")); // over the bound of 2: #x's run, the eldest, is dropped
        runLoopUntil(() -> answered[0]);

        List<StoredMessage> got = new CopyOnWriteArrayList<>();
        history.read(HistoryQuery.latest("#x", 20), got::addAll);
        runLoopUntil(() -> !got.isEmpty());
        assertThat(texts(got)).containsExactly("m1");
        assertThat(store.reads).hasValue(2);
    }

    @Test
    void aFailingStoreGivesWhatMemoryHas() throws Exception {
        ListHistoryStore store = new ListHistoryStore();
        store.failing = true;
        History history = new History(HistoryOptions.inMemory(), store, null, loop::add, () -> now);
        history.said(message(5, "#a"));
        List<StoredMessage> got = new CopyOnWriteArrayList<>();
        boolean[] answered = {false};
        history.read(HistoryQuery.latest("#a", 10), m -> {
            got.addAll(m);
            answered[0] = true;
        });
        runLoopUntil(() -> answered[0]);
        assertThat(texts(got)).containsExactly("m5");
    }

    /**
     * Memory never lets go of a message the writer has not committed, so a store read cannot
     * miss it: while the store's commit is held back, a room keeps more than its 200; once it
     * commits, the next message trims the room back.
     */
    @Test
    void messagesNotYetCommittedStayInMemoryBeyondTheRoomsBound() throws Exception {
        java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
        ListHistoryStore store = new ListHistoryStore() {
            @Override
            public void append(List<StoredMessage> batch) {
                try {
                    commit.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.append(batch);
            }
        };
        HistoryWriter writer = new HistoryWriter(store, new HistoryWriter.Options(10_000, 0, 1000,
                TimeUnit.DAYS.toMillis(30), 60_000), () -> now);
        try {
            History history = new History(HistoryOptions.inMemory(), store, writer, loop::add, () -> now);
            int count = HistoryOptions.CACHED_PER_TARGET + 50;
            for (int i = 1; i <= count; i++) {
                history.said(message(i, "#busy"));
            }
            assertThat(history.cachedMessages()).isEqualTo(count);

            commit.countDown();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> writer.committedId() == count);
            history.said(message(count + 1, "#busy"));
            assertThat(history.cachedMessages()).isEqualTo(HistoryOptions.CACHED_PER_TARGET);
        } finally {
            writer.close();
        }
    }

    @Test
    void historyOffKeepsNothing() {
        History off = History.off();
        off.said(message(1, "#a"));
        List<StoredMessage> got = new ArrayList<>();
        off.read(HistoryQuery.latest("#a", 10), got::addAll);
        assertThat(got).isEmpty();
        assertThat(off.cachedMessages()).isZero();
    }

    private void runLoopUntil(java.util.function.BooleanSupplier done) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInSameThread().until(() -> {
            Runnable task;
            while ((task = loop.poll()) != null) {
                task.run();
            }
            return done.getAsBoolean();
        });
    }

    @Test
    void aClusterNodeSavesOnlyTheMessagesItsOwnUsersSaid() throws Exception {
        ListHistoryStore store = new ListHistoryStore();
        HistoryWriter writer = new HistoryWriter(store, new HistoryWriter.Options(1000, 1, 100, TimeUnit.DAYS.toMillis(30),
                TimeUnit.DAYS.toMillis(1)), () -> now);
        try {
            History history = new History(HistoryOptions.inMemory(), store, writer, loop::add, () -> now);
            history.savesOnly(id -> id % 2 == 0); // this node's ids: the even ones
            for (int i = 1; i <= 6; i++) {
                history.said(message(i, "#a"));
            }
            org.awaitility.Awaitility.await().until(() -> writer.committedId() == 6);
            assertThat(store.kept).extracting(StoredMessage::id).containsExactly(2L, 4L, 6L);
            List<StoredMessage> got = new ArrayList<>();
            history.read(HistoryQuery.latest("#a", 10), got::addAll);
            runLoopUntil(() -> !got.isEmpty());
            assertThat(texts(got)).as("all six in memory").containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
        } finally {
            writer.close();
        }
    }

    private chat.server.core.ChatEvent.RoomMessage message(long id, String room) {
        return new chat.server.core.ChatEvent.RoomMessage(room, user(), "m" + id, MessageKind.TEXT, Map.of(),
                chat.server.core.Audience.EVERYONE, id, now);
    }

    private StoredMessage stored(long id, String room) {
        return new StoredMessage(id, now, room, room, "u", "~u@127.0.0.1", null, MessageKind.TEXT, "m" + id, Map.of());
    }

    private chat.server.core.User user;

    private chat.server.core.User user() {
        if (user == null) {
            chat.server.core.ChatCore core = new chat.server.core.ChatCore("lobby");
            user = core.connect(event -> { }, new chat.server.core.Identity("~u", "", java.net.InetAddress.getLoopbackAddress()));
        }
        return user;
    }

    private static List<String> texts(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::text).toList();
    }
}
