package chat.server.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows password guessing: counts consecutive failed logins per address and, separately, per
 * account, and makes the next attempt wait once a key has failed too often. A guesser with one
 * address is held back by the address however many accounts it tries; a guesser with many
 * addresses is held back by the account it tries them on.
 *
 * <p>Per key: the first {@link Policy#freeFailures} failures in a row cost nothing; each further
 * one makes the next attempt wait {@code firstDelay * 2^(n - freeFailures - 1)}, at most
 * {@code maxDelay}; the {@link Policy#lockAfter}th locks the key for {@code lockMillis}, after
 * which its count starts again. A key quiet for {@code lockMillis} since its last failure is
 * forgotten, and a success forgets the account and the address. The caller asks {@link #check}
 * before it spends time on a password and, when told to wait, refuses without checking it; it
 * reports each outcome. Only what is reported counts: checks still in flight are not.
 *
 * <p>Memory is bounded: at most {@code maxTracked} addresses and as many accounts; past that the
 * least recently failed key is forgotten. Keys are compared as given: the caller case-folds
 * account names. No password ever reaches this class, so none can be logged.
 *
 * <p>Not thread-safe: the event loop's thread only.
 */
public final class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    /**
     * How failures are answered, per key; times in milliseconds.
     *
     * @param freeFailures failures in a row that cost nothing
     * @param firstDelayMillis the wait after the first failure past the free ones; it doubles each time
     * @param maxDelayMillis the longest such wait
     * @param lockAfter failures in a row that lock the key
     * @param lockMillis how long a lock lasts, and how long a quiet key is remembered; more than maxDelayMillis,
     *     so that a key is not forgotten while it waits
     * @param maxTracked keys remembered at most, per kind
     */
    public record Policy(int freeFailures, long firstDelayMillis, long maxDelayMillis, int lockAfter, long lockMillis,
            int maxTracked) {

        /** Three free tries, then 1 s doubling to 60 s; the tenth failure locks for 15 minutes. */
        public static final Policy DEFAULT = new Policy(3, 1_000, 60_000, 10, 15 * 60_000L, 10_000);

        public Policy {
            if (freeFailures < 0 || firstDelayMillis < 1 || maxDelayMillis < firstDelayMillis || lockAfter < 1
                    || lockMillis <= maxDelayMillis || maxTracked < 1) {
                throw new IllegalArgumentException("inconsistent login throttle policy: " + this);
            }
        }

        /** How long the next attempt waits after {@code failures} failures in a row. */
        public long waitAfter(int failures) {
            if (failures >= lockAfter) {
                return lockMillis;
            }
            if (failures <= freeFailures) {
                return 0;
            }
            int doublings = failures - freeFailures - 1;
            return doublings >= 62 || firstDelayMillis > maxDelayMillis >> doublings ? maxDelayMillis
                    : firstDelayMillis << doublings;
        }
    }

    /** The answer to "may this login try a password now?". */
    public record Verdict(long waitMillis, boolean locked) {
        static final Verdict ALLOWED = new Verdict(0, false);

        public boolean allowed() {
            return waitMillis == 0;
        }
    }

    private final Policy policy;
    /** Milliseconds, monotonic: from System.nanoTime, or a test's hand-driven clock. */
    private final LongSupplier clock;
    private final Keys addresses = new Keys("address");
    private final Keys accounts = new Keys("account");

    public LoginThrottle(Policy policy, LongSupplier clock) {
        this.policy = Objects.requireNonNull(policy);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Whether a login from {@code address} to {@code account} may try a password now; if not, how long until it may. */
    public Verdict check(String address, String account) {
        long now = clock.getAsLong();
        Verdict byAddress = addresses.check(address, now);
        Verdict byAccount = accounts.check(account, now);
        return new Verdict(Math.max(byAddress.waitMillis(), byAccount.waitMillis()),
                byAddress.locked() || byAccount.locked());
    }

    /** 0 when a login may try a password now, else the milliseconds until it may. */
    public long waitMillis(String address, String account) {
        return check(address, account).waitMillis();
    }

    /** A wrong password from {@code address} for {@code account}. */
    public void failed(String address, String account) {
        long now = clock.getAsLong();
        addresses.failed(address, now);
        accounts.failed(account, now);
    }

    /** A right password: forgets the failures of this account and of this address. */
    public void succeeded(String address, String account) {
        addresses.forget(address);
        accounts.forget(account);
    }

    int trackedAddresses() {
        return addresses.failures.size();
    }

    int trackedAccounts() {
        return accounts.failures.size();
    }

    /**
     * Attempts on one account within {@code windowMillis} from its first, by a guesser that tries
     * again the moment it may, from as many addresses as it likes: the figure to quote for a policy.
     */
    public static long attemptsAllowed(Policy policy, long windowMillis) {
        long attempts = 0;
        int failures = 0;
        for (long now = 0; now < windowMillis; ) {
            attempts++;
            failures++;
            now += policy.waitAfter(failures);
            if (failures >= policy.lockAfter()) {
                failures = 0; // the lock lasts as long as the memory of the key
            }
        }
        return attempts;
    }

    /** One key's failures in a row. */
    private static final class Failures {
        /** Failures in a row since the last success, lock or quiet spell. */
        int count;
        /** When the last one was, for forgetting a quiet key. */
        long lastMillis;
        /** No attempt before this. */
        long notBeforeMillis;
    }

    /** The keys of one kind, least recently failed first. */
    private final class Keys {
        /** "address" or "account", for the log. */
        private final String kind;
        /** In insertion order, a key reinserted at each failure: least recently failed first. */
        private final LinkedHashMap<String, Failures> failures = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                if (size() <= policy.maxTracked()) {
                    return false;
                }
                evicted++;
                if (Long.bitCount(evicted) == 1) { // the 1st, 2nd, 4th, 8th...: a flood is visible but not a log flood
                    log.warn("login throttle: tracking {} {}s at most; forgot the least recently failed, {} ({} so far)",
                            policy.maxTracked(), kind, eldest.getKey(), evicted);
                }
                return true;
            }
        };
        /** Keys forgotten to stay within maxTracked, for the log. */
        private long evicted;

        Keys(String kind) {
            this.kind = kind;
        }

        Verdict check(String key, long now) {
            forgetQuiet(now);
            Failures entry = failures.get(Objects.requireNonNull(key));
            if (entry == null || entry.notBeforeMillis <= now) {
                return Verdict.ALLOWED;
            }
            return new Verdict(entry.notBeforeMillis - now, entry.count >= policy.lockAfter());
        }

        void failed(String key, long now) {
            forgetQuiet(now);
            Failures entry = failures.remove(Objects.requireNonNull(key));
            if (entry == null || now - entry.lastMillis >= policy.lockMillis()) { // quiet, but not pruned: the clock stepped back
                entry = new Failures();
            }
            entry.count++;
            entry.lastMillis = now;
            long wait = policy.waitAfter(entry.count);
            entry.notBeforeMillis = now + wait;
            failures.put(key, entry);
            if (entry.count == policy.lockAfter()) {
                log.warn("login throttle: {} {} locked for {} s after {} failures in a row", kind, key, wait / 1000,
                        entry.count);
            } else if (wait > 0 && entry.count == policy.freeFailures() + 1) {
                log.info("login throttle: {} {} waits {} ms after {} failures in a row", kind, key, wait, entry.count);
            }
        }

        void forget(String key) {
            failures.remove(Objects.requireNonNull(key));
        }

        /** Drops keys quiet for lockMillis; they come first, so this stops at the first that is not. */
        private void forgetQuiet(long now) {
            for (Iterator<Failures> it = failures.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastMillis < policy.lockMillis()) {
                    return;
                }
                it.remove();
            }
        }
    }
}
