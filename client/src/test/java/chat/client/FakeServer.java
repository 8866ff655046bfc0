package chat.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny line server on 127.0.0.1 that speaks enough of the chat grammar for client tests: a
 * welcome and a join of {@code #lobby} on connect, and answers to {@code /charset}, {@code /nick}, {@code /part},
 * {@code /join}, {@code /who} and {@code /quit}. Made {@link #withIds}, it also answers
 * {@code /ids on} and then sends the client's room lines back to it with ids ({@code @f1 [#lobby]
 * alice: hi}); the test answers {@code /resume} itself, in the order it wants.
 * Without, it ignores {@code /ids}, as a server from before ids. Given {@link #account accounts}, it
 * answers {@code /login} and {@code /identify} as the server does and refuses an account's nick
 * to whoever is not logged in to it; without any, it answers them as a server from before
 * accounts. Everything a client sends is recorded per
 * connection. It can go away (closing every connection) and come back on the same port, which is
 * what reconnect tests need. Every thread it starts ends on {@link #close}.
 */
final class FakeServer implements AutoCloseable {

    private static final long WAIT_SECONDS = 10;

    private final int port;
    private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();
    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    /** How many more /nick requests to refuse as taken, as the server does while another connection holds it. */
    private final AtomicInteger nickRefusals = new AtomicInteger();
    /** True when /ids on is answered and followed. */
    private final boolean ids;
    /** The last message id given, for every connection. */
    private final AtomicInteger lastId = new AtomicInteger();
    /** Password by lower-cased account name. */
    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    /** How many more logins to refuse as too many failed ones. */
    private final AtomicInteger loginRefusals = new AtomicInteger();

    FakeServer() throws IOException {
        this(false);
    }

    private FakeServer(boolean ids) throws IOException {
        this.ids = ids;
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = first.getLocalPort();
        listen(first);
    }

    /** A server that knows /ids and /resume. */
    static FakeServer withIds() throws IOException {
        return new FakeServer(true);
    }

    /** A new message id, as the server gives them: letters and digits. */
    String nextId() {
        return "f" + lastId.incrementAndGet();
    }

    int port() {
        return port;
    }

    /** The next connection accepted, waiting for it. */
    Peer nextPeer() throws InterruptedException {
        Peer peer = accepted.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (peer == null) {
            throw new AssertionError("no client connected within " + WAIT_SECONDS + " s");
        }
        return peer;
    }

    /** Stops listening and drops every connection, as a crashed server would. */
    void goAway() throws IOException {
        listener.close();
        peers.forEach(Peer::close);
    }

    /** Listens again on the same port. */
    void comeBack() throws IOException {
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listen(again);
    }

    @Override
    public void close() throws Exception {
        goAway();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        start("fake-server-accept", () -> {
            try {
                while (true) {
                    Peer peer = new Peer(this, socket.accept(), "guest" + (peers.size() + 1));
                    peers.add(peer);
                    start("fake-server-peer", peer::serve);
                    accepted.add(peer);
                }
            } catch (IOException closed) {
                // the listener was closed: stop accepting
            }
        });
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Registers {@code nick} with {@code password}. */
    void account(String nick, String password) {
        accounts.put(nick.toLowerCase(Locale.ROOT), password);
    }

    /** Refuses the next {@code times} logins, on any connection, as too many failed ones. */
    void refuseLoginsAsTooMany(int times) {
        loginRefusals.set(times);
    }

    /** Refuses the next {@code times} /nick requests, on any connection, as taken. */
    void refuseNicks(int times) {
        nickRefusals.set(times);
    }

    /** One client connection as the server sees it. */
    static final class Peer {
        private final FakeServer server;
        private final Socket socket;
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        /** How many {@code /ready} lines the client sent; they are not in {@link #received}. */
        volatile int readies;
        private volatile String nick;
        /** Where the client's plain lines go. */
        private volatile String room = "#lobby";
        /** True once the client asked for ids, on a server that knows them. */
        private volatile boolean ids;
        private volatile boolean ended;
        /** The account this connection is logged in to, or null. */
        private volatile String account;

        Peer(FakeServer server, Socket socket, String nick) {
            this.server = server;
            this.socket = socket;
            this.nick = nick;
        }

        /** The next line the client sent, waiting for it. */
        String nextLine() throws InterruptedException {
            String line = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the client sent no line within " + WAIT_SECONDS + " s");
            }
            return line;
        }

        /** The lines the client sent until {@code last}, that one included, waiting for them. */
        List<String> linesUntil(String last) throws InterruptedException {
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = nextLine();
                lines.add(line);
            } while (!line.equals(last));
            return lines;
        }

        /** Skips lines until {@code expected} comes; fails if it does not. */
        void awaitLine(String expected) throws InterruptedException {
            while (!nextLine().equals(expected)) {
                // not this one yet
            }
        }

        /** True once the client closed its side or we closed the connection. */
        boolean ended() {
            return ended;
        }

        synchronized void send(String line) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new AssertionError("cannot send to the client", e);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        private void serve() {
            send("-- welcome " + nick + "; /help lists the commands");
            send("[#lobby] -- " + nick + " joined");
            // The reader is not closed on its own: that would close the socket before ended is
            // set, and a client that sees the close could find the connection not yet ended.
            try {
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals(Handshake.READY)) {
                        // The end of the setup lines, which a real server answers with nothing.
                        // ChatStateTest checks that each handshake ends with it; the session tests
                        // follow what the client says besides.
                        readies++;
                        continue;
                    }
                    received.add(line);
                    if (!answer(line)) {
                        break;
                    }
                }
            } catch (IOException | AssertionError e) {
                // the connection was dropped
            } finally {
                ended = true;
                close();
            }
        }

        /** Answers a command the way the real server does; false once the connection should end. */
        private boolean answer(String line) {
            String[] parts = line.split(" ", 2);
            String arg = parts.length > 1 ? parts[1].strip() : "";
            switch (parts[0]) {
                case "/charset" -> send("-- charset is now " + arg);
                case "/nick" -> {
                    if (server.nickRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        send("! nickname \"" + arg + "\" is taken");
                    } else if (server.accounts.containsKey(key(arg)) && !key(arg).equals(key(account))) {
                        send("! nickname \"" + arg + "\" is registered: /login " + arg + " PASSWORD if it is yours");
                    } else {
                        send("-- " + nick + " is now known as " + arg);
                        nick = arg;
                    }
                }
                case "/join" -> join(arg);
                case "/login", "/identify" -> logIn(parts[0], arg);
                case "/logout" -> {
                    account = null;
                    send("-- logged out");
                }
                case "/ids" -> {
                    if (server.ids) {
                        ids = arg.equals("on");
                        send("-- ids " + arg);
                    }
                }
                case "/me" -> maybeEcho("[" + room + "] * " + nick + " " + arg);
                case "/part" -> send("[" + arg + "] -- " + nick + " left");
                case "/who" -> send("-- " + arg + " (2): " + nick + " bob");
                case "/quit", "/exit" -> {
                    send("-- bye");
                    return false;
                }
                default -> {
                    if (!line.startsWith("/") || line.startsWith("//")) {
                        maybeEcho("[" + room + "] " + nick + ": " + (line.startsWith("//") ? line.substring(1) : line));
                    }
                }
            }
            return true;
        }

        private void logIn(String command, String arg) {
            if (server.accounts.isEmpty()) {
                send("! unknown command \"" + command + "\"; /help lists the commands");
                return;
            }
            String[] words = arg.split(" ", 2);
            String name = words[0];
            String expected = server.accounts.get(key(name));
            if (server.loginRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send("! too many failed logins: try again in 0 s");
            } else if (expected == null) {
                send("! no account " + name + "; /register PASSWORD registers your nick");
            } else if (words.length < 2 || !expected.equals(words[1])) {
                send("! wrong password for " + name);
            } else {
                account = name;
                send("-- logged in as " + name);
                if (!nick.equals(name)) {
                    send("-- " + nick + " is now known as " + name);
                    nick = name;
                }
            }
        }

        private static String key(String name) {
            return name == null ? null : name.toLowerCase(Locale.ROOT);
        }

        private void join(String name) {
            room = name.startsWith("#") ? name : "#" + name;
            send("[" + room + "] -- " + nick + " joined");
            send("-- now talking in " + room);
        }

        /** With ids on, the client's own room line comes back to it, as the others get it, with an id. */
        private void maybeEcho(String line) {
            if (ids) {
                send("@" + server.nextId() + " " + line);
            }
        }
    }
}
