package chat.server;

import chat.common.TextCodec;
import chat.server.auth.PasswordChecker;
import chat.server.core.ChatCore;
import chat.server.irc.IrcDialect;
import chat.server.irc.IrcOptions;
import chat.server.net.CloseReason;
import chat.server.net.EventLoop;
import chat.server.net.TcpOptions;
import chat.server.net.TcpServer;
import chat.server.text.LineDialect;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat server: one {@link EventLoop} on its own thread, a {@link TcpServer} on it, the
 * {@link ChatCore}, and the dialects between them: the native {@link LineDialect} and IRC.
 *
 * <p>{@link #start}, {@link #shutdown} and {@link #close} may be called from any thread; the
 * rest happens on the loop thread.
 */
public final class ChatServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

    /** Most bytes written to one connection per loop iteration (fairness between clients). */
    private static final long MAX_WRITE_BYTES_PER_ITERATION = 256 * 1024;

    private final ServerConfig config;
    private final EventLoop loop = new EventLoop();
    private final ChatCore core;
    private final LineDialect dialect;
    private final TcpServer tcp;
    /** The IRC-only listener ({@code --irc-port}); null when there is none. */
    private final TcpServer ircTcp;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** Checks operator passwords off the loop; null when none is configured. */
    private final PasswordChecker operators;
    private Thread thread;
    private boolean shuttingDown;

    public ChatServer(ServerConfig config) {
        this.config = config;
        this.core = new ChatCore(config.defaultRoom(), config.announceLimit());
        this.dialect = new LineDialect(core, new TextCodec(config.charset()), config.limits().maxLineBytes());
        TcpOptions tcpOptions = new TcpOptions(config.bindAddress(), config.port(), config.backlog(), config.limits(),
                MAX_WRITE_BYTES_PER_ITERATION, config.closeLinger().toMillis(), config.shutdownGrace().toMillis());
        IrcOptions irc = config.irc();
        this.operators = irc.operators().isEmpty() ? null : new PasswordChecker(irc.operators(), loop);
        IrcDialect ircDialect = new IrcDialect(core, irc, operators);
        this.tcp = new TcpServer(loop, tcpOptions, new ServerDialects(dialect, ircDialect));
        this.ircTcp = config.ircPort() < 0 ? null : new TcpServer(loop, new TcpOptions(config.bindAddress(),
                config.ircPort(), config.backlog(), config.limits(), MAX_WRITE_BYTES_PER_ITERATION,
                config.closeLinger().toMillis(), config.shutdownGrace().toMillis()), ServerDialects.ircOnly(ircDialect));
    }

    /** Binds the port and starts the loop thread; returns once clients can connect. */
    public synchronized ChatServer start() throws IOException {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        tcp.bind();
        if (ircTcp != null) {
            ircTcp.bind();
        }
        thread = new Thread(this::runLoop, "chat-loop");
        thread.start();
        log.info("chat server listening on {}:{} (room {}, charset {})",
                config.bindAddress().getHostAddress(), tcp.port(), core.defaultRoom(), config.charset().name());
        if (ircTcp != null) {
            log.info("IRC only on {}:{}", config.bindAddress().getHostAddress(), ircTcp.port());
        }
        return this;
    }

    private void runLoop() {
        try {
            loop.run();
        } finally {
            if (operators != null) {
                operators.close();
            }
            stopped.complete(null);
        }
    }

    /** The IRC-only port, or -1 when there is none. */
    public int ircPort() {
        return ircTcp == null ? -1 : ircTcp.port();
    }

    /** The port clients connect to. */
    public int port() {
        return tcp.port();
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Begins a graceful shutdown: stop accepting, tell every client, let them take what is
     * queued (at most the configured grace), close everything, end the loop. Returns at once;
     * see {@link #awaitStopped}.
     */
    public void shutdown() {
        loop.execute(this::beginShutdown);
    }

    private void beginShutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        log.info("shutting down: {} connection(s) open; since start {} line(s) encoded, {} unencodable "
                + "character(s) replaced, {} flood pause(s)", tcp.connectionCount(), dialect.encodings(),
                dialect.unmappableCharacters(), tcp.floodPauses());
        tcp.stopAccepting();
        if (ircTcp != null) {
            ircTcp.stopAccepting();
        }
        core.noticeAll("server shutting down");
        if (ircTcp == null) {
            tcp.closeAll(CloseReason.SHUTDOWN, loop::stop);
        } else {
            // Both close at once; the loop ends when the last connection of either is closed.
            int[] listenersLeft = {2};
            Runnable oneClosed = () -> {
                if (--listenersLeft[0] == 0) {
                    loop.stop();
                }
            };
            tcp.closeAll(CloseReason.SHUTDOWN, oneClosed);
            ircTcp.closeAll(CloseReason.SHUTDOWN, oneClosed);
        }
        // Lingering connections close themselves after the grace; this is the backstop.
        loop.schedule(config.shutdownGrace().toMillis() + 1000, () -> {
            tcp.closeAllNow();
            if (ircTcp != null) {
                ircTcp.closeAllNow();
            }
            loop.stop();
        });
    }

    /**
     * Stops at once: no notice, no flushing, every socket closed now, the loop ended. What a
     * crash looks like to clients; for tests and for an operator's last resort. Returns at once.
     */
    public void stopNow() {
        loop.execute(() -> {
            shuttingDown = true;
            tcp.stopAccepting();
            tcp.closeAllNow();
            if (ircTcp != null) {
                ircTcp.stopAccepting();
                ircTcp.closeAllNow();
            }
            if (ircTcp != null) {
                ircTcp.closeAllNow();
            }
            loop.stop();
        });
    }

    /**
     * The Error that stopped the loop (out of memory, a bug that overflowed the stack), or null
     * when it stopped, or runs, normally. The process should then exit non-zero.
     */
    public Throwable failure() {
        return loop.failure();
    }

    /** Waits for the loop to end after {@link #shutdown}, or after a fatal error. */
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            stopped.get(timeout, unit);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Shuts down and waits for the loop to end. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            if (thread == null) {
                return;
            }
        }
        shutdown();
        if (!awaitStopped(config.shutdownGrace().toMillis() + 5000, TimeUnit.MILLISECONDS)) {
            log.warn("the event loop did not stop in time");
        }
    }

    /** Runs {@code task} on the loop thread; for tests and for operators' hooks. */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    /** The native dialect, for its counters. Read them on the loop thread. */
    public LineDialect dialect() {
        return dialect;
    }

    /** The chat core. Loop thread only. */
    public ChatCore core() {
        return core;
    }

    /** Times flood control paused reading from a client. Loop thread only. */
    public long floodPauses() {
        return tcp.floodPauses();
    }

    /** Open connections. Loop thread only. */
    public int connectionCount() {
        return tcp.connectionCount();
    }

    /** Bytes queued in the server for all clients and not yet written. Loop thread only. */
    public long pendingOutputBytes() {
        return tcp.pendingBytes();
    }
}
