package chat.server;

import chat.common.TextCodec;
import chat.server.auth.PasswordChecker;
import chat.server.core.ChatCore;
import chat.server.irc.IrcDialect;
import chat.server.irc.IrcOptions;
import chat.server.history.History;
import chat.server.history.HistoryOptions;
import chat.server.net.CloseReason;
import chat.server.net.EventLoop;
import chat.server.net.TcpOptions;
import chat.server.net.TcpServer;
import chat.server.net.TlsContext;
import chat.server.tls.CertificateReloader;
import chat.server.tls.PemCredentials;
import chat.server.tls.TlsOptions;
import chat.server.tls.TlsProvider;
import chat.server.text.LineDialect;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat server: one {@link EventLoop} on its own thread, its listeners on it (the chat port,
 * and the IRC-only and TLS-only ports when configured), the {@link ChatCore}, and the dialects
 * between them: the native {@link LineDialect} and IRC, over plain TCP or TLS.
 *
 * <p>{@link #start}, {@link #shutdown} and {@link #close} may be called from any thread; the
 * rest happens on the loop thread.
 */
public final class ChatServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

    /** Most bytes written to one connection per loop iteration (fairness between clients). */
    private static final long MAX_WRITE_BYTES_PER_ITERATION = 256 * 1024;

    /** The configuration in effect: the one started with, then what each reload changed. Written on the loop. */
    private volatile ServerConfig config;
    private final EventLoop loop;
    private final ChatCore core;
    private final LineDialect dialect;
    private final IrcDialect ircDialect;
    /** The chat port. */
    private final TcpServer tcp;
    /** The IRC-only listener ({@code --irc-port}); null when there is none. */
    private final TcpServer ircTcp;
    /** The TLS-only listener ({@code --tls-port}); null when there is none. */
    private final TcpServer tlsTcp;
    /** Every listener: the chat port first. */
    private final List<TcpServer> listeners = new ArrayList<>();
    /** TLS for every listener; null without a certificate. */
    private final TlsContext tls;
    /** Reloads the certificate on SIGHUP and when its files change; null without one. */
    private final CertificateReloader tlsReloader;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** Checks operator passwords off the loop; holds no thread until the first check. */
    private final PasswordChecker operators;
    /** What was said: in memory, and in the store when there is one. */
    private final History history;
    /** The embedded database and what writes to it; null when history is off or kept in memory only. */
    private chat.server.history.HistoryStore historyStore;
    private chat.server.history.HistoryWriter historyWriter;
    /** Registered nicks and logins; null when accounts are off. */
    private final chat.server.accounts.Accounts accounts;
    /** Copies the loop's figures into snapshots, for the stats command and the metrics export. */
    private final chat.server.metrics.StatsRecorder stats;
    /** This server as a node of a cluster ({@code --cluster}); null for a single node (the default). */
    private final chat.server.cluster.ClusterNode cluster;
    /** The metrics export; null when it is off (the default). */
    private chat.server.metrics.Metrics metrics;
    private Thread thread;
    private boolean shuttingDown;

    public ChatServer(ServerConfig config) {
        this.config = config;
        this.loop = new EventLoop(config.io());
        this.core = new ChatCore(config.defaultRoom(), config.announceLimit());
        core.roomLimits(config.maxRoomsPerUser(), config.maxRooms());
        // Joins of one iteration go to a room's members together, before any listener writes
        // (this hook is the loop's first): a storm of clients entering costs each member one
        // write per iteration, not one per joiner.
        core.gatherJoins();
        loop.addIterationEndHook(core::announceGatheredJoins);
        this.history = openHistory(config.history());
        core.messageLog(history);
        this.dialect = new LineDialect(core, new TextCodec(config.charset()), config.limits().maxLineBytes(), history);
        TcpOptions tcpOptions = new TcpOptions(config.bindAddress(), config.port(), config.backlog(), config.limits(),
                MAX_WRITE_BYTES_PER_ITERATION, config.closeLinger().toMillis(), config.shutdownGrace().toMillis());
        IrcOptions irc = config.irc();
        // Made even with no operator configured: a reload may add the first.
        this.operators = new PasswordChecker(irc.operators(), loop);
        this.ircDialect = new IrcDialect(core, irc, operators, history);
        this.accounts = openAccounts(config.accounts());
        if (accounts != null) {
            core.accounts(accounts);
            core.roomRegistry(accounts.rooms());
            dialect.accounts(accounts);
            ircDialect.accounts(accounts);
        }
        TlsOptions tlsOptions = config.tls();
        this.tls = tlsOptions.enabled() ? new TlsContext(
                PemCredentials.load(tlsOptions.certificate(), tlsOptions.key()).engines(tlsOptions.provider()),
                tlsOptions.maxHandshakes(), tlsOptions.handshakeTimeout().toMillis()) : null;
        this.tlsReloader = tls == null ? null : new CertificateReloader(tlsOptions.certificate(), tlsOptions.key(),
                tlsOptions.provider(), next -> loop.execute(() -> tls.reload(next)));
        chat.server.web.WebProtocol web = config.web().enabled()
                ? new chat.server.web.WebProtocol(config.web(), chat.server.web.WebFiles.bundled(), ircDialect) : null;
        this.tcp = new TcpServer(loop, tcpOptions, new ServerDialects(dialect, ircDialect, web), tls, tlsOptions.required());
        listeners.add(tcp);
        this.ircTcp = config.ircPort() < 0 ? null
                : new TcpServer(loop, onPort(config, config.ircPort()), ServerDialects.ircOnly(ircDialect), tls, false);
        this.tlsTcp = tlsOptions.port() < 0 ? null
                : new TcpServer(loop, onPort(config, tlsOptions.port()), new ServerDialects(dialect, ircDialect, web), tls, true);
        for (TcpServer extra : new TcpServer[] {ircTcp, tlsTcp}) {
            if (extra != null) {
                listeners.add(extra);
            }
        }
        this.cluster = config.cluster().enabled() ? new chat.server.cluster.ClusterNode(core, loop, config.cluster()) : null;
        if (cluster != null && accounts != null) {
            cluster.accounts(accounts);
        }
        if (cluster != null) {
            history.savesOnly(cluster::gaveId); // each node saves what its own users said
        }
        this.stats = new chat.server.metrics.StatsRecorder(loop, listeners, core, historyWriter, System::currentTimeMillis);
        dialect.stats(stats::sampleNow);
        dialect.operators(operators);
        ircDialect.stats(stats::sampleNow);
    }

    /**
     * History in the embedded store under {@code --data-dir}, or in memory only when the store
     * cannot be opened (said at ERROR: chat goes on), or off. Blocks on the disk: called before
     * the loop runs.
     */
    private History openHistory(HistoryOptions options) {
        if (options.enabled() && config.cluster().enabled()) {
            return openSharedHistory(options);
        }
        if (!options.enabled() || options.dataDir() == null) {
            return new History(options, loop, core::epochMillis);
        }
        try {
            historyStore = chat.server.history.SqliteHistoryStore.open(options.dataDir(), options.size());
            core.continueMessageIdsAfter(historyStore.lastId());
        } catch (chat.server.history.HistoryException e) {
            log.error("history: {}; history is kept in memory only until the next start", e.getMessage());
            if (historyStore != null) {
                historyStore.close();
                historyStore = null;
            }
            return new History(options, loop, core::epochMillis);
        }
        historyWriter = new chat.server.history.HistoryWriter(historyStore, new chat.server.history.HistoryWriter.Options(
                HistoryOptions.MAX_QUEUED, options.syncMillis(), options.size(), options.retentionMillis(),
                HistoryOptions.PRUNE_INTERVAL_MILLIS), System::currentTimeMillis);
        log.info("history: {} messages per room for {} days in {}", options.size(),
                TimeUnit.MILLISECONDS.toDays(options.retentionMillis()), options.dataDir().toAbsolutePath());
        return new History(options, historyStore, historyWriter, loop, core::epochMillis);
    }

    /**
     * A cluster node's history: on the cluster's Redis, which every node writes and reads, so a
     * node started later, or one that was cut off, reads what was said meanwhile. A Redis down at
     * start is no reason not to start: the store connects when first used.
     */
    private History openSharedHistory(HistoryOptions options) {
        historyStore = new chat.server.cluster.RedisHistoryStore(config.cluster());
        try {
            core.continueMessageIdsAfter(historyStore.lastId());
        } catch (chat.server.history.HistoryException e) {
            log.warn("history: {}; ids go on from the clock", e.getMessage());
        }
        historyWriter = new chat.server.history.HistoryWriter(historyStore, new chat.server.history.HistoryWriter.Options(
                HistoryOptions.MAX_QUEUED, options.syncMillis(), options.size(), options.retentionMillis(),
                HistoryOptions.PRUNE_INTERVAL_MILLIS), System::currentTimeMillis);
        log.info("history: {} messages per room for {} days on the cluster's Redis", options.size(),
                TimeUnit.MILLISECONDS.toDays(options.retentionMillis()));
        return new History(options, historyStore, historyWriter, loop, core::epochMillis);
    }

    /**
     * Accounts in the embedded store under {@code --data-dir}, or in memory only when there is no
     * directory or the store cannot be opened (said at ERROR: they would be lost at the next
     * stop), or none. Blocks on the disk: called before the loop runs.
     */
    private chat.server.accounts.Accounts openAccounts(chat.server.accounts.AccountOptions options) {
        if (!options.enabled()) {
            return null;
        }
        chat.server.accounts.AccountStore store;
        if (config.cluster().enabled()) {
            store = new chat.server.cluster.RedisAccountStore(config.cluster()); // shared by every node
        } else if (options.dataDir() == null) {
            store = new chat.server.accounts.MemoryAccountStore();
        } else {
            try {
                store = chat.server.accounts.SqliteAccountStore.open(options.dataDir());
            } catch (chat.server.accounts.AccountStoreException e) {
                log.error("accounts: {}; accounts are kept in memory only until the next start", e.getMessage());
                store = new chat.server.accounts.MemoryAccountStore();
            }
        }
        try {
            chat.server.accounts.Accounts opened = new chat.server.accounts.Accounts(options, store, loop,
                    System::currentTimeMillis);
            log.info("accounts: {} registered, {} rooms registered{}", opened.count(), opened.rooms().count(),
                    config.cluster().enabled() ? " on the cluster's Redis"
                    : options.dataDir() == null ? ", kept in memory only" : " in " + options.dataDir().toAbsolutePath());
            return opened;
        } catch (chat.server.accounts.AccountStoreException e) {
            if (config.cluster().enabled()) {
                log.warn("accounts: {}; read from the cluster's Redis once it answers", e.getMessage());
                return chat.server.accounts.Accounts.loadedLater(options, store, loop, System::currentTimeMillis);
            }
            store.close();
            throw new IllegalStateException("accounts: " + e.getMessage(), e);
        }
    }

    private static TcpOptions onPort(ServerConfig config, int port) {
        return new TcpOptions(config.bindAddress(), port, config.backlog(), config.limits(), MAX_WRITE_BYTES_PER_ITERATION,
                config.closeLinger().toMillis(), config.shutdownGrace().toMillis());
    }

    /** Binds the port and starts the loop thread; returns once clients can connect. */
    public synchronized ChatServer start() throws IOException {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        for (TcpServer listener : listeners) {
            listener.bind();
        }
        if (tlsReloader != null) {
            tlsReloader.checkEvery(config.tls().reloadCheck().toSeconds());
        }
        if (config.metrics().enabled()) {
            metrics = chat.server.metrics.Metrics.start(config.metrics(), stats, loop);
        }
        thread = new Thread(this::runLoop, "chat-loop");
        thread.start();
        if (cluster != null) {
            loop.execute(cluster::start);
            log.info("cluster: node {} of the chat shared through {}", config.cluster().nodeName(), config.cluster().redis());
        }
        String host = config.bindAddress().getHostAddress();
        log.info("chat server listening on {}:{} (room {}, charset {}, {}, {})", host, tcp.port(), core.defaultRoom(),
                config.charset().name(), tls == null ? "no TLS" : config.tls().required() ? "TLS only" : "TLS or plaintext",
                loop.pollerName());
        if (ircTcp != null) {
            log.info("IRC only on {}:{}", host, ircTcp.port());
        }
        if (tlsTcp != null) {
            log.info("TLS only on {}:{}", host, tlsTcp.port());
        }
        if (tls != null) {
            String whyNot = config.tls().provider() == TlsProvider.AUTO ? TlsProvider.whyNotOpenSsl() : null;
            log.info("TLS on {}{}", tls.provider(), whyNot == null ? "" : " (BoringSSL does not load here: " + whyNot + ")");
        }
        if (metrics != null) {
            log.info("metrics: {}{}", metrics.port() < 0 ? "no endpoint"
                    : "http://" + config.metrics().host() + ":" + metrics.port() + "/metrics",
                    config.metrics().jmx() ? ", and JMX" : "");
        }
        return this;
    }

    private void runLoop() {
        try {
            loop.run();
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            if (cluster != null) {
                cluster.close(); // after a stop without shutdown: the link closes, the other nodes time this one out
            }
            if (operators != null) {
                operators.close();
            }
            if (accounts != null) {
                accounts.close(); // stores what waits: a kept message is not lost
            }
            history.close();
            if (historyWriter != null) {
                historyWriter.close(); // commits what waits: a SIGTERM loses nothing said
                historyStore.close();
            }
            if (tls != null) {
                tlsReloader.close();
                tls.shutdown();
            }
            stopped.complete(null);
        }
    }

    /** The IRC-only port, or -1 when there is none. */
    public int ircPort() {
        return ircTcp == null ? -1 : ircTcp.port();
    }

    /**
     * Reloads the TLS certificate and key from their files, off the loop; new handshakes use them
     * once loaded, sessions already made keep theirs. Does nothing without TLS. Any thread.
     */
    public void reloadTls(String why) {
        if (tlsReloader != null) {
            tlsReloader.reloadSoon(why);
        }
    }

    /**
     * Applies what of {@code next} can change while the server runs, and logs each change; what
     * takes a restart is logged as such and keeps its running value. Reloadable: the limits
     * (all but the line length, which the codecs are built with; connections open keep the flood
     * bucket they were given, the other limits apply to them at once), the MOTD, the server
     * password, the operators (by password and by account), the room limits; and the TLS certificate and key files are read
     * again (their paths take a restart). Any thread: the change happens on the loop.
     */
    public void reload(ServerConfig next, String why) {
        loop.execute(() -> applyReload(next, why));
        reloadTls(why);
    }

    private void applyReload(ServerConfig next, String why) {
        ServerConfig running = config;
        List<ConfigChanges.Change> applied = new ArrayList<>();
        List<ConfigChanges.Change> needRestart = new ArrayList<>();
        for (ConfigChanges.Change change : ConfigChanges.between(running, next)) {
            (isReloadable(change.path()) ? applied : needRestart).add(change);
        }
        chat.server.net.Limits limits = next.limits().withMaxLineBytes(running.limits().maxLineBytes());
        for (TcpServer listener : listeners) {
            listener.limits(limits);
        }
        core.roomLimits(next.maxRoomsPerUser(), next.maxRooms());
        IrcOptions irc = running.irc();
        IrcOptions reloadedIrc = new IrcOptions(irc.serverName(), irc.network(), irc.description(), next.irc().motd(),
                next.irc().password(), next.irc().operators(), irc.pingIntervalSeconds());
        ircDialect.reload(reloadedIrc);
        operators.replaceOperators(reloadedIrc.operators());
        chat.server.accounts.AccountOptions accountOptions = running.accounts();
        if (accounts != null && !accountOptions.operatorAccounts().equals(next.accounts().operatorAccounts())) {
            accounts.replaceServerOperators(next.accounts().operatorAccounts());
            accountOptions = new chat.server.accounts.AccountOptions(accountOptions.enabled(), accountOptions.dataDir(),
                    accountOptions.maxKept(), accountOptions.requireTls(), accountOptions.throttle(),
                    accountOptions.maxRoomsPerFounder(), next.accounts().operatorAccounts());
        }
        config = new ServerConfig(running.bindAddress(), running.port(), running.backlog(), running.defaultRoom(),
                running.charset(), limits, running.shutdownGrace(), running.announceLimit(), running.closeLinger(),
                reloadedIrc, running.ircPort(), running.tls(), running.history(), next.maxRoomsPerUser(), next.maxRooms(),
                accountOptions, running.metrics(), running.web(), running.cluster(), running.io());
        log.info("configuration reloaded ({}): {}", why, applied.isEmpty() ? "nothing changed" : describe(applied));
        if (!needRestart.isEmpty()) {
            log.warn("configuration ({}): not applied until a restart, the running values stay: {}", why, describe(needRestart));
        }
    }

    /** Whether a change at {@code path} (as {@link ConfigChanges} names it) is applied by a reload. */
    static boolean isReloadable(String path) {
        return (path.startsWith("limits.") && !path.equals("limits.maxLineBytes"))
                || path.equals("irc.motd") || path.equals("irc.password") || path.equals("irc.operators")
                || path.equals("maxRoomsPerUser") || path.equals("maxRooms") || path.equals("accounts.operatorAccounts");
    }

    private static String describe(List<ConfigChanges.Change> changes) {
        StringBuilder text = new StringBuilder();
        for (ConfigChanges.Change change : changes) {
            text.append(text.length() == 0 ? "" : ", ").append(change);
        }
        return text.toString();
    }

    /** The metrics endpoint's port, or -1 when there is none. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** The latest published figures, or null before the first (or with metrics off). Any thread. */
    public chat.server.metrics.ServerStats latestStats() {
        return stats.latest();
    }

    /** The figures now. Loop thread only. */
    public chat.server.metrics.ServerStats statsNow() {
        return stats.sampleNow();
    }

    /** The TLS-only port, or -1 when there is none. */
    public int tlsPort() {
        return tlsTcp == null ? -1 : tlsTcp.port();
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
                + "character(s) replaced, {} flood pause(s)", connectionCount(), dialect.encodings(),
                dialect.unmappableCharacters(), floodPauses());
        for (TcpServer listener : listeners) {
            listener.stopAccepting();
        }
        core.noticeAll("server shutting down");
        if (cluster != null) {
            cluster.stop(); // the other nodes drop this node's users now rather than after the timeout
        }
        // All close at once; the loop ends when the last connection of the last one is closed.
        int[] listenersLeft = {listeners.size()};
        Runnable oneClosed = () -> {
            if (--listenersLeft[0] == 0) {
                loop.stop();
            }
        };
        for (TcpServer listener : listeners) {
            listener.closeAll(CloseReason.SHUTDOWN, oneClosed);
        }
        // Lingering connections close themselves after the grace; this is the backstop.
        loop.schedule(config.shutdownGrace().toMillis() + 1000, () -> {
            for (TcpServer listener : listeners) {
                listener.closeAllNow();
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
            for (TcpServer listener : listeners) {
                listener.stopAccepting();
                listener.closeAllNow();
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
    /** This server as a cluster node, or null for a single node. */
    public chat.server.cluster.ClusterNode cluster() {
        return cluster;
    }

    public ChatCore core() {
        return core;
    }

    /** Times flood control paused reading from a client. Loop thread only. */
    public long floodPauses() {
        return listeners.stream().mapToLong(TcpServer::floodPauses).sum();
    }

    /** Open connections, on every listener. Loop thread only. */
    public int connectionCount() {
        return listeners.stream().mapToInt(TcpServer::connectionCount).sum();
    }

    /** Bytes queued in the server for all clients and not yet written. Loop thread only. */
    public long pendingOutputBytes() {
        return listeners.stream().mapToLong(TcpServer::pendingBytes).sum();
    }
}
