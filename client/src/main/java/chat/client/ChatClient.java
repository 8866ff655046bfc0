package chat.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * A console chat session: {@link InteractiveSession} when the process runs on a terminal (line
 * editing, colour, reconnect), {@link PipedSession} otherwise (no prompt, no colour, the server's
 * lines printed as they came). The connection uses the console's charset, which the client names
 * to the server with {@code /charset} right after connecting.
 *
 * <p>Exit status, from {@link #run}: 0 when the user quit ({@code /quit}) or input ended and the
 * server has taken every line; 1 when the server went away first or could not be reached.
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
            return new PipedSession(options, stdin, stdout, stderr).run();
        }
        try (Terminal system = TerminalBuilder.builder()
                .system(true)
                .encoding(options.consoleCharset())
                .build()) {
            return interactive(system);
        } catch (IOException e) {
            stderr.println("cannot open the terminal (" + e.getMessage() + "); reading lines without editing");
            return new PipedSession(options, stdin, stdout, stderr).run();
        }
    }

    private int interactive(Terminal t) {
        return new InteractiveSession(options, t, useColour(t), backoff, Clock.systemDefaultZone()).run();
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
