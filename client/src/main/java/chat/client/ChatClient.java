package chat.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * A console chat session: {@link InteractiveSession} when the process runs on a terminal (line
 * editing, colour, reconnect), {@link PipedSession} otherwise (no prompt, no colour, the server's
 * lines printed as they came). The connection uses the console's charset, which the client names
 * to the server with {@code /charset} right after connecting.
 *
 * <p>With {@code --login} and no password file, the password is asked for on the terminal before
 * connecting, masked, by a line reader of its own that keeps no history; a script has no
 * terminal to type it on, so it must give {@code --password-file}.
 *
 * <p>Exit status, from {@link #run}: 0 when the user quit ({@code /quit}) or input ended and the
 * server has taken every line (also when the user ended the password prompt with Ctrl-C or
 * Ctrl-D); 1 when the server went away first or could not be reached; 2 when {@code --login}
 * has no password to use.
 *
 * <p>Not thread-safe: {@link #run} once, from one thread.
 */
public final class ChatClient {

    private final ClientOptions options;
    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;
    /** The terminal to use, or null to decide from the streams. */
    private final Terminal terminal;
    private final Backoff backoff;

    public ChatClient(ClientOptions options, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this(options, stdin, stdout, stderr, null, Backoff.standard());
    }

    /** A session on the given terminal, for tests: interactive whatever the streams are. */
    ChatClient(ClientOptions options, Terminal terminal, Backoff backoff) {
        this(options, null, null, null, terminal, backoff);
    }

    private ChatClient(ClientOptions options, InputStream stdin, PrintStream stdout, PrintStream stderr,
                       Terminal terminal, Backoff backoff) {
        this.options = options;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.terminal = terminal;
        this.backoff = backoff;
    }

    /** Runs the session to its end and returns the exit status. */
    public int run() {
        if (terminal != null) {
            return interactive(terminal);
        }
        if (!onConsole()) {
            return piped();
        }
        try (Terminal system = TerminalBuilder.builder()
                .system(true)
                .encoding(options.consoleCharset())
                .build()) {
            return interactive(system);
        } catch (IOException e) {
            stderr.println("cannot open the terminal (" + e.getMessage() + "); reading lines without editing");
            return piped();
        }
    }

    private int piped() {
        if (options.login() && options.password() == null) {
            stderr.println("--login: standard input is not a terminal to type the password on; give it with"
                    + " --password-file FILE");
            return 2;
        }
        return new PipedSession(options, stdin, stdout, stderr).run();
    }

    private int interactive(Terminal t) {
        ClientOptions session = options;
        if (options.login() && options.password() == null) {
            String typed;
            try {
                typed = askPassword(t, options.nick());
            } catch (UserInterruptException | EndOfFileException e) {
                return 0; // the user chose to stop there
            }
            if (typed.isEmpty()) {
                t.writer().println("--login: no password given");
                t.writer().flush();
                return 2;
            }
            session = options.withLogin(new Password(typed.toCharArray()));
        }
        return new InteractiveSession(session, t, useColour(t), backoff, Clock.systemDefaultZone()).run();
    }

    /**
     * Asks for the password, echoing {@code *} for each character, on a reader of its own that
     * keeps no history, so the answer reaches neither the screen nor the history file.
     */
    private static String askPassword(Terminal t, String nick) {
        LineReader prompt = LineReaderBuilder.builder()
                .terminal(t)
                .variable(LineReader.DISABLE_HISTORY, true)
                .build();
        return prompt.readLine("password for " + nick + ": ", '*');
    }

    /** True when our streams are the process's own and both are a terminal. */
    private boolean onConsole() {
        // System.console() is non-null only when standard input and output are both a terminal.
        return stdin == System.in && stdout == System.out && System.console() != null;
    }

    /** Colour unless turned off (--no-color or the NO_COLOR convention) or the terminal has none. */
    private boolean useColour(Terminal t) {
        String noColour = System.getenv("NO_COLOR");
        return options.colour()
                && (noColour == null || noColour.isEmpty())
                && !Terminal.TYPE_DUMB.equals(t.getType())
                && !Terminal.TYPE_DUMB_COLOR.equals(t.getType());
    }
}
