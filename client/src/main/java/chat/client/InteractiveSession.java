package chat.client;

import chat.common.TextCodec;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * The client on a terminal: JLine edits the line being typed while the server's lines are printed
 * above it, so incoming text never tramples typing.
 *
 * <p>Two threads. The console thread (the caller of {@link #run}) reads typed lines and sends them.
 * The connection thread connects, prints what the server sends, and after an unexpected
 * disconnect waits ({@link Backoff}) and reconnects, then restores our nick and rooms
 * ({@link Handshake}), also after the server announced its shutdown (a restart is the common
 * case), and picks up each room and conversation after the last message it showed there
 * ({@code /resume}): what was missed is shown, marked, before anything live, and no message is
 * shown twice ({@link SeenMessages}, {@link Replays}). With {@code --login} it logs in after
 * each welcome, before anything that depends on the nick ({@link AutoLogin},
 * {@link Handshake#afterLogin}). It does not reconnect after {@code /quit}
 * or when reconnecting is off; it then ends the session by completing {@link #exit} and
 * interrupting the console thread, which JLine turns into a {@link UserInterruptException}. A line half typed stays in the editor across reconnects, and
 * goes to the history when the session ends, so it is never lost.
 *
 * <p>Exit status: 0 after {@code /quit}, Ctrl-D or Ctrl-C on an empty line; 1 when the server
 * could not be reached or went away for good.
 */
final class InteractiveSession {

    /** How long to wait for the server to close after {@code /quit} before closing ourselves. */
    static final Duration QUIT_GRACE = Duration.ofSeconds(5);
    /** How long closing waits for the connection thread to end. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final ClientOptions options;
    private final LineReader reader;
    private final LineRenderer renderer;
    private final ChatState state;
    private final Backoff backoff;
    private final Clock clock;
    /** The connection's charset: the console's, until /charset chooses another for both ends. */
    private volatile TextCodec codec;
    private final boolean colour;

    /** Completed with the exit status by whichever thread ends the session. */
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** Counted down when the session ends, to cut short a wait between reconnect attempts. */
    private final CountDownLatch stopping = new CountDownLatch(1);
    /** The live connection, or null while there is none. */
    private volatile ServerConnection connection;
    /** True once we sent /quit: the server's close is expected and must not cause a reconnect. */
    private volatile boolean leaving;
    /** True once the server said it is shutting down: the lost connection is told as a shutdown. */
    private volatile boolean serverShutDown;
    /** True once a connection was made: until then the prompt says we are connecting, not offline. */
    private volatile boolean everConnected;
    /** The thread reading the console, interrupted to end the session from the other side. */
    private volatile Thread consoleThread;
    /** Taking our nick back after a reconnect. */
    private final NickReclaim nickReclaim;
    /** Logging in after each welcome; inactive without {@code --login}. */
    private final AutoLogin autoLogin;
    /**
     * True while the current connection owes the lines held back until its login is answered
     * ({@link Handshake#afterLogin}). Connection thread only.
     */
    private boolean owedAfterLogin;
    /** The ids of the messages shown: the last per room and conversation, for resuming, and the recent ones. */
    private final SeenMessages seen = new SeenMessages();
    /** Why history lines come: missed, asked for, or replayed on join. */
    private final Replays replays = new Replays();
    /**
     * True once the current connection got where its target said (its current room joined, or
     * the default room left when the target has none); until then the next reconnect aims for
     * the same target rather than for the half-restored state. Connection thread only.
     */
    private boolean targetReached;
    /** Runs the nick retries; one daemon thread, stopped with the session. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "chat-client-timer");
        t.setDaemon(true);
        return t;
    });

    InteractiveSession(ClientOptions options, Terminal terminal, boolean colour, Backoff backoff, Clock clock) {
        this.options = options;
        this.colour = colour;
        this.state = new ChatState();
        this.reader = ConsoleReader.create(terminal, state, options.historyFile(), this::note);
        this.renderer = new LineRenderer(colour);
        this.backoff = backoff;
        this.clock = clock;
        this.codec = new TextCodec(options.consoleCharset());
        this.nickReclaim = new NickReclaim(backoff);
        this.autoLogin = new AutoLogin(options.nick(), options.login() ? options.password() : null,
                options.reconnect());
    }

    int run() {
        consoleThread = Thread.currentThread();
        note("connecting to " + options.host() + ":" + options.port() + (options.tls() != null ? " over TLS" : ""));
        Thread network = new Thread(this::connectionLoop, "chat-client-connection");
        network.setDaemon(true); // never keep the JVM alive on its account
        network.start();
        try {
            readLoop();
        } finally {
            stopping.countDown();
            closeConnection();
            try {
                network.join(STOP_GRACE.toMillis());
            } catch (InterruptedException ignored) {
                // we are finishing anyway
            }
            timers.shutdownNow();
            autoLogin.stop(); // wipes the password
            ConsoleReader.saveHistory(reader);
            Thread.interrupted(); // an interrupt meant to end readLine must not leak to our caller
        }
        return exit.getNow(0);
    }

    // ---- the console thread ----

    private void readLoop() {
        while (!exit.isDone()) {
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                if (exit.isDone()) {
                    keepInHistory(e.getPartialLine()); // the connection thread ended the session
                    return;
                }
                if (!e.getPartialLine().isBlank()) {
                    continue; // Ctrl-C drops the line being typed
                }
                line = "/quit";
            } catch (EndOfFileException e) {
                line = "/quit";
            }
            // A paste of several lines comes as one, a message per line, in order.
            for (String typed : line.split("\n")) {
                handleTyped(typed);
            }
        }
    }

    /** A line half typed when the session ended: kept where Up finds it next time. */
    private void keepInHistory(String partial) {
        if (partial != null && !partial.isBlank()) {
            reader.getHistory().add(partial);
        }
    }

    private void handleTyped(String line) {
        if (line.isBlank()) {
            return;
        }
        if (ClientCommands.isQuit(line)) {
            leave(line);
        } else if ("/nick".equals(ClientCommands.commandOf(line))) {
            // The user's choice, not the nick we were taking back; sent under the reclaim's lock
            // so that no retry of ours can follow it.
            nickReclaim.userChoseNick(() -> send(line));
        } else if ("/charset".equals(ClientCommands.commandOf(line))) {
            charset(line);
        } else if ("/logout".equals(ClientCommands.commandOf(line))) {
            // Logged out on purpose: logging in again after a reconnect would undo it.
            if (autoLogin.stop()) {
                note("not logging in after a reconnect for the rest of this session");
            }
            send(line);
        } else if ("/help".equals(ClientCommands.commandOf(line))) {
            ClientCommands.CLIENT_HELP.forEach(this::note);
            send("/help"); // the server lists its own commands
        } else if ("/history".equals(ClientCommands.commandOf(line))) {
            replays.historySent(); // first: the answer may come before send returns
            if (!send(line)) {
                replays.historyNotSent();
            }
        } else if ("/resume".equals(ClientCommands.commandOf(line))) {
            String[] words = line.strip().split(" +");
            if (words.length > 1) {
                replays.resumeSent(words[1]);
            }
            send(line);
        } else {
            List<String> pieces = LineSplitter.split(line, codec.charset(), LineSplitter.SERVER_LINE_BYTES);
            if (pieces.size() > 1) {
                note("that line is longer than the server takes (" + LineSplitter.SERVER_LINE_BYTES
                        + " bytes); sending it as " + pieces.size() + " messages");
            }
            for (String piece : pieces) {
                if (!send(piece)) {
                    return;
                }
                showOwn(piece);
            }
        }
    }

    /**
     * {@code /charset NAME}: the client owns the connection's charset, so it switches its own
     * encoding with the server's (and keeps it for reconnects), or refuses with the reason before
     * sending anything. Without a name, the server says which it uses.
     */
    private void charset(String line) {
        String name = line.strip().substring("/charset".length()).strip();
        if (name.isEmpty()) {
            send(line);
            return;
        }
        java.nio.charset.Charset chosen;
        try {
            chosen = chat.common.ChatCharsets.forName(name);
        } catch (IllegalArgumentException e) {
            note("not changed: " + e.getMessage());
            return;
        }
        ServerConnection c = connection;
        TextCodec next = new TextCodec(chosen);
        codec = next;
        if (c != null) {
            c.useCodec(next); // first: the server's answer already comes in the new charset
        }
        send("/charset " + chosen.name());
    }

    /** @return whether the line went to the server */
    private boolean send(String line) {
        ServerConnection c = connection;
        if (c == null) {
            note("not connected; that line was not sent");
            return false;
        }
        try {
            c.send(line);
            return true;
        } catch (IOException e) {
            note("not sent: " + e.getMessage());
            return false;
        }
    }

    /**
     * Our own words, shown as everyone else sees them ({@code 12:00 [#lobby] alice: hi}) in place
     * of the prompt line the editor erased. With ids on the server sends them back to us, with
     * their ids, and they are shown from that echo (a line the server refused is then never shown
     * as said); only a server that does not echo gets them drawn here. Private messages come back
     * from the server as {@code [pm -> nick]}; commands show through what they do.
     */
    private void showOwn(String line) {
        String room = state.currentRoom();
        String me = state.nick();
        if (room == null || me == null || state.ownLinesEchoed()) {
            return;
        }
        String command = ClientCommands.commandOf(line);
        if (command == null || line.startsWith("//")) {
            String text = chat.common.TerminalSafeText.strip(line.startsWith("//") ? line.substring(1) : line);
            print(renderer.render(new ServerLine.RoomMessage(line, room, me, text, false), now(), me));
        } else if (command.equals("/me") && line.length() > 4) {
            String text = chat.common.TerminalSafeText.strip(line.substring(4).strip());
            print(renderer.render(new ServerLine.RoomMessage(line, room, me, text, true), now(), me));
        }
    }

    /** Sends /quit and waits a little for the server to close; the exit status is 0 either way. */
    private void leave(String quitLine) {
        leaving = true;
        ServerConnection c = connection;
        if (c != null) {
            try {
                c.send(quitLine);
                exit.get(QUIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException | ExecutionException | TimeoutException e) {
                // gone already, or slow to close: we are leaving all the same
            } catch (InterruptedException e) {
                // the connection thread finished the session while we waited
            }
        }
        exit.complete(0);
    }

    // ---- the connection thread ----

    private void connectionLoop() {
        Handshake.Target target = Handshake.Target.first(options.nick());
        boolean connectedBefore = false;
        int attempt = 0;
        while (!exit.isDone()) {
            ServerConnection c;
            try {
                c = ServerConnection.open(options.host(), options.port(), codec, options.tls());
            } catch (IOException e) {
                String where = options.host() + ":" + options.port();
                if (!connectedBefore || e instanceof ServerConnection.TlsRefused) {
                    // A certificate that does not verify is not a reason to try again, ever.
                    note("cannot connect to " + where + ": " + e.getMessage());
                    finish(1);
                    return;
                }
                if (!waitToRetry(attempt++, "cannot connect to " + where + ": " + e.getMessage())) {
                    return;
                }
                continue;
            }
            if (connectedBefore) {
                note("reconnected; " + target.describe(autoLogin.active()));
            }
            connectedBefore = true;
            everConnected = true;
            attempt = 0;
            String lost = talk(c, target);
            if (leaving) {
                finish(0);
                return;
            }
            if (serverShutDown) {
                lost = "the server shut down";
                serverShutDown = false;
            }
            if (!options.reconnect()) {
                note(lost);
                finish(1);
                return;
            }
            target = nextTarget(target);
            if (!waitToRetry(attempt++, lost)) {
                return;
            }
        }
    }

    /**
     * Where the next connection should take us after this one was lost: where this one got to,
     * or where it was going if it did not get there. The nick is the one still being taken
     * back, else ours if we chose one, else the one we were aiming for (none for a guest).
     */
    private Handshake.Target nextTarget(Handshake.Target previous) {
        String pending = nickReclaim.pending(state.nick());
        String nick = pending != null ? pending : state.nickChosen() ? state.nick() : previous.nick();
        return targetReached
                ? Handshake.Target.restore(nick, state.rooms(), state.currentRoom(), seen.lastIds())
                : Handshake.Target.restore(nick, previous.rooms(), previous.currentRoom(), seen.lastIds());
    }

    /** Runs one connection to its end; returns why it ended. */
    private String talk(ServerConnection c, Handshake.Target target) {
        // Only a restoring connection takes its nick back: on a first one, a taken nick is
        // someone else's.
        nickReclaim.restart(target.restoring() ? target.nick() : null);
        targetReached = !target.restoring();
        connection = c;
        try {
            seen.newConnection();
            target.resumed().keySet().forEach(replays::resumeSent); // before the answers can come
            boolean loggingIn = autoLogin.active();
            owedAfterLogin = loggingIn;
            for (String line : Handshake.lines(codec.charset(), target, loggingIn)) {
                c.send(line);
            }
            c.receive(new ServerConnection.Listener() {
                /** True until the server has put us in its default room, which it does first. */
                private boolean defaultRoomPending = true;

                @Override
                public void onLine(String line) {
                    String joined = onServerLine(c, line, target, defaultRoomPending);
                    if (joined == null) {
                        return;
                    }
                    if (defaultRoomPending) {
                        defaultRoomPending = false;
                        targetReached |= target.currentRoom() == null; // the default room was all
                    } else if (joined.equalsIgnoreCase(target.currentRoom())) {
                        targetReached = true; // joined last, after every other room of the target
                    }
                }

                @Override
                public void onLineTooLong(long lengthSeen, int maxLength) {
                    note("a line of " + lengthSeen + " bytes or more from the server was dropped; the limit is "
                            + maxLength);
                }
            });
            return "the server closed the connection";
        } catch (IOException e) {
            return "connection lost: " + e.getMessage();
        } finally {
            connection = null;
            replays.connectionLost();
            c.close();
        }
    }

    /**
     * Shows and applies one server line of the connection going to {@code target}. Until the
     * server has put us in its default room ({@code defaultRoomPending}), a room it puts us in is
     * that one: after a reconnect we leave it again if we had left it before.
     *
     * @return the room the line put us in, or null
     */
    private String onServerLine(ServerConnection c, String text, Handshake.Target target, boolean defaultRoomPending) {
        ServerLine line = ServerLineParser.parse(text);
        if (line instanceof ServerLine.ShuttingDown) {
            serverShutDown = true;
        }
        Replays.Kind kind = replays.kindOf(line);
        if (line instanceof ServerLine.Message m && !seen.firstShowing(m, kind == Replays.Kind.ASKED)) {
            return null; // shown before: a replay that overlaps what we saw
        }
        ChatState.Effect effect = state.apply(line);
        followRooms(line, effect);
        String heading = replays.maybeHeading(line, kind);
        if (heading != null) {
            note(heading);
        }
        print(renderer.render(line, now(), state.nick()));
        if (line instanceof ServerLine.Welcome) {
            maybeLogIn(c, target);
        } else {
            onLoginAnswer(c, target, autoLogin.onServerLine(line));
        }
        if (line instanceof ServerLine.Error e) {
            onRefused(c, e);
            return null;
        }
        if (effect != ChatState.Effect.WE_JOINED || !(line instanceof ServerLine.Joined j)) {
            return null;
        }
        boolean unwanted = defaultRoomPending && !target.wants(j.room());
        try {
            // Either leave a room we had left before the reconnect, or learn who is there, for
            // Tab completion.
            c.send(unwanted ? "/part " + j.room() : "/who " + j.room());
        } catch (IOException ignored) {
            // the receiver will see the connection fail
        }
        return j.room();
    }

    /**
     * Keeps the last ids in step with our rooms: a room we left is not resumed, and a room joined
     * afresh (not resumed) starts from its replay, not from an id seen in it long ago (a
     * {@code /resume} the server refused, a ban, leaves one behind). The server may send a
     * room's replay, or the answer to its {@code /resume}, before the room's join line, so an id
     * set on this connection is never stale.
     */
    private void followRooms(ServerLine line, ChatState.Effect effect) {
        if (effect == ChatState.Effect.WE_LEFT) {
            seen.forget(line instanceof ServerLine.Left l ? l.room() : ((ServerLine.Kicked) line).room());
        } else if (effect == ChatState.Effect.WE_JOINED && line instanceof ServerLine.Joined j
                && !replays.resumedHere(j.room()) && !seen.setOnThisConnection(j.room())) {
            seen.forget(j.room());
        }
    }

    // ---- logging in (connection thread, but for the timer's retry) ----

    /** The welcome came: log in, or, when this connection does not, send what was held back for it. */
    private void maybeLogIn(ServerConnection c, Handshake.Target target) {
        if (autoLogin.onWelcome() && sendLogin(c)) {
            return;
        }
        afterLogin(c, target, state.nick()); // logged out by the user since the handshake, or unsendable
    }

    /** Acts on the server's answer to our login, if the line is one. */
    private void onLoginAnswer(ServerConnection c, Handshake.Target target, AutoLogin.Outcome outcome) {
        if (outcome instanceof AutoLogin.Outcome.LoggedIn in) {
            afterLogin(c, target, in.nick()); // the server renames us next, before it reads these
        } else if (outcome instanceof AutoLogin.Outcome.WrongPassword wrong) {
            note("the server refused the password for " + wrong.nick()
                    + "; not logging in again in this session (--login)");
            afterLogin(c, target, state.nick());
        } else if (outcome instanceof AutoLogin.Outcome.NoAccount) {
            afterLogin(c, target, state.nick()); // the server's line says how to register
        } else if (outcome instanceof AutoLogin.Outcome.Unsupported) {
            note("this server has no accounts; not logging in (--login)");
            afterLogin(c, target, state.nick());
        } else if (outcome instanceof AutoLogin.Outcome.RetryAfter retry) {
            note("logging in again in " + describe(retry.delay()) + " (try " + retry.attempt() + " of "
                    + retry.max() + ")");
            try {
                timers.schedule(() -> retryLogIn(c, retry.generation()), retry.delay().toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException ended) {
                // the session is over
            }
        } else if (outcome instanceof AutoLogin.Outcome.GaveUp) {
            note("still too many failed logins; not logged in on this connection, trying again after a reconnect");
            afterLogin(c, target, state.nick());
        }
    }

    /** On the timer thread: logs in again after the server's wait, unless this connection or its login is over. */
    private void retryLogIn(ServerConnection c, int generation) {
        if (connection == c && autoLogin.retry(generation)) {
            sendLogin(c);
        }
    }

    /**
     * Sends {@code /login NICK PASSWORD}, never shown nor kept; false when it could not go because
     * the connection's charset lacks a character of the password (logging in is then off).
     */
    private boolean sendLogin(ServerConnection c) {
        char[] line = autoLogin.loginLine();
        if (line == null) {
            return false;
        }
        try {
            c.sendSecret(line);
        } catch (CharacterCodingException e) {
            autoLogin.stop();
            note("cannot log in: " + codec.charset().name() + " cannot carry every character of the password;"
                    + " not logging in in this session");
            return false;
        } catch (IOException ignored) {
            // the receiver will see the connection fail
        }
        return true;
    }

    /** Once per logging-in connection: the lines that waited for the login's answer. */
    private void afterLogin(ServerConnection c, Handshake.Target target, String nickNow) {
        if (!owedAfterLogin) {
            return;
        }
        owedAfterLogin = false;
        try {
            for (String line : Handshake.afterLogin(target, nickNow)) {
                c.send(line);
            }
        } catch (IOException ignored) {
            // the receiver will see the connection fail
        }
    }

    /**
     * A refusal may be our nick, still held by the connection we lost: ask again later. A nick
     * refused as registered is taken by logging in, when it is our account and we have its
     * password.
     */
    private void onRefused(ServerConnection c, ServerLine.Error error) {
        NickReclaim.Decision decision = nickReclaim.onError(error.text());
        if (decision instanceof NickReclaim.Decision.RetryAfter retry) {
            note("nickname " + retry.nick() + " is still taken, most likely by the connection we lost until the "
                    + "server notices it is gone; asking again in " + describe(retry.delay()) + " (try "
                    + retry.attempt() + " of " + retry.max() + ")");
            try {
                timers.schedule(() -> askForNickAgain(c, retry.generation()), retry.delay().toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException ended) {
                // the session is over
            }
        } else if (decision instanceof NickReclaim.Decision.GiveUp giveUp) {
            note("giving up on nickname " + giveUp.nick() + "; /nick " + giveUp.nick() + " tries again");
        } else if (decision instanceof NickReclaim.Decision.Registered registered
                && autoLogin.beginLogIn(registered.nick())) {
            note("nickname " + registered.nick() + " is registered; logging in to take it");
            sendLogin(c);
        }
    }

    /** On the timer thread: asks for the nick again, unless it is ours by now or this connection is gone. */
    private void askForNickAgain(ServerConnection c, int generation) {
        nickReclaim.askAgain(generation, state.nick(), nick -> {
            if (connection != c) {
                return;
            }
            try {
                c.send("/nick " + nick);
            } catch (IOException ignored) {
                // the connection thread will see it fail and reconnect
            }
        });
    }

    /** Says why, waits before the next attempt; false when the session ended meanwhile. */
    private boolean waitToRetry(int attempt, String why) {
        Duration delay = backoff.delay(attempt);
        note(why + "; reconnecting in " + describe(delay) + " (attempt " + (attempt + 1) + ")");
        try {
            return !stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS) && !exit.isDone();
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void finish(int status) {
        exit.complete(status);
        Thread console = consoleThread;
        if (console != null) {
            console.interrupt(); // makes readLine throw, so the console thread sees the end
        }
    }

    private void closeConnection() {
        ServerConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    // ---- output, from either thread (JLine's printAbove locks the reader) ----

    private void note(String text) {
        print(renderer.note(text, now()));
    }

    private void print(AttributedString line) {
        if (reader instanceof LineReaderImpl impl) {
            impl.setPrompt(prompt()); // the current room may have changed
        }
        reader.printAbove(line);
    }

    private String prompt() {
        String room = state.currentRoom();
        String text = connection == null ? (everConnected ? "(offline)> " : "(connecting)> ")
                : room == null ? "> " : room + "> ";
        return colour ? new AttributedString(text, AttributedStyle.BOLD).toAnsi(reader.getTerminal()) : text;
    }

    private ZonedDateTime now() {
        return ZonedDateTime.now(clock);
    }

    private static String describe(Duration delay) {
        long millis = delay.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
