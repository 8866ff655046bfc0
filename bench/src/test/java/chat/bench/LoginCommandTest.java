package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code chat-bench login} against its in-process server: a guesser gets its free tries checked,
 * is then refused, and never gets more checks than the lock allows; the capacity mode checks
 * right passwords. Counts, not times: the bounds hold however slow the machine is.
 */
class LoginCommandTest {

    private static Map<String, String> login(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new LoginCommand()).execute(args);
        } finally {
            System.setOut(console);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        console.print(output);
        Map<String, String> result = new HashMap<>();
        result.put("exit", Integer.toString(exit));
        output.lines().filter(l -> l.startsWith("RESULT ")).findFirst().ifPresent(line -> {
            for (String field : line.split(" ")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    result.put(field.substring(0, eq), field.substring(eq + 1));
                }
            }
        });
        return result;
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
