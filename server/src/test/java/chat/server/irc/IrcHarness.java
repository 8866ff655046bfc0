package chat.server.irc;

import static org.awaitility.Awaitility.await;

import chat.common.TextCodec;
import chat.server.auth.PasswordChecker;
import chat.server.core.ChatCore;
import chat.server.net.Connection;
import chat.server.net.DetectedProtocol;
import chat.server.net.InputState;
import chat.server.net.Limits;
import chat.server.net.LoopHarness;
import chat.server.net.ScriptedTransport;
import chat.server.text.LineDialect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * IRC and native clients on one hand-driven loop over one real {@link ChatCore}: a real
 * {@link IrcDialect} for connections detected as IRC, a real {@link LineDialect} for the rest, so
 * mixed rooms are what a server would make of them. What a client receives is what went over its
 * socket. Every client action runs one loop iteration, so its answers are flushed.
 *
 * <p>Test thread only (it is the loop thread).
 */
final class IrcHarness {

    static final String SERVER = "irc.test";
    static final String DESCRIPTION = "test server";
    static final String NETWORK = "TestNet";
    /** Where every scripted connection comes from, as prefixes show it. */
    static final String HOST = "127.0.0.1";

    /** The wall clock at harness time zero; it then moves with the loop's clock. */
    static final long WALL_START_MILLIS = 1_800_000_000_000L;

    final ChatCore core = new ChatCore("lobby", ChatCore.DEFAULT_ANNOUNCE_LIMIT, this::wallMillis);
    /** What was said; off unless made {@link #withHistory}. */
    final chat.server.history.History history;
    final LineDialect lineDialect;
    final IrcDialect irc;
    /** Checks OPER passwords on its own thread; null when no operator is configured. */
    final PasswordChecker operators;
    final LoopHarness loop;
    private final List<Client> clients = new ArrayList<>();

    /** No MOTD, no password, no limits. */
    IrcHarness() {
        this(List.of(), null);
    }

    IrcHarness(List<String> motd, String password) {
        this(motd, password, Map.of(), 0);
    }

    /** With server pings every {@code pingIntervalSeconds} of harness time (0: none). */
    IrcHarness(List<String> motd, String password, int pingIntervalSeconds) {
        this(motd, password, Map.of(), pingIntervalSeconds);
    }

    /** No MOTD, no password; the operators given (name to password hash) may OPER. */
    IrcHarness(Map<String, String> operatorHashes) {
        this(List.of(), null, operatorHashes, 0);
    }

    private IrcHarness(List<String> motd, String password, Map<String, String> operatorHashes,
            int pingIntervalSeconds) {
        this(motd, password, operatorHashes, pingIntervalSeconds, null);
    }

    /** No MOTD, no password, history in memory as {@code history} says (the core stamps messages with its clock). */
    static IrcHarness withHistory(chat.server.history.HistoryOptions history) {
        return new IrcHarness(List.of(), null, Map.of(), 0, history);
    }

    /** The same, older messages read from {@code store} on a reader thread, answered through the loop's task queue. */
    static IrcHarness withHistory(chat.server.history.HistoryOptions history, chat.server.history.HistoryStore store) {
        return new IrcHarness(List.of(), null, Map.of(), 0, history, store);
    }

    private IrcHarness(List<String> motd, String password, Map<String, String> operatorHashes,
            int pingIntervalSeconds, chat.server.history.HistoryOptions historyOptions) {
        this(motd, password, operatorHashes, pingIntervalSeconds, historyOptions, null);
    }

