package chat.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.server.auth.LoginThrottle;
import chat.server.core.ChatEvent;
import chat.server.core.Identity;
import chat.server.core.MessageKind;
import chat.server.history.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Accounts with a store in memory and a loop this test runs: each answer is handed to the loop
 * from the hashing or store thread, and the test runs what the loop was handed until it comes.
 */
class AccountsTest {

    private static final String HERE = "127.0.0.1";

    /** The loop's task queue: filled by the accounts' threads, run by {@link #answerTo}. */
    private final ConcurrentLinkedQueue<Runnable> loop = new ConcurrentLinkedQueue<>();
    private final long[] now = {1_000_000};
    private final MemoryAccountStore store = new MemoryAccountStore();
    private final List<Accounts> opened = new ArrayList<>();
    private final LoginThrottle.Policy policy = new LoginThrottle.Policy(1, 1_000, 8_000, 4, 60_000, 100);

    private Accounts open(int maxKept) throws AccountStoreException {
        Accounts accounts = new Accounts(new AccountOptions(true, null, maxKept, false, policy), store, loop::add,
                () -> now[0]);
        opened.add(accounts);
        return accounts;
    }

    @AfterEach
    void close() {
        opened.forEach(Accounts::close);
    }

    private interface Request {
        void send(java.util.function.Consumer<Accounts.Answer> answer);
    }

