package chat.server.text;

import chat.common.TextCodec;
import chat.server.core.ChatCore;
import chat.server.net.Connection;
import chat.server.net.Limits;
import chat.server.net.LoopHarness;
import chat.server.net.ScriptedTransport;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The native dialect over a real {@link ChatCore} on a hand-driven loop, with clients that type
 * and read: what each connection receives is what went over its socket. Time moves only when a
 * test says so; every client action runs one loop iteration, so its answers are flushed.
 *
 * <p>Test thread only (it is the loop thread).
 */
final class LineHarness {

    static final long WINDOW = Connection.DETECTION_WINDOW_MILLIS;
    private static final Pattern WELCOME = Pattern.compile("-- welcome (\\S+); /help lists the commands");

    final ChatCore core;
    final LineDialect dialect;
    /** Off unless given. */
    final chat.server.history.History history;
    final LoopHarness loop;
    private final List<Client> clients = new ArrayList<>();

    /** No flood or queue limits, so only what a test sets can cut a client off. */
    LineHarness() {
        this(Limits.unlimited());
    }

    LineHarness(Limits limits) {
        core = new ChatCore("lobby");
        history = chat.server.history.History.off();
        dialect = new LineDialect(core, TextCodec.UTF_8, limits.maxLineBytes());
        loop = new LoopHarness(limits, LoopHarness.only(dialect));
    }

    /**
     * With history as {@code options} say, read from {@code store} (null: memory only) and
     * answered through the loop's task queue; the core's clock is the loop's, from a fixed start.
     */
    LineHarness(chat.server.history.HistoryOptions options, chat.server.history.HistoryStore store) {
        Limits limits = Limits.unlimited();
        LoopHarness[] made = new LoopHarness[1];
        long[] startNanos = new long[1];
        java.util.function.LongSupplier clock = () -> WALL_START_MILLIS + (made[0].nanoTime() - startNanos[0]) / 1_000_000;
        core = new ChatCore("lobby", ChatCore.DEFAULT_ANNOUNCE_LIMIT, clock);
        java.util.concurrent.Executor onLoop = task -> made[0].loop.execute(task);
        history = new chat.server.history.History(options, store, null, onLoop, clock);
        core.messageLog(history);
        dialect = new LineDialect(core, TextCodec.UTF_8, limits.maxLineBytes(), history);
        loop = new LoopHarness(limits, LoopHarness.only(dialect));
        made[0] = loop;
        startNanos[0] = loop.nanoTime();
    }

    /** 2026-12-01T09:00:00Z: what the core's clock reads when a history harness starts. */
    static final long WALL_START_MILLIS = 1_796_115_600_000L;

    /** A client accepted now that has sent nothing yet: no session, no welcome. */
    Client accept() {
        ScriptedTransport socket = new ScriptedTransport();
        Client client = new Client(socket, loop.accept(socket));
        clients.add(client);
        return client;
    }

    /**
     * A client welcomed as a guest when the window closed, then renamed with {@code /nick}
     * (not setup, so these fixtures do not depend on it), in the default room; everything
     * its arrival told anyone is forgotten.
     */
    Client connect(String nick) {
        Client client = accept();
        loop.advanceMillis(WINDOW);
        client.line("/nick " + nick);
        settle();
        return client;
    }

    /** Turns accounts on, kept in memory, answered through the loop's task queue. */
    chat.server.accounts.Accounts withAccounts(chat.server.accounts.AccountOptions options) {
        try {
            chat.server.accounts.Accounts accounts = new chat.server.accounts.Accounts(options,
                    new chat.server.accounts.MemoryAccountStore(), task -> loop.loop.execute(task),
                    () -> WALL_START_MILLIS + loop.nanoTime() / 1_000_000);
            core.accounts(accounts);
            core.roomRegistry(accounts.rooms());
            dialect.accounts(accounts);
            return accounts;
        } catch (chat.server.accounts.AccountStoreException cannot) {
            throw new AssertionError(cannot);
        }
    }

    /**
     * Runs the loop until {@code client} has received a line matching {@code wanted}, for answers
     * another thread hands to the loop; returns everything it received meanwhile.
     */
    List<String> awaitLine(Client client, java.util.function.Predicate<String> wanted) {
        List<String> received = new ArrayList<>();
        org.awaitility.Awaitility.await().pollInSameThread().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(2)).until(() -> {
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

    /** The nick a welcome line names. */
    static String welcomed(String line) {
        Matcher m = WELCOME.matcher(line);
        if (!m.matches()) {
            throw new AssertionError("not a welcome: " + line);
        }
        return m.group(1);
    }

    /** One connection and its scripted socket. */
    final class Client {
        final ScriptedTransport socket;
        final Connection connection;

        private Client(ScriptedTransport socket, Connection connection) {
            this.socket = socket;
            this.connection = connection;
        }

        /** The bytes arrive as one read; the loop then runs once. */
        Client send(byte[] bytes) {
            socket.chunk(bytes);
            loop.readable(connection);
            loop.iterate();
            return this;
        }

        Client send(String text) {
            return send(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Types one line, LF included, as one read. */
        Client line(String text) {
            return send(text + "\n");
        }

        /** The client shuts its output (end of stream). */
        void close() {
            socket.end();
            loop.readable(connection);
            loop.iterate();
        }

        /** The client's kernel answers with a reset. */
        void reset() {
            socket.reset();
            loop.readable(connection);
            loop.iterate();
        }

        /** Lines received since the last take, as UTF-8, without their LF. */
        List<String> take() {
            return take(StandardCharsets.UTF_8);
        }

        List<String> take(Charset charset) {
            return lines(takeBytes(), charset);
        }

        byte[] takeBytes() {
            byte[] bytes = socket.written.toByteArray();
            socket.written.reset();
            return bytes;
        }
    }

    /** Splits received bytes into lines; every line the server sends ends in LF. */
    static List<String> lines(byte[] bytes, Charset charset) {
        String text = new String(bytes, charset);
        if (text.isEmpty()) {
            return List.of();
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError("output does not end in LF: " + text);
        }
        return Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
    }
}
