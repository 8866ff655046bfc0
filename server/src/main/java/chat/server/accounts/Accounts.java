package chat.server.accounts;

import chat.server.auth.LoginThrottle;
import chat.server.auth.PasswordHash;
import chat.server.core.AccountDirectory;
import chat.server.core.ChatEvent;
import chat.server.core.Names;
import chat.server.history.History;
import chat.server.history.StoredMessage;
import chat.server.net.BackgroundThreads;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts as the loop sees them: which nicks are registered (in memory, loaded at start, as
 * ergo keeps them), registering, logging in, changing and removing, and the private messages
 * kept for owners who are away. Dialect-neutral: each dialect words the {@link Answer}s and
 * calls {@link chat.server.core.ChatCore#logIn} on success.
 *
 * <p>Nothing here blocks the loop. A password is hashed or checked on one hashing thread with a
 * bounded queue (Argon2id costs tens of milliseconds and megabytes); the store is written and
 * read on one store thread; each answer comes back through the loop's task queue. Failed logins
 * are throttled per address and per account ({@link LoginThrottle}).
 *
 * <p>Loop thread only, but for the two threads it owns.
 */
public final class Accounts implements AccountDirectory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);

    /** Password checks waiting at most; past it, "busy" at once: a flood of logins cannot grow memory. */
    static final int MAX_HASHES_QUEUED = 32;
    /** Store operations waiting at most; past it, a kept message is refused rather than memory grown. */
    static final int MAX_STORE_QUEUED = 10_000;

    /** What became of a request. */
    public enum Outcome {
        OK,
        /** No account of that name. */
        NO_ACCOUNT,
        WRONG_PASSWORD,
        /** Too many failures from this address or on this account: {@link Answer#waitMillis} to wait. */
        THROTTLED,
        /** The hashing queue is full; try again in a moment. */
        BUSY,
        /** The nick is registered already. */
        EXISTS,
        /** Shorter than {@link AccountOptions#MIN_PASSWORD_LENGTH} or longer than the maximum. */
        BAD_PASSWORD,
        /** The store could not save it (logged); nothing changed. */
        STORE_FAILED
    }

    /**
     * @param account the account's name as registered, on OK
     * @param waitMillis how long until another attempt is allowed, on THROTTLED
     * @param locked on THROTTLED: the lock after many failures, not just the growing delay
     * @param roomsDropped on OK of an unregistration: the registered rooms it founded, dropped with it
     */
    public record Answer(Outcome outcome, String account, long waitMillis, boolean locked, List<String> roomsDropped) {
        public Answer {
            roomsDropped = List.copyOf(roomsDropped);
        }

        Answer(Outcome outcome, String account, long waitMillis, boolean locked) {
            this(outcome, account, waitMillis, locked, List.of());
        }

        static Answer of(Outcome outcome) {
            return new Answer(outcome, null, 0, false);
        }

        public boolean ok() {
            return outcome == Outcome.OK;
        }

        /** Why a request about account {@code name} was refused, in words both dialects use. */
        public String reason(String name) {
            return switch (outcome) {
                case NO_ACCOUNT -> "no account " + name;
                case WRONG_PASSWORD -> "wrong password for " + name;
                case THROTTLED -> "too many failed logins: try again in " + Math.max(1, (waitMillis + 999) / 1000)
                        + " s" + (locked ? " (locked)" : "");
                case BUSY -> "the server is busy checking passwords; try again in a moment";
                case EXISTS -> name + " is registered already";
                case BAD_PASSWORD -> "a password is " + AccountOptions.MIN_PASSWORD_LENGTH + " to "
                        + AccountOptions.MAX_PASSWORD_LENGTH + " characters";
                case STORE_FAILED -> "the account could not be saved; try again later";
                case OK -> "ok";
            };
        }
    }

    /** One account on the loop: its hash and how many messages wait for it. */
    private static final class Account {
        final String name;
        String hash;
        final long created;
        int kept;

        Account(String name, String hash, long created) {
            this.name = name;
            this.hash = hash;
            this.created = created;
        }
    }

    private final AccountOptions options;
    private final AccountStore store;
    private final Executor loop;
    private final LongSupplier clock;
    private final Map<String, Account> byKey = new HashMap<>();
    /** Keys being registered (hashing, saving): a second registration of one is refused. */
    private final Set<String> registering = new HashSet<>();
    private final LoginThrottle throttle;
    private final ThreadPoolExecutor hashing;
    private final ThreadPoolExecutor storing;
    /** The registered rooms, which belong to accounts. */
    private final RegisteredRooms rooms;
    /** Keys of the accounts whose login makes a server operator. */
    private final Set<String> operatorKeys = new HashSet<>();
    /** Told of each change once it is in the store: other servers sharing it read it again. */
    private Changes changes = Changes.NONE;
    /**
     * Counts this server's own changes, and when each account last changed here, by key: a
     * read of the store that was asked for before a change here must not undo it when it lands
     * (the read may have come before the change's write).
     */
    private long changeCount;
    private final Map<String, Long> changedHereAt = new HashMap<>();

    /** Notes a change made here to account {@code key}. */
    private void changedHere(String key) {
        changedHereAt.put(key, ++changeCount);
    }

    /** Whether account {@code key} changed here after a read asked for at {@code readAt}, or is being registered. */
    private boolean newerHere(String key, long readAt) {
        return changedHereAt.getOrDefault(key, 0L) > readAt || registering.contains(key);
    }

    /**
     * What other servers sharing the store (a cluster's) must read again, by key, told on the
     * loop once the change is stored.
     */
    public interface Changes {
        Changes NONE = new Changes() {
            @Override
            public void account(String accountKey) {
            }

            @Override
            public void room(String roomKey) {
            }
        };

        void account(String accountKey);

        void room(String roomKey);
    }

    /**
     * Loads every account from {@code store}; blocks on the disk, so call it before the loop runs.
     *
     * @param loop where answers are handed back: the event loop's task queue
     */
    public Accounts(AccountOptions options, AccountStore store, Executor loop, LongSupplier clock)
            throws AccountStoreException {
        this(options, store, loop, clock, true);
    }

    /**
     * Accounts on a store that cannot be read now (a cluster's Redis, down at start): empty until
     * {@link #reloadAll}, which the cluster calls when its link is up.
     */
    public static Accounts loadedLater(AccountOptions options, AccountStore store, Executor loop, LongSupplier clock) {
        try {
            return new Accounts(options, store, loop, clock, false);
        } catch (AccountStoreException cannot) {
            throw new IllegalStateException("nothing was read", cannot);
        }
    }

    private Accounts(AccountOptions options, AccountStore store, Executor loop, LongSupplier clock, boolean load)
            throws AccountStoreException {
        this.options = options;
        this.store = store;
        this.loop = loop;
        this.clock = clock;
        this.throttle = new LoginThrottle(options.throttle(), clock);
        if (load) {
            for (StoredAccount stored : store.accounts()) {
                byKey.put(Names.key(stored.name()), new Account(stored.name(), stored.passwordHash(), stored.createdMillis()));
            }
            store.keptCounts().forEach((key, count) -> {
                Account account = byKey.get(key);
                if (account != null) {
                    account.kept = count;
                }
            });
        }
        this.hashing = pool("chat-password-hash", MAX_HASHES_QUEUED);
        this.storing = pool("chat-accounts-store", MAX_STORE_QUEUED);
        this.rooms = new RegisteredRooms(load ? store.rooms() : List.of(), options.maxRoomsPerFounder(), store,
                this::onStore);
        rooms.loop(loop);
        replaceServerOperators(options.operatorAccounts());
    }

    /**
     * The accounts whose login makes a server operator ({@code --oper-account}); a configuration
     * reload replaces them. Users logged in already keep what their login gave them until they
     * log in or out again. On the loop.
     */
    public void changes(Changes changes) {
        this.changes = changes;
        rooms.changes(changes::room);
    }

    /**
     * Reads account {@code accountKey} again from the store, another server having changed it
     * (registered, new password, unregistered, a message kept or delivered), and applies it here.
     */
    public void reloadAccount(String accountKey) {
        long readAt = changeCount;
        onStore("reading account " + accountKey + " again", () -> {
            StoredAccount stored = store.account(accountKey);
            int kept = stored == null ? 0 : store.keptCount(accountKey);
            loop.execute(() -> {
                if (!newerHere(accountKey, readAt)) {
                    apply(accountKey, stored, kept);
                }
            });
        });
    }

    /** Reads every account and registered room again (after the link to the other servers was cut). */
    public void reloadAll() {
        long readAt = changeCount;
        long roomsReadAt = rooms.changeCount();
        onStore("reading the accounts again", () -> {
            List<StoredAccount> all = store.accounts();
            Map<String, Integer> kept = store.keptCounts();
            List<chat.server.core.RegisteredRoom> registered = store.rooms();
            loop.execute(() -> {
                Set<String> gone = new HashSet<>(byKey.keySet());
                for (StoredAccount stored : all) {
                    String key = Names.key(stored.name());
                    gone.remove(key);
                    if (!newerHere(key, readAt)) {
                        apply(key, stored, kept.getOrDefault(key, 0));
                    }
                }
                for (String key : gone) {
                    if (!newerHere(key, readAt)) {
                        apply(key, null, 0);
                    }
                }
                rooms.replaceAll(registered, roomsReadAt);
            });
        });
    }

    private void apply(String key, StoredAccount stored, int kept) {
        if (stored == null) {
            byKey.remove(key);
            return;
        }
        Account account = byKey.get(key);
        if (account == null || account.created != stored.createdMillis()) {
            account = new Account(stored.name(), stored.passwordHash(), stored.createdMillis());
            byKey.put(key, account);
        }
        account.hash = stored.passwordHash();
        account.kept = kept;
    }

    /** Runs {@code work} on the store thread, then tells {@link #changes} of {@code key} on the loop. */
    private boolean onStoreThenTell(String doing, String key, StoreWork work) {
        return onStore(doing, () -> {
            work.run();
            loop.execute(() -> changes.account(key));
        });
    }

    public void replaceServerOperators(Set<String> accountNames) {
        operatorKeys.clear();
        for (String operator : accountNames) {
            operatorKeys.add(Names.key(operator));
            if (!byKey.containsKey(Names.key(operator))) {
                // Whoever registers it first will be a server operator: say so while it is still free.
                log.warn("--oper-account {}: no such account yet; register it before anyone else does", operator);
            }
        }
    }

    private static ThreadPoolExecutor pool(String name, int queued) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued), BackgroundThreads.named(name));
    }

    /** How many accounts are registered. */
    public int count() {
        return byKey.size();
    }

    public boolean requireTls() {
        return options.requireTls();
    }

    /** The registered rooms: the core's {@link chat.server.core.RoomRegistry}. */
    public RegisteredRooms rooms() {
        return rooms;
    }

    // ---- the core's view ----

    @Override
    public String ownerOf(String nick) {
        Account account = byKey.get(Names.key(nick));
        return account == null ? null : account.name;
    }

    @Override
    public boolean keepForLater(String accountName, ChatEvent.PrivateMessage message) {
        Account account = byKey.get(Names.key(accountName));
        if (account == null || account.kept >= options.maxKept()) {
            return false;
        }
        String key = Names.key(accountName);
        StoredMessage stored = History.stored(message);
        if (!onStoreThenTell("keeping a message for " + account.name, key, () -> store.keep(key, stored))) {
            return false;
        }
        account.kept++;
        changedHere(key);
        return true;
    }

    @Override
    public long registeredMillis(String accountName) {
        Account account = byKey.get(Names.key(accountName));
        return account == null ? -1 : account.created;
    }

    @Override
    public boolean isServerOperator(String accountName) {
        return operatorKeys.contains(Names.key(accountName));
    }

    // ---- requests ----

    /** Registers {@code nick} with {@code password}; on OK the caller logs the user in to it. */
    public void register(String nick, String password, Consumer<Answer> answer) {
        String key = Names.key(nick);
        if (byKey.containsKey(key) || registering.contains(key)) {
            answer.accept(Answer.of(Outcome.EXISTS));
            return;
        }
        if (!acceptable(password)) {
            answer.accept(Answer.of(Outcome.BAD_PASSWORD));
            return;
        }
        registering.add(key);
        long created = clock.getAsLong();
        boolean queued = onHashing(() -> {
            StoredAccount account = new StoredAccount(nick, PasswordHash.hash(password), created);
            try {
                if (!store.create(account)) { // another server registered it a moment before
                    loop.execute(() -> {
                        registering.remove(key);
                        answer.accept(Answer.of(Outcome.EXISTS));
                    });
                    reloadAccount(key);
                    return;
                }
            } catch (AccountStoreException e) {
                log.error("registering {}: {}", nick, e.getMessage());
                loop.execute(() -> {
                    registering.remove(key);
                    answer.accept(Answer.of(Outcome.STORE_FAILED));
                });
                return;
            }
            loop.execute(() -> {
                registering.remove(key);
                byKey.put(key, new Account(nick, account.passwordHash(), created));
                changedHere(key);
                changes.account(key);
                log.info("account {} registered", nick);
                answer.accept(new Answer(Outcome.OK, nick, 0, false));
            });
        });
        if (!queued) {
            registering.remove(key);
            answer.accept(Answer.of(Outcome.BUSY));
        }
    }

    /**
     * Checks {@code password} for account {@code name} from {@code address} (an IP address's
     * text), throttled; on OK the caller logs the user in to {@link Answer#account}.
     */
    public void logIn(String name, String password, String address, Consumer<Answer> answer) {
        verify(name, password, address, account -> answer.accept(new Answer(Outcome.OK, account.name, 0, false)), answer);
    }

    /** Changes the password of {@code accountName} from {@code old} to {@code fresh}. */
    public void changePassword(String accountName, String old, String fresh, String address, Consumer<Answer> answer) {
        if (!acceptable(fresh)) {
            answer.accept(Answer.of(Outcome.BAD_PASSWORD));
            return;
        }
        verify(accountName, old, address, account -> {
            boolean queued = onHashing(() -> {
                String hash = PasswordHash.hash(fresh);
                StoredAccount changed = new StoredAccount(account.name, hash, account.created);
                try {
                    store.save(changed);
                } catch (AccountStoreException e) {
                    log.error("changing the password of {}: {}", account.name, e.getMessage());
                    loop.execute(() -> answer.accept(Answer.of(Outcome.STORE_FAILED)));
                    return;
                }
                loop.execute(() -> {
                    account.hash = hash;
                    changedHere(Names.key(account.name));
                    changes.account(Names.key(account.name));
                    log.info("account {}: password changed", account.name);
                    answer.accept(new Answer(Outcome.OK, account.name, 0, false));
                });
            });
            if (!queued) {
                answer.accept(Answer.of(Outcome.BUSY));
            }
        }, answer);
    }

    /**
     * Removes account {@code accountName}, what it kept and the rooms it founded, and takes it off
     * the operators of other registered rooms, once {@code password} is checked.
     */
    public void unregister(String accountName, String password, String address, Consumer<Answer> answer) {
        verify(accountName, password, address, account -> {
            String key = Names.key(account.name);
            if (byKey.get(key) != account) {
                answer.accept(Answer.of(Outcome.NO_ACCOUNT));
                return;
            }
            byKey.remove(key);
            changedHere(key);
            onStoreThenTell("removing account " + account.name, key, () -> store.delete(key));
            List<String> dropped = rooms.forgetAccount(account.name);
            log.info("account {} unregistered{}", account.name, dropped.isEmpty() ? "" : ", and the rooms it founded: "
                    + String.join(" ", dropped));
            answer.accept(new Answer(Outcome.OK, account.name, 0, false, dropped));
        }, answer);
    }

    /**
     * The messages kept for {@code accountName}, oldest first, handed to {@code deliver} on the loop
     * (not at all when there are none); forgotten once it returns: each is delivered once.
     */
    public void deliverKept(String accountName, Consumer<List<StoredMessage>> deliver) {
        Account account = byKey.get(Names.key(accountName));
        if (account == null || account.kept == 0) {
            return;
        }
        String key = Names.key(accountName);
        onStore("reading the messages kept for " + accountName, () -> {
            List<StoredMessage> kept = store.kept(key);
            if (kept.isEmpty()) {
                return;
            }
            long lastId = kept.get(kept.size() - 1).id();
            loop.execute(() -> {
                account.kept = Math.max(0, account.kept - kept.size());
                changedHere(key);
                deliver.accept(kept);
                List<Long> delivered = kept.stream().map(StoredMessage::id).toList();
                onStoreThenTell("forgetting the messages kept for " + accountName, key,
                        () -> store.forgetKept(key, delivered));
            });
        });
    }

    // ---- the work behind them ----

    /** A store operation that may fail; logged when it does. */
    interface StoreWork {
        void run() throws AccountStoreException;
    }

    /** Where store operations wait for the store thread, in order. */
    interface StoreQueue {
        /** Queues {@code work}, described as {@code doing}; false when the queue is full (logged). */
        boolean submit(String doing, StoreWork work);
    }

    /** Runs {@code work} on the store thread; false when its queue is full (logged). */
    private boolean onStore(String doing, StoreWork work) {
        try {
            storing.execute(() -> {
                try {
                    work.run();
                } catch (AccountStoreException e) {
                    log.error("{}: {}", doing, e.getMessage());
                }
            });
            return true;
        } catch (RejectedExecutionException full) {
            log.error("{}: refused, {} store operations already waiting", doing, MAX_STORE_QUEUED);
            return false;
        }
    }

    /** Runs {@code work} on the hashing thread; false when its queue is full (logged). */
    private boolean onHashing(Runnable work) {
        try {
            hashing.execute(work);
            return true;
        } catch (RejectedExecutionException full) {
            log.warn("a password check refused: {} already waiting", MAX_HASHES_QUEUED);
            return false;
        }
    }

    /**
     * Checks the password of account {@code name}, throttled, and runs {@code then} with the
     * account on the loop when it matches; otherwise {@code answer} gets why not.
     */
    private void verify(String name, String password, String address, Consumer<Account> then, Consumer<Answer> answer) {
        String key = Names.key(name);
        LoginThrottle.Verdict verdict = throttle.check(address, key);
        if (verdict.waitMillis() > 0) {
            answer.accept(new Answer(Outcome.THROTTLED, null, verdict.waitMillis(), verdict.locked()));
            return;
        }
        // Counted as a failure now, and forgiven on success: checks run off the loop, so without
        // this a guesser with several connections could start many before the first failed.
        throttle.failed(address, key);
        Account account = byKey.get(key);
        if (account == null) {
            answer.accept(Answer.of(Outcome.NO_ACCOUNT)); // guessing names counts against the address
            return;
        }
        String hash = account.hash;
        boolean queued = onHashing(() -> {
            boolean matches = password.length() <= AccountOptions.MAX_PASSWORD_LENGTH && PasswordHash.matches(password, hash);
            loop.execute(() -> {
                if (byKey.get(key) != account) {
                    answer.accept(Answer.of(Outcome.NO_ACCOUNT)); // unregistered meanwhile
                } else if (matches) {
                    throttle.succeeded(address, key);
                    then.accept(account);
                } else {
                    log.warn("failed login to account {} from {}", account.name, address);
                    answer.accept(Answer.of(Outcome.WRONG_PASSWORD));
                }
            });
        });
        if (!queued) {
            answer.accept(Answer.of(Outcome.BUSY));
        }
    }

    private static boolean acceptable(String password) {
        return password.length() >= AccountOptions.MIN_PASSWORD_LENGTH
                && password.length() <= AccountOptions.MAX_PASSWORD_LENGTH;
    }

    /** Stops both threads; what waits to be stored is stored first (a kept message is not lost). */
    @Override
    public void close() {
        hashing.shutdownNow();
        storing.shutdown();
        try {
            if (!storing.awaitTermination(10, TimeUnit.SECONDS)) {
                log.error("accounts: the store did not finish its last {} operations in 10 s", storing.getQueue().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
