package chat.bench;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.accounts.AccountOptions;
import chat.server.auth.LoginThrottle;
import chat.server.history.HistoryOptions;
import chat.server.net.Limits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chat-bench login}: what the login throttle lets a password guesser do, and how many
 * logins a second the server checks. The server runs in this process on 127.0.0.1 with its
 * default throttle and Argon2id cost, accounts in memory; the guessers are native clients on
 * real sockets, each on its own loopback source address, that try again the moment the server
 * says they may ({@code ! too many failed logins: try again in N s}), as a patient attacker would.
 *
 * <ul>
 *   <li>{@code guess}: {@code --guessers} connections, each from its own address, guess the
 *       password of one account for {@code --duration} seconds; counted: passwords the server
 *       checked, and attempts refused by the throttle.
 *   <li>{@code capacity}: {@code --guessers} connections log in with the right password and out
 *       again, as fast as answers come, for {@code --duration} seconds: password checks per
 *       second (one hashing thread), and "busy" answers.
 * </ul>
 */
@Command(name = "login", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Login throttle and password-check capacity, against an in-process server on 127.0.0.1.")
final class LoginCommand implements Callable<Integer> {

    private static final Pattern WAIT = Pattern.compile("try again in (\\d+) s");
    private static final String PASSWORD = "the-right-password";

    @Option(names = "--mode", description = "guess or capacity (default: ${DEFAULT-VALUE}).")
    String mode = "guess";

    @Option(names = "--guessers", paramLabel = "N",
            description = "Connections, each from its own loopback address 127.0.0.N (default: ${DEFAULT-VALUE}).")
    int guessers = 1;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "How long (default: ${DEFAULT-VALUE}).")
    int durationSeconds = 120;

    @Override
    public Integer call() throws Exception {
        if (guessers < 1 || guessers > SourceAddresses.MAX_ADDRESSES - 1) {
            throw new IllegalArgumentException("--guessers must be 1-" + (SourceAddresses.MAX_ADDRESSES - 1));
        }
        ServerConfig config = ServerConfig.loopbackEphemeral().withLimits(Limits.unlimited())
                .withHistory(HistoryOptions.inMemory())
                .withAccounts(new AccountOptions(true, null, AccountOptions.DEFAULT_MAX_KEPT, false,
                        LoginThrottle.Policy.DEFAULT));
        try (ChatServer server = new ChatServer(config).start()) {
            int accounts = mode.equals("capacity") ? guessers : 1;
            for (int i = 0; i < accounts; i++) {
                String nick = "owner" + i;
                try (Client owner = new Client(server.port(), 254)) { // an address no guesser uses
                    owner.send("/nick " + nick);
                    owner.await(l -> l.endsWith("is now known as " + nick));
                    owner.send("/register " + PASSWORD);
                    owner.await(l -> l.startsWith("-- registered "));
                }
            }
            long end = System.nanoTime() + durationSeconds * 1_000_000_000L;
            AtomicLong checked = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicLong busy = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int g = 0; g < guessers; g++) {
                int index = g;
                Thread thread = new Thread(() -> {
                    try (Client client = new Client(server.port(), index + 1)) {
                        if (mode.equals("capacity")) {
                            logInAndOut(client, "owner" + index, end, checked, busy);
                        } else {
                            guess(client, end, checked, refused, busy);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, "guesser-" + g);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double perSecond = checked.get() / (double) durationSeconds;
            System.out.printf(Locale.ROOT, "RESULT mode=%s guessers=%d duration_s=%d checked=%d checked_per_s=%.2f"
                    + " refused_by_throttle=%d busy=%d%n", mode, guessers, durationSeconds, checked.get(), perSecond,
                    refused.get(), busy.get());
            if (mode.equals("guess")) {
                System.out.printf(Locale.ROOT, "policy: %d guesses per hour per account at most (LoginThrottle.attemptsAllowed)%n",
                        LoginThrottle.attemptsAllowed(LoginThrottle.Policy.DEFAULT, 3_600_000L));
            }
        }
        return 0;
    }

    /** Wrong passwords for owner0 until the end, waiting as long as the server says when refused. */
    private static void guess(Client client, long end, AtomicLong checked, AtomicLong refused, AtomicLong busy)
            throws IOException {
        int n = 0;
        while (System.nanoTime() < end) {
            client.send("/login owner0 wrong-guess-" + n++);
            String answer = client.await(l -> l.startsWith("! "));
            if (answer.startsWith("! wrong password")) {
                checked.incrementAndGet();
            } else if (answer.startsWith("! too many failed logins")) {
                refused.incrementAndGet();
                Matcher wait = WAIT.matcher(answer);
                long waitNanos = wait.find() ? Long.parseLong(wait.group(1)) * 1_000_000_000L : 1_000_000_000L;
                long until = Math.min(end, System.nanoTime() + waitNanos);
                while (System.nanoTime() < until) {
                    java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
                }
            } else if (answer.startsWith("! the server is busy")) {
                busy.incrementAndGet();
            }
        }
    }

    /** Right-password logins and logouts until the end: each login is one password check. */
    private static void logInAndOut(Client client, String account, long end, AtomicLong checked, AtomicLong busy)
            throws IOException {
        while (System.nanoTime() < end) {
            client.send("/login " + account + " " + PASSWORD);
            String answer = client.await(l -> l.startsWith("-- logged in as ") || l.startsWith("! "));
            if (answer.startsWith("-- logged in as ")) {
                checked.incrementAndGet();
                client.send("/logout");
                client.await(l -> l.startsWith("-- logged out of "));
            } else if (answer.startsWith("! the server is busy")) {
                busy.incrementAndGet();
            }
        }
    }

    /** A native client on a blocking socket from 127.0.0.{@code source}. */
    private static final class Client implements AutoCloseable {
        private final Socket socket = new Socket();
        private final BufferedReader in;
        private final OutputStream out;

        Client(int port, int source) throws IOException {
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) source}), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            await(l -> l.startsWith("-- welcome "));
        }

        void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String await(java.util.function.Predicate<String> wanted) throws IOException {
            for (String line; (line = in.readLine()) != null; ) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            throw new IOException("the server closed the connection");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
