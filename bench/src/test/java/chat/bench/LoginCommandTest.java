package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code chat-bench login} against its in-process server: a guesser gets its free tries checked,
 * is then refused, and never gets more checks than the lock allows; the capacity mode checks
 * right passwords. Counts, not times: the bounds hold however slow the machine is.
 */
class LoginCommandTest {

    private static Map<String, String> login(String... args) {
        return BenchOutput.run(BenchOutput.join(new String[] {"login"}, args));
    }

    @Test
    void aGuesserIsCheckedAFewTimesThenRefusedAndNeverPastTheLock() {
        Map<String, String> result = login("--mode", "guess", "--guessers", "2", "--duration", "5");
        assertThat(result.get("exit")).isEqualTo("0");
        long checked = Long.parseLong(result.get("checked"));
        assertThat(checked).isBetween(1L, (long) chat.server.auth.LoginThrottle.Policy.DEFAULT.lockAfter());
        assertThat(Long.parseLong(result.get("refused_by_throttle"))).isPositive();
    }

    @Test
    void capacityModeChecksRightPasswords() {
        Map<String, String> result = login("--mode", "capacity", "--guessers", "2", "--duration", "2");
        assertThat(result.get("exit")).isEqualTo("0");
        assertThat(Long.parseLong(result.get("checked"))).isPositive();
    }
}
