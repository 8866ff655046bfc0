package chat.client;

import chat.common.TerminalSafeText;
import chat.common.TextCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The client when standard input is not a terminal: for scripts and bots. No prompt, no colour,
 * no reconnect, no message ids ({@link Handshake#forScript}); each server line is printed as it
 * came (made terminal-safe), so a script can read the server's grammar directly. With
 * {@code --login} (the password from {@code --password-file}) it sends {@code /login} right after
 * its setup lines and before any line of its input, so the server has answered the login before
 * it reads what the script says; the password is wiped once sent, as it is never needed again.
 *
 * <p>One thread copies input lines to the server, another prints what the server sends. Ends with
 * 0 when the input ended and the server has taken every line (we half-close and wait for the
 * server to close in turn) or after {@code /quit}; with 1 when the server went away first or could
 * not be reached. There is no reconnect here: lines typed into a dead connection cannot be told
 * apart from lines the server took, so a script is better served by the exit status.
 */
final class PipedSession {

    private final ClientOptions options;
    private final InputStream stdin;
    private final PrintStream console;
    private final PrintStream stderr;
    /** Completed with the exit status by whichever side finishes the session. */
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** True once we told the server we are done (quit or end of input): its close is expected. */
    private volatile boolean leaving;

    PipedSession(ClientOptions options, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this.options = options;
        this.stdin = stdin;
        this.console = new PrintStream(stdout, true, options.consoleCharset());
        this.stderr = stderr;
    }

    int run() {
        ServerConnection connection;
        try {
            connection = ServerConnection.open(options.host(), options.port(), new TextCodec(options.consoleCharset()),
                    options.tls());
        } catch (IOException e) {
            stderr.println("cannot connect to " + options.host() + ":" + options.port() + ": " + e.getMessage());
            return 1;
        }
        try (connection) {
            start("chat-client-receiver", () -> receive(connection));
            start("chat-client-sender", () -> send(connection));
            return exit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (ExecutionException e) {
            stderr.println("connection failed: " + e.getCause());
            return 1;
        }
    }

    private static void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true); // a thread blocked on stdin must not keep the JVM alive
        thread.start();
    }

    /** Copies input lines to the server until /quit or end of input. */
    private void send(ServerConnection connection) {
        try {
            boolean loggingIn = options.login() && options.password() != null;
            for (String line : Handshake.forScript(options.consoleCharset(), options.nick(), loggingIn)) {
                connection.send(line);
            }
            if (loggingIn && !logIn(connection)) {
                return;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, options.consoleCharset()));
            String line;
            while ((line = in.readLine()) != null) {
                boolean quit = ClientCommands.isQuit(line);
                if (quit) {
                    leaving = true;
                }
                connection.send(line);
                if (quit) {
                    return; // the server answers /quit by closing
                }
            }
            // End of input: half-close, so the server reads every line, then closes its side.
            leaving = true;
            connection.finishSending();
        } catch (IOException e) {
            if (!leaving) {
                serverGone("cannot send: " + e.getMessage());
            }
        }
    }

    /** Sends our /login and wipes the password; false, the session ended, when the charset cannot carry it. */
    private boolean logIn(ServerConnection connection) throws IOException {
        char[] line = options.password().after("/login " + options.nick() + " ");
        options.password().wipe();
        try {
            connection.sendSecret(line);
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            serverGone("cannot log in: " + options.consoleCharset().name()
                    + " cannot carry every character of the password");
            return false;
        }
    }

    /** Prints what the server sends until it closes. */
    private void receive(ServerConnection connection) {
        try {
            connection.receive(new ServerConnection.Listener() {
                @Override
                public void onLine(String line) {
                    console.println(TerminalSafeText.strip(line));
                }

                @Override
                public void onLineTooLong(long lengthSeen, int maxLength) {
                    console.println("(a line of " + lengthSeen + " bytes or more from the server was dropped; the limit is "
                            + maxLength + ")");
                }
            });
        } catch (IOException e) {
            if (!leaving) {
                serverGone("connection lost: " + e.getMessage());
                return;
            }
        }
        if (leaving) {
            exit.complete(0);
        } else {
            serverGone("the server closed the connection");
        }
    }

    private void serverGone(String why) {
        console.flush();
        stderr.println(why);
        exit.complete(1);
    }
}