    private IrcHarness(List<String> motd, String password, Map<String, String> operatorHashes,
            int pingIntervalSeconds, chat.server.history.HistoryOptions historyOptions,
            chat.server.history.HistoryStore store) {
        Limits limits = Limits.unlimited();
        history = historyOptions == null ? chat.server.history.History.off()
                : new chat.server.history.History(historyOptions, store, null, this::runOnLoop, core::epochMillis);
        core.messageLog(history);
        lineDialect = new LineDialect(core, TextCodec.UTF_8, limits.maxLineBytes(), history);
        // Answers come back through the loop's task queue, as in the server: the next iterate() runs them.
        operators = operatorHashes.isEmpty() ? null
                : new PasswordChecker(operatorHashes, this::runOnLoop);
        irc = new IrcDialect(core, new IrcOptions(SERVER, NETWORK, DESCRIPTION, motd, password, operatorHashes,
                pingIntervalSeconds), operators, history);
        loop = new LoopHarness(limits, LoopHarness.each(Map.of(
                DetectedProtocol.NATIVE, lineDialect, DetectedProtocol.IRC, irc)));
    }

    /** An IRC client accepted now that has sent nothing yet. */
    Client acceptIrc() {
        return accept("\r\n");
    }

    /** An IRC client registered as {@code nick} (user name = nick), its welcome forgotten. */
    Client irc(String nick) {
        Client client = acceptIrc().send("NICK " + nick, "USER " + nick + " 0 * :" + nick + " Real");
        List<String> welcome = client.take();
        if (welcome.isEmpty() || !welcome.get(0).startsWith(":" + SERVER + " 001 " + nick + " ")) {
            throw new AssertionError("not registered as " + nick + ": " + welcome);
        }
        settle();
        return client;
    }

    /** An IRC client that negotiated {@code caps} and registered as {@code nick}, all forgotten. */
    Client irc(String nick, String... caps) {
        Client client = acceptIrc().send("CAP LS 302", "CAP REQ :" + String.join(" ", caps),
                "NICK " + nick, "USER " + nick + " 0 * :" + nick + " Real", "CAP END");
        List<String> lines = client.take();
        if (lines.stream().noneMatch(l -> l.startsWith(":" + SERVER + " 001 " + nick + " "))) {
            throw new AssertionError("not registered as " + nick + ": " + lines);
        }
        settle();
        return client;
    }

    /**
     * A native client welcomed when the detection window closed, renamed to {@code nick}, in the
     * default room {@code #lobby}; everything its arrival told anyone is forgotten.
     */
    Client nativeUser(String nick) {
        Client client = accept("\n");
        loop.advanceMillis(Connection.DETECTION_WINDOW_MILLIS);
        client.send("/nick " + nick);
        settle();
        return client;
    }

    /**
     * Turns accounts on, kept in memory, in both dialects and the core, with fast password hashes;
     * answers come back through the loop's task queue as in the server.
     */
    chat.server.accounts.Accounts withAccounts(chat.server.accounts.AccountOptions options) {
        try {
            chat.server.accounts.Accounts accounts = new chat.server.accounts.Accounts(options,
                    new chat.server.accounts.MemoryAccountStore(), this::runOnLoop, this::wallMillis);
            core.accounts(accounts);
            core.roomRegistry(accounts.rooms());
            lineDialect.accounts(accounts);
            irc.accounts(accounts);
            return accounts;
        } catch (chat.server.accounts.AccountStoreException cannot) {
            throw new AssertionError(cannot);
        }
    }

    private long wallMillis() {
        return WALL_START_MILLIS + loop.nanoTime() / 1_000_000;
    }

    /** What another thread hands the loop: run by the next {@code iterate()}. */
    private void runOnLoop(Runnable task) {
        loop.loop.execute(task);
    }

