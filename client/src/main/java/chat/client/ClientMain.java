package chat.client;

import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code chat-client} command. Exit status: 0 after {@code /quit} or the end of input, 1 when
 * the server went away or could not be reached, 2 for bad usage.
 */
@Command(name = "chat-client", mixinStandardHelpOptions = true, version = "chat-client 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Console client for the chat server: what you type goes out, what others say comes in.")
public final class ClientMain implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "HOST", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host = "localhost";

    @Option(names = "--port", paramLabel = "PORT", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port = 7788;

    @Option(names = "--nick", paramLabel = "NAME", description = "Nickname to take after connecting.")
    String nick;

    @Option(names = "--charset", paramLabel = "NAME",
            description = "Charset of the console (default: the console's own, here ${DEFAULT-VALUE}).")
    String charset = ConsoleCharset.detect().name();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClientMain()).execute(args));
    }

    @Override
    public Integer call() {
        if (port < 1 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 1-65535, not " + port);
        }
        Charset console;
        try {
            console = Charset.forName(charset);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--charset: unknown charset \"" + charset + "\"");
        }
        ClientOptions options = new ClientOptions(host, port, nick, console);
        return new ChatClient(options, System.in, System.out, System.err).run();
    }
}
