package chat.client;

import chat.common.FrameHandler;
import chat.common.LineFrameDecoder;
import chat.common.TerminalSafeText;
import chat.common.TextCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A plain console session: one thread copies typed lines to the server, another prints what the
 * server sends. Lines travel in UTF-8; the console side uses the console's charset.
 *
 * <p>Ends with 0 when the user quit ({@code /quit}) or input ended and the server has taken every
 * line (the client half-closes and waits for the server to close in turn); with 1 when the
 * server went away first or could not be reached.
 */
public final class ChatClient {

    /** Longest line accepted from the server, in bytes; the server's lines are far shorter. */
    private static final int MAX_SERVER_LINE = 1 << 20;

    private final ClientOptions options;
    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;
    private final TextCodec wire = TextCodec.UTF_8;
    /** Completed with the exit status by whichever side finishes the session. */
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** True once we told the server we are done (quit or end of input): its close is expected. */
    private volatile boolean leaving;

    public ChatClient(ClientOptions options, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this.options = options;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs the session to its end and returns the exit status. */
    public int run() {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(options.host(), options.port()), 10_000);
            } catch (IOException e) {
                stderr.println("cannot connect to " + options.host() + ":" + options.port() + ": " + e.getMessage());
                return 1;
            }
            socket.setTcpNoDelay(true);
            start("chat-client-receiver", () -> receive(socket));
            start("chat-client-sender", () -> send(socket));
            return exit.get();
        } catch (IOException | InterruptedException | ExecutionException e) {
            stderr.println("connection failed: " + e.getMessage());
            return 1;
        }
    }

    private static void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true); // a thread blocked on the console must not keep the JVM alive
        thread.start();
    }

    /** Copies typed lines to the server until /quit or end of input. */
    private void send(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            if (options.nick() != null) {
                out.write(wire.encode("/nick " + options.nick() + "\n").bytes());
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, options.consoleCharset()));
            String line;
            while ((line = in.readLine()) != null) {
                boolean quit = isQuit(line);
                if (quit) {
                    leaving = true;
                }
                out.write(wire.encode(line + "\n").bytes());
                out.flush();
                if (quit) {
                    return; // the server answers /quit by closing
                }
            }
            // End of input: half-close, so the server reads every line, then closes its side.
            leaving = true;
            socket.shutdownOutput();
        } catch (IOException e) {
            if (!leaving) {
                serverGone("cannot send: " + e.getMessage());
            }
        }
    }

    /** Prints what the server sends until it closes. */
    private void receive(Socket socket) {
        Printer printer = new Printer();
        LineFrameDecoder decoder = new LineFrameDecoder(MAX_SERVER_LINE);
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                decoder.decode(buffer, 0, n, printer);
            }
            decoder.finish(printer);
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
        stdout.flush();
        stderr.println(why);
        exit.complete(1);
    }

    private static boolean isQuit(String line) {
        String trimmed = line.strip();
        return trimmed.equals("/quit") || trimmed.startsWith("/quit ")
                || trimmed.equals("/exit") || trimmed.startsWith("/exit ");
    }

    /** Prints each server line, made terminal-safe, in the console's charset. */
    private final class Printer implements FrameHandler {
        private final PrintStream console = new PrintStream(stdout, true, options.consoleCharset());

        @Override
        public void onFrame(byte[] bytes, int offset, int length) {
            console.println(TerminalSafeText.strip(new String(bytes, offset, length, StandardCharsets.UTF_8)));
        }

        @Override
        public void onFrameTooLong(long lengthSeen, int maxLength) {
            console.println("(a line of more than " + maxLength + " bytes from the server was dropped)");
        }
    }
}