    /**
     * Runs the loop until the password check that holds {@code client}'s input has answered and
     * the lines that waited were handled; the check runs on its own thread, so this polls.
     */
    void awaitAnswer(Client client) {
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).until(() -> {
            loop.iterate();
            return LoopHarness.inputState(client.connection) != InputState.HELD;
        });
    }

    /**
     * Runs the loop until {@code client} has received a line matching {@code wanted} (for answers
     * that another thread hands to the loop); returns everything it received meanwhile.
     */
    List<String> awaitLine(Client client, java.util.function.Predicate<String> wanted) {
        List<String> received = new ArrayList<>();
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).until(() -> {
            if (client.socket.readInterest && client.socket.hasUnread()) {
                loop.readable(client.connection); // level-triggered, as epoll: lines that waited are read
            }
            loop.iterate();
            received.addAll(client.take());
            return received.stream().anyMatch(wanted);
        });
        return received;
    }

    /** Forgets what every client has received so far, so a test sees only what it caused. */
    void settle() {
        clients.forEach(Client::take);
    }

    private Client accept(String lineEnd) {
        ScriptedTransport socket = new ScriptedTransport();
        Client client = new Client(socket, loop.accept(socket), lineEnd);
        clients.add(client);
        return client;
    }

    /** One connection and its scripted socket; IRC clients end lines with CR LF, native with LF. */
    final class Client {
        final ScriptedTransport socket;
        final Connection connection;
        private final String lineEnd;

        private Client(ScriptedTransport socket, Connection connection, String lineEnd) {
            this.socket = socket;
            this.connection = connection;
            this.lineEnd = lineEnd;
        }

        /** Sends the lines, each with its line end, as one read; the loop then runs once. */
        Client send(String... lines) {
            StringBuilder text = new StringBuilder();
            for (String line : lines) {
                text.append(line).append(lineEnd);
            }
            return sendRaw(text.toString().getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The lines arrive and are read, without an iteration after: what the read answered at
         * once is all there is; tasks from other threads (a password check's answer) wait.
         */
        Client arrive(String... lines) {
            StringBuilder text = new StringBuilder();
            for (String line : lines) {
                text.append(line).append(lineEnd);
            }
            socket.chunk(text.toString().getBytes(StandardCharsets.UTF_8));
            loop.readable(connection);
            return this;
        }

        Client sendRaw(byte[] bytes) {
            socket.chunk(bytes);
            loop.readable(connection);
            loop.iterate();
            return this;
        }

        /** The client shuts its output without a word (end of stream). */
        void hangUp() {
            socket.end();
            loop.readable(connection);
            loop.iterate();
        }

        /**
         * Lines received since the last take, as UTF-8, without their line end; an IRC client's
         * lines must each end in CR LF.
         */
        List<String> take() {
            return take(java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The same, for a client on {@code charset}. */
        List<String> take(java.nio.charset.Charset charset) {
            String text = socket.takeWrittenText(charset);
            if (text.isEmpty()) {
                return List.of();
            }
            if (!text.endsWith("\n")) {
                throw new AssertionError("output does not end in LF: " + text);
            }
            List<String> lines = new ArrayList<>(Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1)));
            if (lineEnd.equals("\r\n")) {
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (!line.endsWith("\r")) {
                        throw new AssertionError("IRC line without CR LF: " + line);
                    }
                    lines.set(i, line.substring(0, line.length() - 1));
                }
            }
            return lines;
        }

        /** The lines received since the last take whose command (after the source) is {@code command}. */
        List<String> take(String command) {
            return take().stream().filter(l -> command.equals(commandOf(l))).toList();
        }

        boolean isClosed() {
            return !connection.isOpen();
        }
    }

    /** The command or numeric of a line the server sent. */
    static String commandOf(String line) {
        return IrcMessage.parse(line).command();
    }

    /** {@code :irc.test NUMERIC target rest}: a line from the server, as tests write them. */
    static String server(String rest) {
        return ":" + SERVER + " " + rest;
    }

    /** {@code nick!~nick@127.0.0.1}: the prefix of an IRC user registered by {@link #irc}. */
    static String ircPrefix(String nick) {
        return nick + "!~" + nick + "@" + HOST;
    }

    /** {@code nick!~chat@127.0.0.1}: the prefix of a native user. */
    static String nativePrefix(String nick) {
        return nick + "!~chat@" + HOST;
    }
}