    /** Sends a request and runs the loop's tasks until its answer is in. */
    private Accounts.Answer answerTo(Request request) {
        AtomicReference<Accounts.Answer> answer = new AtomicReference<>();
        request.send(answer::set);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Runnable task; (task = loop.poll()) != null; ) {
                task.run();
            }
            return answer.get() != null;
        });
        return answer.get();
    }

    @Test
    void registeringKeepsAHashAndMakesTheNickTheAccountsInAnyCase() throws Exception {
        Accounts accounts = open(10);
        Accounts.Answer answer = answerTo(a -> accounts.register("Alice", "correct horse", a));

        assertThat(answer.outcome()).isEqualTo(Accounts.Outcome.OK);
        assertThat(answer.account()).isEqualTo("Alice");
        assertThat(accounts.ownerOf("ALICE")).isEqualTo("Alice");
        assertThat(accounts.count()).isEqualTo(1);
        StoredAccount stored = store.accounts().get(0);
        assertThat(stored.passwordHash()).doesNotContain("correct horse");
        assertThat(chat.server.auth.PasswordHash.matches("correct horse", stored.passwordHash())).isTrue();

        assertThat(answerTo(a -> accounts.register("alice", "another one", a)).outcome()).isEqualTo(Accounts.Outcome.EXISTS);
        assertThat(answerTo(a -> accounts.register("bob", "short", a)).outcome()).isEqualTo(Accounts.Outcome.BAD_PASSWORD);
    }

    @Test
    void loggingInChecksThePasswordAndNamesTheAccountAsRegistered() throws Exception {
        Accounts accounts = open(10);
        answerTo(a -> accounts.register("Alice", "correct horse", a));

        Accounts.Answer right = answerTo(a -> accounts.logIn("alice", "correct horse", HERE, a));
        assertThat(right.outcome()).isEqualTo(Accounts.Outcome.OK);
        assertThat(right.account()).isEqualTo("Alice");
        assertThat(answerTo(a -> accounts.logIn("alice", "wrong horse", HERE, a)).outcome())
                .isEqualTo(Accounts.Outcome.WRONG_PASSWORD);
        assertThat(answerTo(a -> accounts.logIn("nobody", "correct horse", "127.0.0.2", a)).outcome())
                .isEqualTo(Accounts.Outcome.NO_ACCOUNT);
    }

    @Test
    void failedLoginsAreThrottledThenLockedAndTheRightPasswordWaitsToo() throws Exception {
        Accounts accounts = open(10);
        answerTo(a -> accounts.register("alice", "correct horse", a));

        assertThat(answerTo(a -> accounts.logIn("alice", "guess 1", HERE, a)).outcome())
                .isEqualTo(Accounts.Outcome.WRONG_PASSWORD); // the free failure
        assertThat(answerTo(a -> accounts.logIn("alice", "guess 2", HERE, a)).outcome())
                .isEqualTo(Accounts.Outcome.WRONG_PASSWORD);
        Accounts.Answer delayed = answerTo(a -> accounts.logIn("alice", "correct horse", HERE, a));
        assertThat(delayed.outcome()).isEqualTo(Accounts.Outcome.THROTTLED);
        assertThat(delayed.waitMillis()).isPositive();

        for (int i = 3; i <= 4; i++) {
            now[0] += 10_000; // past any delay, within the lock's memory of failures
            String guess = "guess " + i;
            assertThat(answerTo(a -> accounts.logIn("alice", guess, HERE, a)).outcome())
                    .isEqualTo(Accounts.Outcome.WRONG_PASSWORD);
        }
        now[0] += 8_000;
        Accounts.Answer locked = answerTo(a -> accounts.logIn("alice", "correct horse", "127.0.0.9", a));
        assertThat(locked.outcome()).isEqualTo(Accounts.Outcome.THROTTLED); // the account is locked, from anywhere
        assertThat(locked.locked()).isTrue();

        now[0] += 60_000;
        assertThat(answerTo(a -> accounts.logIn("alice", "correct horse", "127.0.0.9", a)).outcome())
                .isEqualTo(Accounts.Outcome.OK);
    }

    @Test
    void messagesKeptForAnAbsentOwnerAreBoundedDeliveredOnceAndSurviveAReload() throws Exception {
        Accounts accounts = open(2);
        answerTo(a -> accounts.register("alice", "correct horse", a));
        chat.server.core.ChatCore core = new chat.server.core.ChatCore("lobby");
        core.accounts(accounts);
        chat.server.core.User bob = core.connect(event -> { }, "bob",
                new Identity("~b", "", java.net.InetAddress.getLoopbackAddress()));

        core.sendPrivate(bob, "alice", "one", MessageKind.TEXT);
        core.sendPrivate(bob, "alice", "two", MessageKind.ACTION);
        assertThat(accounts.keepForLater("alice", new ChatEvent.PrivateMessage(bob, "alice", "three", MessageKind.TEXT)))
                .isFalse();
        await().until(() -> store.kept("alice").size() == 2);

        Accounts reloaded = open(2); // as after a restart: counts come from the store
        assertThat(reloaded.keepForLater("alice", new ChatEvent.PrivateMessage(bob, "alice", "three", MessageKind.TEXT)))
                .isFalse();

        List<List<StoredMessage>> deliveries = new ArrayList<>();
        reloaded.deliverKept("alice", deliveries::add);
        await().until(() -> {
            for (Runnable task; (task = loop.poll()) != null; ) {
                task.run();
            }
            return !deliveries.isEmpty() && store.kept("alice").isEmpty();
        });
        assertThat(deliveries.get(0)).extracting(StoredMessage::text).containsExactly("one", "two");
        assertThat(deliveries.get(0)).extracting(StoredMessage::from).containsOnly("bob");
        reloaded.deliverKept("alice", deliveries::add); // nothing left: nothing delivered
        assertThat(reloaded.keepForLater("alice", new ChatEvent.PrivateMessage(bob, "alice", "later", MessageKind.TEXT)))
                .isTrue();
        assertThat(deliveries).hasSize(1);
    }

    @Test
    void aNewPasswordReplacesTheOldAndUnregisteringFreesTheNick() throws Exception {
        Accounts accounts = open(10);
        answerTo(a -> accounts.register("alice", "correct horse", a));

        assertThat(answerTo(a -> accounts.changePassword("alice", "wrong horse", "battery staple", HERE, a)).outcome())
                .isEqualTo(Accounts.Outcome.WRONG_PASSWORD);
        assertThat(answerTo(a -> accounts.changePassword("alice", "correct horse", "battery staple", HERE, a)).outcome())
                .isEqualTo(Accounts.Outcome.OK);
        now[0] += 60_000;
        assertThat(answerTo(a -> accounts.logIn("alice", "correct horse", HERE, a)).outcome())
                .isEqualTo(Accounts.Outcome.WRONG_PASSWORD);
        now[0] += 60_000;
        assertThat(answerTo(a -> accounts.unregister("alice", "battery staple", HERE, a)).outcome())
                .isEqualTo(Accounts.Outcome.OK);
        assertThat(accounts.ownerOf("alice")).isNull();
        await().until(() -> store.accounts().isEmpty());
    }

    private static chat.server.core.RegisteredRoom room(String name, String founder, List<String> operators) {
        return new chat.server.core.RegisteredRoom(name, founder, 1, operators, "", "", 0, "nt", null, 0,
                List.of(), List.of(), List.of());
    }

    @Test
    void registeredRoomsAreKeptThroughTheStoreBoundedPerFounderAndLoadedAgain() throws Exception {
        Accounts accounts = new Accounts(new AccountOptions(true, null, 10, false, policy, 2, java.util.Set.of()),
                store, loop::add, () -> now[0]);
        opened.add(accounts);
        RegisteredRooms rooms = accounts.rooms();
        assertThat(rooms.register(room("#a", "alice", List.of()))).isTrue();
        assertThat(rooms.register(room("#b", "Alice", List.of()))).isTrue();
        assertThat(rooms.register(room("#c", "ALICE", List.of()))).isFalse(); // two per founder here
        rooms.save(room("#A", "alice", List.of("bob")));
        rooms.save(room("#nobody", "bob", List.of())); // not registered: not kept
        await().until(() -> store.rooms().size() == 2 && store.rooms().contains(room("#A", "alice", List.of("bob"))));

        Accounts again = new Accounts(new AccountOptions(true, null, 10, false, policy), store, loop::add, () -> now[0]);
        opened.add(again);
        assertThat(again.rooms().count()).isEqualTo(2);
        assertThat(again.rooms().find("a").operators()).containsExactly("bob");
        assertThat(again.rooms().find("#nobody")).isNull();
    }

    @Test
    void unregisteringDropsTheRoomsItFoundedAndTakesItOffTheOthersOperators() throws Exception {
        Accounts accounts = open(10);
        answerTo(a -> accounts.register("bob", "battery staple", a));
        accounts.rooms().register(room("#bobs", "bob", List.of()));
        accounts.rooms().register(room("#alices", "alice", List.of("carol", "Bob")));

        Accounts.Answer answer = answerTo(a -> accounts.unregister("bob", "battery staple", HERE, a));
        assertThat(answer.roomsDropped()).containsExactly("#bobs");
        assertThat(accounts.rooms().find("#bobs")).isNull();
        assertThat(accounts.rooms().find("#alices").operators()).containsExactly("carol");
        await().until(() -> store.rooms().equals(List.of(room("#alices", "alice", List.of("carol")))));
    }

    @Test
    void operatorAccountsAreTheOnesGivenInAnyCase() throws Exception {
        Accounts accounts = new Accounts(new AccountOptions(true, null, 10, false, policy, 10, java.util.Set.of("Root")),
                store, loop::add, () -> now[0]);
        opened.add(accounts);
        assertThat(accounts.isServerOperator("root")).isTrue();
        assertThat(accounts.isServerOperator("alice")).isFalse();
    }

    @Test
    void aReloadReplacesTheOperatorAccounts() throws Exception {
        Accounts accounts = new Accounts(new AccountOptions(true, null, 10, false, policy, 10, java.util.Set.of("Root")),
                store, loop::add, () -> now[0]);
        opened.add(accounts);
        accounts.replaceServerOperators(java.util.Set.of("Alice"));
        assertThat(accounts.isServerOperator("alice")).isTrue();
        assertThat(accounts.isServerOperator("root")).as("no longer listed").isFalse();
    }

    /** A store whose reads of every account wait for a gate the test opens, so a change lands between read and apply. */
    private static final class GatedStore implements AccountStore {
        private final MemoryAccountStore inner = new MemoryAccountStore();
        volatile java.util.concurrent.CountDownLatch gate;

        @Override
        public java.util.List<StoredAccount> accounts() {
            java.util.concurrent.CountDownLatch waiting = gate;
            if (waiting != null) {
                try {
                    waiting.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return inner.accounts();
        }

        @Override
        public java.util.Map<String, Integer> keptCounts() {
            return inner.keptCounts();
        }

        @Override
        public void save(StoredAccount account) {
            inner.save(account);
        }

        @Override
        public void delete(String key) {
            inner.delete(key);
        }

        @Override
        public void keep(String key, chat.server.history.StoredMessage message) {
            inner.keep(key, message);
        }

        @Override
        public java.util.List<chat.server.history.StoredMessage> kept(String key) {
            return inner.kept(key);
        }

        @Override
        public void forgetKept(String key, long lastId) {
            inner.forgetKept(key, lastId);
        }

        @Override
        public java.util.List<chat.server.core.RegisteredRoom> rooms() {
            return inner.rooms();
        }

        @Override
        public void saveRoom(chat.server.core.RegisteredRoom room) {
            inner.saveRoom(room);
        }

        @Override
        public void dropRoom(String key) {
            inner.dropRoom(key);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aReadOfTheSharedStoreAskedBeforeAChangeHereDoesNotUndoIt() throws Exception {
        GatedStore gated = new GatedStore();
        Accounts accounts = new Accounts(new AccountOptions(true, null, 10, false, policy), gated, loop::add, () -> now[0]);
        opened.add(accounts);
        assertThat(answerTo(a -> accounts.register("alice", "correct horse", a)).outcome()).isEqualTo(Accounts.Outcome.OK);
        java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        accounts.changes(new Accounts.Changes() {
            @Override
            public void account(String key) {
                told.add(key);
            }

            @Override
            public void room(String key) {
            }
        });

        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        gated.gate = gate;
        accounts.reloadAll(); // its read waits on the store thread, before the unregistration's delete
        assertThat(answerTo(a -> accounts.unregister("alice", "correct horse", HERE, a)).outcome())
                .isEqualTo(Accounts.Outcome.OK);
        gated.gate = null;
        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Runnable task; (task = loop.poll()) != null; ) {
                task.run();
            }
            return told.contains("alice") && gated.inner.accounts().isEmpty();
        });
        for (Runnable task; (task = loop.poll()) != null; ) {
            task.run();
        }
        assertThat(accounts.ownerOf("alice")).as("the read from before the removal does not bring it back").isNull();
    }

    @Test
    void aReloadAppliesWhatAnotherServerStored() throws Exception {
        Accounts accounts = open(10);
        store.create(new StoredAccount("carol", chat.server.auth.PasswordHash.hash("correct horse"), 5));
        assertThat(accounts.ownerOf("carol")).isNull();
        accounts.reloadAccount("carol");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Runnable task; (task = loop.poll()) != null; ) {
                task.run();
            }
            return accounts.ownerOf("carol") != null;
        });
        assertThat(answerTo(a -> accounts.logIn("carol", "correct horse", HERE, a)).outcome())
                .isEqualTo(Accounts.Outcome.OK);
        store.delete("carol");
        accounts.reloadAll();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Runnable task; (task = loop.poll()) != null; ) {
                task.run();
            }
            return accounts.ownerOf("carol") == null;
        });
    }
}
