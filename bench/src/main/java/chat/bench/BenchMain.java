package chat.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code chat-bench}: the load generator's command line. Every mode that connects talks to
 * 127.0.0.0/8 only ({@link LoopbackGuard}); {@code history-writer} connects to nothing (it runs the
 * server's history writer in-process). Each prints a human summary followed by one
 * machine-readable {@code RESULT key=value ...} line, which the scripts in {@code bench/} read.
 *
 * <p>Exit codes: 0 for a clean run, 2 for bad usage, 3 when messages or connections were lost,
 * 1 when the run could not be carried out (setup failed...).
 */
@Command(name = "chat-bench", mixinStandardHelpOptions = true, version = "chat-bench 0.1.0",
        usageHelpAutoWidth = true,
        description = "Load generator for the chat server and, for comparison, Redis pub/sub. Loopback only.",
        subcommands = {FanoutCommand.class, IdleCommand.class, HandshakeCommand.class, RelayCommand.class,
                HistoryWriterCommand.class, OpCostCommand.class, LoginCommand.class})
public final class BenchMain {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its exit codes: a bad value a mode finds itself is bad usage (2). */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BenchMain());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("chat-bench: " + e.getMessage());
                return 2;
            }
            commandLine.getErr().println("chat-bench: " + e);
            return 1;
        });
        return cli;
    }
}
