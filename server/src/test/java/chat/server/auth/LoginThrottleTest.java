package chat.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.auth.LoginThrottle.Policy;
import chat.server.auth.LoginThrottle.Verdict;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The login throttle on a hand-driven clock: no test waits for real time. */
class LoginThrottleTest {

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    /** Milliseconds that move only when a test says so. */
    private static final class FakeClock implements LongSupplier {
        long now = 1_000_000;

        @Override
        public long getAsLong() {
            return now;
        }

        void advance(long millis) {
            now += millis;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final LoginThrottle throttle = new LoginThrottle(Policy.DEFAULT, clock);

    /** Fails {@code times} times on (address, account), each as soon as the throttle allows it. */
    private void failWhenAllowed(LoginThrottle on, String address, String account, int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(on.waitMillis(address, account));
            assertThat(on.waitMillis(address, account)).isZero();
            on.failed(address, account);
        }
    }

    @Test
    void theDefaultPolicyIsTheDocumentedOne() {
        assertThat(Policy.DEFAULT).isEqualTo(new Policy(3, 1_000, 60_000, 10, 15 * MINUTE, 10_000));
    }

    @Test
    void theFreeFailuresCostNothing() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.check("192.0.2.1", "alice")).isEqualTo(new Verdict(0, false));
            throttle.failed("192.0.2.1", "alice");
        }
        assertThat(throttle.check("192.0.2.1", "alice").allowed()).isTrue();
    }

    @Test
    void delaysDoubleAfterTheFreeFailures() {
        failWhenAllowed(throttle, "192.0.2.1", "alice", 3);
        long[] expected = {1, 2, 4, 8, 16, 32};
        for (long seconds : expected) {
            throttle.failed("192.0.2.1", "alice");
            Verdict verdict = throttle.check("192.0.2.1", "alice");
            assertThat(verdict).isEqualTo(new Verdict(seconds * SECOND, false));

            clock.advance(seconds * SECOND - 1);
            assertThat(throttle.waitMillis("192.0.2.1", "alice")).as("the wait counts down").isEqualTo(1);
            clock.advance(1);
            assertThat(throttle.waitMillis("192.0.2.1", "alice")).isZero();
        }
    }

    @Test
    void delaysStopGrowingAtTheMaximum() {
        LoginThrottle patient = new LoginThrottle(new Policy(1, SECOND, 10 * SECOND, 100, HOUR, 100), clock);
        long[] expected = {0, 1, 2, 4, 8, 10, 10, 10};
        for (long seconds : expected) {
            patient.failed("192.0.2.1", "alice");
            assertThat(patient.waitMillis("192.0.2.1", "alice")).isEqualTo(seconds * SECOND);
            clock.advance(seconds * SECOND);
        }
    }

    @Test
    void theWaitRuleNeverOverflows() {
        Policy policy = new Policy(0, 3, Long.MAX_VALUE / 2, Integer.MAX_VALUE, Long.MAX_VALUE, 1);

        assertThat(policy.waitAfter(61)).isEqualTo(3L << 60);
        assertThat(policy.waitAfter(62)).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(policy.waitAfter(63)).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(policy.waitAfter(1_000_000)).isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void theTenthFailureLocksForFifteenMinutesThenTheCountStartsAgain() {
        failWhenAllowed(throttle, "192.0.2.1", "alice", 9);
        assertThat(throttle.check("192.0.2.1", "alice").locked()).isFalse();

        clock.advance(throttle.waitMillis("192.0.2.1", "alice"));
        throttle.failed("192.0.2.1", "alice");
        assertThat(throttle.check("192.0.2.1", "alice")).isEqualTo(new Verdict(15 * MINUTE, true));
        assertThat(throttle.check("198.51.100.7", "alice")).as("the account, from anywhere")
                .isEqualTo(new Verdict(15 * MINUTE, true));
        assertThat(throttle.check("192.0.2.1", "bob")).as("the address, on any account")
                .isEqualTo(new Verdict(15 * MINUTE, true));

        clock.advance(15 * MINUTE - 1);
        assertThat(throttle.check("192.0.2.1", "alice")).isEqualTo(new Verdict(1, true));
        clock.advance(1);
        assertThat(throttle.check("192.0.2.1", "alice")).isEqualTo(new Verdict(0, false));

        failWhenAllowed(throttle, "192.0.2.1", "alice", 3);
        assertThat(throttle.waitMillis("192.0.2.1", "alice")).as("three free failures again").isZero();
        throttle.failed("192.0.2.1", "alice");
        assertThat(throttle.waitMillis("192.0.2.1", "alice")).isEqualTo(SECOND);
    }

    @Test
    void aFailureDuringALockExtendsIt() {
        failWhenAllowed(throttle, "192.0.2.1", "alice", 10);
        clock.advance(5 * MINUTE);
        throttle.failed("192.0.2.1", "alice"); // a check that was already in flight

        assertThat(throttle.check("192.0.2.1", "alice")).isEqualTo(new Verdict(15 * MINUTE, true));
    }

    @Test
    void aSuccessForgetsTheAccountAndTheAddress() {
        failWhenAllowed(throttle, "192.0.2.1", "alice", 5);
        throttle.failed("192.0.2.1", "bob");
        clock.advance(throttle.waitMillis("192.0.2.1", "alice"));

        throttle.succeeded("192.0.2.1", "alice");

        assertThat(throttle.waitMillis("192.0.2.1", "alice")).isZero();
        failWhenAllowed(throttle, "192.0.2.1", "alice", 3);
        assertThat(throttle.waitMillis("192.0.2.1", "alice")).as("three free failures again").isZero();
        assertThat(throttle.trackedAccounts()).as("bob's failure is still counted").isEqualTo(2);
    }

    @Test
    void oneAddressTryingManyAccountsIsHeldBackByItsAddress() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("192.0.2.1", "user" + i);
        }

        assertThat(throttle.waitMillis("192.0.2.1", "user99")).as("a fresh account").isEqualTo(SECOND);
        assertThat(throttle.waitMillis("198.51.100.7", "user0")).as("another address, a tried account").isZero();
    }

    @Test
    void manyAddressesTryingOneAccountAreHeldBackByTheAccount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("192.0.2." + i, "alice");
        }

        assertThat(throttle.waitMillis("192.0.2.99", "alice")).as("a fresh address").isEqualTo(SECOND);
        assertThat(throttle.waitMillis("192.0.2.0", "bob")).as("a tried address, another account").isZero();
    }

    @Test
    void theLongerOfTheTwoWaitsApplies() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("192.0.2.1", "user" + i); // the address: 2 s
        }
        for (int i = 0; i < 4; i++) {
            throttle.failed("198.51.100." + i, "alice"); // the account: 1 s
        }

        assertThat(throttle.waitMillis("192.0.2.1", "alice")).isEqualTo(2 * SECOND);
    }

    @Test
    void atMostMaxTrackedKeysOfEachKindAndTheLeastRecentlyFailedGoesFirst() {
        LoginThrottle small = new LoginThrottle(new Policy(0, SECOND, MINUTE, 10, HOUR, 3), clock);
        small.failed("192.0.2.1", "one");
        small.failed("192.0.2.2", "two");
        small.failed("192.0.2.3", "three");
        small.failed("192.0.2.1", "one"); // one failed last: two is now the least recent

        small.failed("192.0.2.4", "four");

        assertThat(small.trackedAccounts()).isEqualTo(3);
        assertThat(small.trackedAddresses()).isEqualTo(3);
        assertThat(small.waitMillis("192.0.2.2", "two")).as("forgotten").isZero();
        assertThat(small.waitMillis("192.0.2.9", "one")).isEqualTo(2 * SECOND);
        assertThat(small.waitMillis("192.0.2.9", "three")).isEqualTo(SECOND);

        for (int i = 0; i < 1_000; i++) {
            small.failed("203.0.113." + i, "flood" + i);
        }
        assertThat(small.trackedAccounts()).isEqualTo(3);
        assertThat(small.trackedAddresses()).isEqualTo(3);
    }

    @Test
    void failuresAreForgottenAfterAQuietSpellOfLockMillis() {
        failWhenAllowed(throttle, "192.0.2.1", "alice", 4);
        clock.advance(15 * MINUTE - 1);
        assertThat(throttle.trackedAccounts()).isEqualTo(1);
        throttle.failed("192.0.2.1", "alice");
        assertThat(throttle.waitMillis("192.0.2.1", "alice")).as("still remembered: the fifth").isEqualTo(2 * SECOND);

        clock.advance(15 * MINUTE);
        throttle.failed("192.0.2.9", "bob"); // any call lets the quiet keys go
        assertThat(throttle.trackedAccounts()).isEqualTo(1);
        assertThat(throttle.trackedAddresses()).isEqualTo(1);
        failWhenAllowed(throttle, "192.0.2.1", "alice", 3);
        assertThat(throttle.waitMillis("192.0.2.1", "alice")).as("forgotten: three free again").isZero();
    }

    /**
     * The figure for the docs. Against one account the default policy allows ten guesses per cycle
     * of 3 free + 1 + 2 + 4 + 8 + 16 + 32 s of delays (63 s) and a 15-minute lock: 963 s. An hour
     * holds the starts of four cycles (0, 963, 1926 and 2889 s), so 40 guesses an hour, about 900 a
     * day; the same holds for one address.
     */
    @Test
    void theDefaultPolicyAllowsFortyGuessesAnHourAgainstOneAccount() {
        assertThat(LoginThrottle.attemptsAllowed(Policy.DEFAULT, HOUR)).isEqualTo(40);
        assertThat(LoginThrottle.attemptsAllowed(Policy.DEFAULT, 24 * HOUR)).isEqualTo(900);

        assertThat(guessesWithin(HOUR, true)).as("a fresh address for each guess").isEqualTo(40);
        assertThat(guessesWithin(HOUR, false)).as("a fresh account for each guess, from one address").isEqualTo(40);
    }

    @Test
    void attemptsAllowedFollowsThePolicy() {
        Policy policy = new Policy(2, 10 * SECOND, 20 * SECOND, 5, MINUTE, 100);
        // Failures 1 and 2 free, then waits of 10 and 20 s, then a lock: 5 guesses per 90 s.

        assertThat(LoginThrottle.attemptsAllowed(policy, 90 * SECOND)).isEqualTo(5);
        assertThat(LoginThrottle.attemptsAllowed(policy, 90 * SECOND + 1)).isEqualTo(8); // 3 at once at 90 s
        assertThat(LoginThrottle.attemptsAllowed(policy, 180 * SECOND)).isEqualTo(10);
    }

    @Test
    void anInconsistentPolicyIsRefused() {
        assertThatThrownBy(() -> new Policy(-1, SECOND, MINUTE, 10, HOUR, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Policy(3, 0, MINUTE, 10, HOUR, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Policy(3, MINUTE, SECOND, 10, HOUR, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Policy(3, SECOND, MINUTE, 0, HOUR, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Policy(3, SECOND, MINUTE, 10, MINUTE, 10))
                .as("a key waiting its longest would be forgotten").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Policy(3, SECOND, MINUTE, 10, HOUR, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A guesser on the real throttle who tries again the moment it may; guesses within the window. */
    private long guessesWithin(long windowMillis, boolean manyAddresses) {
        LoginThrottle fresh = new LoginThrottle(Policy.DEFAULT, clock);
        long start = clock.now;
        long guesses = 0;
        while (true) {
            String address = manyAddresses ? "10.0." + guesses / 256 + "." + guesses % 256 : "192.0.2.1";
            String account = manyAddresses ? "alice" : "user" + guesses;
            clock.advance(fresh.waitMillis(address, account));
            if (clock.now - start >= windowMillis) {
                return guesses;
            }
            fresh.failed(address, account);
            guesses++;
        }
    }
}
