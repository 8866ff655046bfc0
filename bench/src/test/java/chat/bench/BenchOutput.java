package chat.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a {@code chat-bench} command line in this process, as its main would, and reads what it
 * printed: the exit code as {@code exit}, each {@code name=value} of its first RESULT line, and
 * the whole output as {@code output}. The output is echoed, so a failing test's log shows it.
 */
final class BenchOutput {

    private BenchOutput() {
    }

    static Map<String, String> run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = BenchMain.commandLine().execute(args);
        } finally {
            System.setOut(console);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        console.print(output);
        Map<String, String> result = new HashMap<>();
        result.put("exit", Integer.toString(exit));
        result.put("output", output);
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

    /** {@code first}, then {@code rest}: a subcommand and its fixed options before a test's own. */
    static String[] join(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
