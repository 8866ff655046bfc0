package chat.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;

/**
 * An interactive client on JLine's dumb terminal, driven by a {@link Keyboard} and read back from
 * a byte buffer: what a person types and sees, without a real terminal. {@link #close} ends the
 * session and its threads.
 */
final class TestTerminal implements AutoCloseable {

    /** Reconnect waits short enough for a test, with a fixed seed so a run can be repeated. */
    static final Backoff FAST_BACKOFF = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), new SplittableRandom(7));

    final Keyboard keyboard = new Keyboard();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Terminal terminal;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-client");
        t.setDaemon(true);
        return t;
    });
    private final Future<Integer> exit;

    /** A session on JLine's dumb terminal: no cursor movement, no colour, no echo of typing. */
    TestTerminal(ClientOptions options) throws IOException {
        this(options, false);
    }

    /** A session on an xterm of 80x24: typing is echoed and lines are redrawn as on a real one. */
    static TestTerminal xterm(ClientOptions options) throws IOException {
        return new TestTerminal(options, true);
    }

    private TestTerminal(ClientOptions options, boolean xterm) throws IOException {
        terminal = xterm
                ? TerminalBuilder.builder().system(false).streams(keyboard, screen).type("xterm-256color")
                        .encoding(StandardCharsets.UTF_8).size(new Size(80, 24)).build()
                : new DumbTerminal("test", Terminal.TYPE_DUMB, keyboard, screen, StandardCharsets.UTF_8);
        ChatClient client = new ChatClient(options, terminal, FAST_BACKOFF);
        exit = runner.submit(client::run);
    }

    /** Everything shown so far. */
    String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    Future<Integer> exit() {
        return exit;
    }

    /** The exit status, waiting for the session to end. */
    int exitStatus() throws Exception {
        return exit.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        keyboard.close(); // Ctrl-D: the session quits if it has not yet
        runner.shutdownNow();
        runner.awaitTermination(10, TimeUnit.SECONDS);
        terminal.close();
    }
}
