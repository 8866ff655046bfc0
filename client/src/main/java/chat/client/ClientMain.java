package chat.client;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code chat-client} command. Exit status: 0 after {@code /quit} or the end of input, 1 when
 * the server went away (for good, when reconnecting) or could not be reached, 2 for bad usage.
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

    @Option(names = "--login", description = "Log in to the account of --nick after connecting and after every "
            + "reconnect; the password is asked for at start (not shown), or read from --password-file.")
    boolean login;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password for --login from the first line of FILE, which only you may read "
                    + "(chmod 600); implies --login. Needed when input is not a terminal.")
    Path passwordFile;

    @Option(names = "--charset", paramLabel = "NAME",
            description = "Charset of the console, also used on the wire and named to the server with /charset"
                    + " (default: the console's own, here ${DEFAULT-VALUE}).")
    String charset = ConsoleCharset.detect().name();

    @Option(names = "--tls", description = "Connect over TLS, checking the server's certificate against the "
            + "system's trusted roots and its name against --host.")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Connect over TLS trusting the certificates in this PEM file only (a private CA, or the "
                    + "server's own self-signed certificate); implies --tls.")
    Path tlsCa;

    @Option(names = "--no-color", description = "Print without colours (also when NO_COLOR is set).")
    boolean noColour;

    @Option(names = "--no-reconnect", description = "Exit when the connection is lost instead of reconnecting.")
    boolean noReconnect;

    @Option(names = "--history", paramLabel = "FILE",
            description = "Where typed lines are kept between sessions (default: ${DEFAULT-VALUE}).")
    Path history = Path.of(System.getProperty("user.home"), ".chat_history");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command; a bad option prints its error and one line pointing to {@code --help}, not
     * the whole usage, which would scroll the error off the screen. Returns the exit status.
     */
    static int run(String... args) {
        return new CommandLine(new ClientMain())
                .setParameterExceptionHandler((e, given) -> {
                    e.getCommandLine().getErr().println(e.getMessage());
                    e.getCommandLine().getErr().println("Try 'chat-client --help' for the options.");
                    return CommandLine.ExitCode.USAGE;
                })
                .execute(args);
    }

    /** The password from --password-file, or null to ask on the terminal; checks that there is a nick to log in as. */
    private Password password(Charset console) {
        String option = passwordFile != null ? "--password-file" : "--login";
        if (nick == null || nick.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " needs --nick NAME: the account to log in to is the nick");
        }
        if (passwordFile == null) {
            return null;
        }
        try {
            return PasswordFile.read(passwordFile, console);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--password-file: " + e.getMessage());
        }
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
        if (!ConsoleCharset.isAsciiCompatible(console)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--charset: " + console.name()
                    + " is not ASCII-compatible; lines are cut at LF bytes, so use UTF-8, GBK, GB18030 or the like");
        }
        SSLContext trust = null;
        if (tlsCa != null) {
            try {
                trust = ClientTls.trusting(tlsCa);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--tls-ca: " + e.getMessage());
            }
        } else if (tls) {
            trust = ClientTls.systemRoots();
        }
        ClientOptions options = new ClientOptions(host, port, nick, console, !noColour, !noReconnect, history, trust);
        if (login || passwordFile != null) {
            options = options.withLogin(password(console));
        }
        return new ChatClient(options, System.in, System.out, System.err).run();
    }
}
