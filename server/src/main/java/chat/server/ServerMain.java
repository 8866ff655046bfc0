package chat.server;

import chat.common.ChatCharsets;
import chat.server.core.ChatCore;
import chat.server.irc.IrcOptions;
import chat.server.tls.TlsOptions;
import chat.server.tls.TlsProvider;
import chat.server.net.Limits;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code chat-server} command: parses options, starts a {@link ChatServer}, and shuts it
 * down gracefully on SIGTERM or SIGINT, exiting 0. A bad option exits 2 with a message.
 */
@Command(name = "chat-server", mixinStandardHelpOptions = true, version = "chat-server 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "A multi-client TCP chat server on one selector thread. "
                + "Connect with chat-client, nc or telnet.")
public final class ServerMain implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read options from this file, one per line as NAME = VALUE with the option's name without its "
                    + "dashes (tls-cert = /etc/chat/fullchain.pem); the command line wins over it. SIGHUP reads it "
                    + "again and applies what can change while running (default: none).")
    java.nio.file.Path configFile;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port to listen on (default: ${DEFAULT-VALUE}).")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, all interfaces).")
    String bind = "0.0.0.0";

    @Option(names = "--backlog", paramLabel = "N",
            description = "Connections the kernel may hold before they are accepted; raise it (and "
                    + "net.core.somaxconn) for connection storms (default: ${DEFAULT-VALUE}).")
    int backlog = ServerConfig.DEFAULT_BACKLOG;

    @Option(names = "--io", paramLabel = "KIND", converter = PollerKindConverter.class,
            description = "What the loop waits on: epoll (Linux: a socket costs some 40 bytes of heap, not "
                    + "some 650), nio (the JDK's selector, any platform) or auto, epoll where its library "
                    + "loads (default: auto).")
    chat.server.net.PollerKind io = chat.server.net.PollerKind.AUTO;

    /** auto, epoll, nio, in any case. */
    static final class PollerKindConverter implements picocli.CommandLine.ITypeConverter<chat.server.net.PollerKind> {
        @Override
        public chat.server.net.PollerKind convert(String value) {
            try {
                return chat.server.net.PollerKind.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected auto, epoll or nio, not '" + value + "'");
            }
        }
    }

    @Option(names = "--room", paramLabel = "ROOM", description = "Room new users are put in (default: ${DEFAULT-VALUE}).")
    String room = ServerConfig.DEFAULT_ROOM;

    @Option(names = "--charset", paramLabel = "NAME",
            description = "Charset of a connection until it picks its own (default: ${DEFAULT-VALUE}).")
    String charset = "UTF-8";

    @Option(names = "--max-line", paramLabel = "BYTES",
            description = "Longest line accepted, in bytes, newline excluded (default: ${DEFAULT-VALUE}).")
    int maxLine = Limits.DEFAULT_MAX_LINE_BYTES;

    @Option(names = "--max-pending", paramLabel = "BYTES",
            description = "Bytes queued for a client that does not read before it is disconnected; 0: no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    long maxPending = Limits.DEFAULT_MAX_PENDING_BYTES;

    @Option(names = "--soft-pending", paramLabel = "BYTES",
            description = "Bytes queued for a client that may last at most --soft-pending-seconds; 0: no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    long softPending = Limits.DEFAULT_SOFT_PENDING_BYTES;

    @Option(names = "--soft-pending-seconds", paramLabel = "SECONDS",
            description = "Grace period over --soft-pending (default: ${DEFAULT-VALUE}).")
    int softPendingSeconds = Limits.DEFAULT_SOFT_PENDING_SECONDS;

    @Option(names = "--flood-rate", paramLabel = "LINES_PER_SECOND",
            description = "Lines per second a client may send before reading from it pauses; 0: no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    double floodRate = Limits.DEFAULT_FLOOD_RATE;

    @Option(names = "--flood-burst", paramLabel = "LINES",
            description = "Lines a client may send at once before --flood-rate applies (default: ${DEFAULT-VALUE}).")
    int floodBurst = Limits.DEFAULT_FLOOD_BURST;

    @Option(names = "--max-clients", paramLabel = "N",
            description = "Most clients at once; 0: no limit (default: ${DEFAULT-VALUE}).")
    int maxClients = Limits.DEFAULT_MAX_CLIENTS;

    @Option(names = "--max-per-ip", paramLabel = "N",
            description = "Most connections from one IP address, loopback included; 0: no limit (default: ${DEFAULT-VALUE}).")
    int maxPerIp = Limits.DEFAULT_MAX_PER_ADDRESS;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Disconnect clients silent for this long; 0: never (default: ${DEFAULT-VALUE}).")
    int idleTimeout = Limits.DEFAULT_IDLE_TIMEOUT_SECONDS;

    @Option(names = "--announce-limit", paramLabel = "MEMBERS",
            description = "Largest room in which joins, parts, quits and nick changes are announced "
                    + "(default: ${DEFAULT-VALUE}).")
    int announceLimit = ChatCore.DEFAULT_ANNOUNCE_LIMIT;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS",
            description = "How long shutdown waits for clients to take queued output (default: ${DEFAULT-VALUE}).")
    long shutdownGraceSeconds = ServerConfig.DEFAULT_SHUTDOWN_GRACE.toSeconds();

    @Option(names = "--close-linger", paramLabel = "SECONDS",
            description = "How long a client that quit or closed may take to receive its last lines "
                    + "(default: ${DEFAULT-VALUE}).")
    long closeLingerSeconds = ServerConfig.DEFAULT_CLOSE_LINGER.toSeconds();

    @Option(names = "--irc-port", paramLabel = "PORT",
            description = "Also listen on this port for IRC only, for clients and firewalls that assume 6667 "
                    + "(default: none; IRC is served on --port too).")
    int ircPort = -1;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain (certbot's fullchain.pem): with --tls-key, a connection that starts "
                    + "with a TLS ClientHello is served over TLS, on every port (default: none, no TLS).")
    java.nio.file.Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of --tls-cert (certbot's privkey.pem): PKCS#8, RSA or EC, not encrypted.")
    java.nio.file.Path tlsKey;

    @Option(names = "--tls-port", paramLabel = "PORT",
            description = "Also listen on this port for TLS only; 6697 is the IRC habit (default: none).")
    int tlsPort = -1;

    @Option(names = "--tls-required",
            description = "Refuse plaintext on the main port too, with one line saying why (default: off).")
    boolean tlsRequired;

    @Option(names = "--tls-handshake-timeout", paramLabel = "SECONDS",
            description = "Close a connection whose TLS handshake takes longer (default: ${DEFAULT-VALUE}).")
    int tlsHandshakeTimeout = (int) TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT.toSeconds();

    @Option(names = "--tls-max-handshakes", paramLabel = "N",
            description = "Most TLS handshakes in progress at once; more are refused (default: ${DEFAULT-VALUE}).")
    int tlsMaxHandshakes = TlsOptions.DEFAULT_MAX_HANDSHAKES;

    @Option(names = "--tls-reload-check", paramLabel = "SECONDS",
            description = "How often the certificate and key files are looked at, and reloaded when they changed "
                    + "(certbot renewals); SIGHUP reloads at once; 0: only on SIGHUP (default: ${DEFAULT-VALUE}).")
    int tlsReloadCheck = (int) TlsOptions.DEFAULT_RELOAD_CHECK.toSeconds();

    @Option(names = "--tls-provider", paramLabel = "NAME", converter = TlsProviderConverter.class,
            description = "Whose cryptography serves TLS: openssl (BoringSSL, bundled: about a third of the JDK's "
                    + "CPU per handshake), jdk (the JVM's own), or auto: openssl where its native library loads, "
                    + "jdk elsewhere (default: auto).")
    TlsProvider tlsProvider = TlsProvider.AUTO;

    /** auto, openssl, jdk, in any case. */
    static final class TlsProviderConverter implements picocli.CommandLine.ITypeConverter<TlsProvider> {
        @Override
        public TlsProvider convert(String value) {
            try {
                return TlsProvider.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected auto, openssl or jdk, not '" + value + "'");
            }
        }
    }

    @Option(names = "--max-rooms-per-user", paramLabel = "N",
            description = "Most rooms one user may be in; IRC's CHANLIMIT (default: ${DEFAULT-VALUE}).")
    int maxRoomsPerUser = chat.server.core.ChatCore.DEFAULT_MAX_ROOMS_PER_USER;

    @Option(names = "--max-rooms", paramLabel = "N",
            description = "Most rooms on the server: past it no new room is made, existing ones can still be "
                    + "joined (default: ${DEFAULT-VALUE}).")
    int maxRooms = chat.server.core.ChatCore.DEFAULT_MAX_ROOMS;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where history is kept (an embedded database, made on first start) (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path dataDir = java.nio.file.Path.of(chat.server.history.HistoryOptions.DEFAULT_DATA_DIR);

    @Option(names = "--history-size", paramLabel = "MESSAGES",
            description = "Messages kept per room and per private conversation; 0 turns history off "
                    + "(default: ${DEFAULT-VALUE}).")
    int historySize = chat.server.history.HistoryOptions.DEFAULT_SIZE;

    @Option(names = "--history-days", paramLabel = "DAYS",
            description = "Days a message is kept at most (default: ${DEFAULT-VALUE}).")
    int historyDays = chat.server.history.HistoryOptions.DEFAULT_DAYS;

    @Option(names = "--history-on-join", paramLabel = "MESSAGES",
            description = "Messages replayed to whoever joins a room, native clients (IRC has --irc-history-on-join) "
                    + "(default: ${DEFAULT-VALUE}).")
    int historyOnJoin = chat.server.history.HistoryOptions.DEFAULT_ON_JOIN;

    @Option(names = "--irc-history-on-join", paramLabel = "MESSAGES",
            description = "Messages replayed to an IRC client without draft/chathistory when it joins a channel "
                    + "(default: ${DEFAULT-VALUE}: IRC clients keep their own logs).")
    int ircHistoryOnJoin = chat.server.history.HistoryOptions.DEFAULT_IRC_ON_JOIN;

    @Option(names = "--history-sync", paramLabel = "MILLIS",
            description = "Longest a message waits before it is committed to disk: what a kill -9 may lose "
                    + "(default: ${DEFAULT-VALUE}).")
    long historySync = chat.server.history.HistoryOptions.DEFAULT_SYNC_MILLIS;

    @Option(names = "--history-cache", paramLabel = "MESSAGES",
            description = "Recent messages held in memory for replays without a disk read, over all rooms "
                    + "(default: ${DEFAULT-VALUE}).")
    int historyCache = chat.server.history.HistoryOptions.DEFAULT_CACHED;

    @Option(names = "--no-accounts",
            description = "No accounts: nicks are first come, first served, and /register, /login and SASL are refused.")
    boolean noAccounts;

    @Option(names = "--offline-messages", paramLabel = "N",
            description = "Private messages kept for a registered user who is offline, delivered at their next login "
                    + "(default: ${DEFAULT-VALUE}).")
    int offlineMessages = chat.server.accounts.AccountOptions.DEFAULT_MAX_KEPT;

    @Option(names = "--max-registered-rooms-per-account", paramLabel = "N",
            description = "Registered rooms one account may found with /room register or ChanServ REGISTER "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxRegisteredRooms = chat.server.accounts.AccountOptions.DEFAULT_MAX_ROOMS_PER_FOUNDER;

    @Option(names = "--oper-account", paramLabel = "ACCOUNT", split = "\\s+", hideParamSyntax = true,
            description = "Logging in to this account (/login, SASL, NickServ) makes a server operator, as IRC's OPER "
                    + "does; logging out ends it. May be given several times (in a config file: several, separated by spaces).")
    java.util.List<String> operAccounts = new java.util.ArrayList<>();

    @Option(names = "--require-tls-for-login",
            description = "Refuse passwords (/register, /login, SASL, NickServ) sent over plaintext TCP.")
    boolean requireTlsForLogin;

    @Option(names = "--login-lock-after", paramLabel = "FAILURES",
            description = "Failed logins in a row, per address and per account, that lock them for --login-lock-minutes "
                    + "(default: ${DEFAULT-VALUE}); after the first 3 each failure doubles the wait before the next try.")
    int loginLockAfter = chat.server.auth.LoginThrottle.Policy.DEFAULT.lockAfter();

    @Option(names = "--login-lock-minutes", paramLabel = "MINUTES",
            description = "How long a lock after too many failed logins lasts (default: ${DEFAULT-VALUE}).")
    long loginLockMinutes = java.util.concurrent.TimeUnit.MILLISECONDS.toMinutes(
            chat.server.auth.LoginThrottle.Policy.DEFAULT.lockMillis());

    @Option(names = "--server-name", paramLabel = "NAME",
            description = "The server's name in IRC, the source of its own messages (default: this host's name).")
    String serverName;

    @Option(names = "--network", paramLabel = "NAME",
            description = "The network's name IRC clients are told (default: ${DEFAULT-VALUE}).")
    String network = IrcOptions.DEFAULT_NETWORK;

    @Option(names = "--server-description", paramLabel = "TEXT",
            description = "A few words about the server, in IRC's LINKS and WHOIS (default: ${DEFAULT-VALUE}).")
    String serverDescription = IrcOptions.DEFAULT_DESCRIPTION;

    @Option(names = "--motd", paramLabel = "FILE",
            description = "Message of the day for IRC clients, a UTF-8 text file (default: none).")
    java.nio.file.Path motdFile;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "Server password IRC clients must give with PASS (default: none).")
    String password;

    @Option(names = "--ping-interval", paramLabel = "SECONDS",
            description = "An IRC client silent this long is sent a PING, and disconnected if it stays silent as long "
                    + "again; 0: never (default: ${DEFAULT-VALUE}).")
    int pingInterval = IrcOptions.DEFAULT_PING_INTERVAL_SECONDS;

    @Option(names = "--oper", paramLabel = "NAME:HASH", split = "\\s+", hideParamSyntax = true,
            description = "A server operator for IRC's OPER: its name and password hash (from --hash-password); "
                    + "may be given several times (in a config file: several, separated by spaces).")
    java.util.List<String> opers = new java.util.ArrayList<>();

    @Option(names = "--hash-password",
            description = "Read a password from standard input, print its hash for --oper, and exit.")
    boolean hashPassword;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve the server's figures for Prometheus at http://--metrics-host:PORT/metrics; 0: any free "
                    + "port (default: none, no endpoint).")
    int metricsPort = -1;

    @Option(names = "--metrics-host", paramLabel = "ADDRESS",
            description = "Address of the metrics endpoint; only the operator's scraper needs it "
                    + "(default: ${DEFAULT-VALUE}, this machine only).")
    String metricsHost = chat.server.metrics.MetricsOptions.DEFAULT_HOST;

    @Option(names = "--metrics-jmx",
            description = "Register the server's figures as JMX MBeans too, with or without --metrics-port "
                    + "(default: off).")
    boolean metricsJmx;

    @Option(names = "--no-web",
            description = "Do not serve the web client: HTTP on the chat port is refused, as is the WebSocket "
                    + "(default: served at http://HOST:PORT/).")
    boolean noWeb;

    @Option(names = "--web-origin", paramLabel = "ORIGIN", split = "\\s+", hideParamSyntax = true,
            description = "A page origin allowed to open the chat's WebSocket, such as https://chat.example.org; "
                    + "repeatable; * for any (default: only pages this server served).")
    java.util.List<String> webOrigins = new java.util.ArrayList<>();

    @Option(names = "--web-request-timeout", paramLabel = "SECONDS",
            description = "Seconds an HTTP request may take to arrive, and a kept-alive connection may wait for "
                    + "the next (default: ${DEFAULT-VALUE}).")
    int webRequestTimeoutSeconds = (int) chat.server.web.WebOptions.DEFAULT_REQUEST_TIMEOUT.toSeconds();

    @Option(names = "--cluster", paramLabel = "URI",
            description = "Share the chat with the other nodes using this Redis: redis://HOST:PORT[/DB], or rediss:// "
                    + "for TLS (default: none, a single node).")
    String cluster;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "This node's name in the cluster, unique among its nodes (default: host name and port).")
    String nodeName;

    @Option(names = "--node-timeout", paramLabel = "SECONDS",
            description = "A node silent this long is dropped with its users; cut off from Redis this long, a node "
                    + "drops the others' users (default: ${DEFAULT-VALUE}).")
    long nodeTimeoutSeconds = chat.server.cluster.ClusterOptions.DEFAULT_NODE_TIMEOUT.toSeconds();

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "Log level: ERROR, WARN, INFO, DEBUG or TRACE (default: ${DEFAULT-VALUE}).")
    String logLevel = "INFO";

    /** Exit status after a fatal error on the loop (sysexits' EX_SOFTWARE), for supervisors. */
    static final int EXIT_FATAL = 70;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The command line, kept to be parsed again with the config file on SIGHUP. */
    private String[] args = new String[0];

    /** Runs the command and returns its exit code: 0 after a clean shutdown, 2 for bad usage. */
    static int run(String... args) {
        ServerMain main = new ServerMain();
        main.args = args.clone();
        CommandLine command = new CommandLine(main);
        try {
            withConfigFile(command, args);
        } catch (IllegalArgumentException e) {
            command.getErr().println(e.getMessage());
            command.getErr().println("Try 'chat-server --help' for the options.");
            return 2;
        }
        return command.execute(args);
    }

    /** Gives {@code command} the defaults of the {@code --config} file among {@code args}, when there is one. */
    private static void withConfigFile(CommandLine command, String... args) {
        java.nio.file.Path file = ConfigFile.pathIn(args);
        if (file != null) {
            command.setDefaultValueProvider(ConfigFile.read(file, command.getCommandSpec()));
        }
    }

    /**
     * The configuration that {@code args} and the config file they name give now, for a reload;
     * the files (config, MOTD) are read by the caller's thread.
     *
     * @throws IllegalArgumentException the file or an option is wrong (a {@link CommandLine.ParameterException} for the latter)
     */
    static ServerConfig currentConfig(String... args) {
        ServerMain main = new ServerMain();
        CommandLine command = new CommandLine(main);
        withConfigFile(command, args);
        try {
            command.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        try {
            return main.toConfig();
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Reads the configuration again and hands it to {@code server}; a broken one is logged and changes nothing. */
    private void reload(ChatServer server, Logger log) {
        ServerConfig next;
        try {
            next = currentConfig(args);
        } catch (IllegalArgumentException e) {
            log.error("configuration not reloaded (SIGHUP), the running one stays: {}", e.getMessage());
            server.reloadTls("SIGHUP"); // a renewed certificate is not held back by an unrelated mistake
            return;
        }
        server.reload(next, "SIGHUP");
    }

    @Override
    public Integer call() throws Exception {
        if (hashPassword) {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (line == null || line.strip().isEmpty()) {
                throw bad("--hash-password: give the password on standard input");
            }
            System.out.println(chat.server.auth.PasswordHash.hash(line.strip()));
            return 0;
        }
        ServerConfig config = toConfig();
        // Before the first logger exists, so logback.xml picks the level up.
        System.setProperty("chat.log.level", logLevel.toUpperCase(java.util.Locale.ROOT));
        Logger log = LoggerFactory.getLogger(ServerMain.class);
        var compilers = chat.server.net.CompilerThreads.applyRequested(); // the launcher asks on one CPU
        if (compilers != null && compilers.lowered()) {
            log.info(compilers.description());
        } else if (compilers != null) {
            log.warn(compilers.description());
        }
        String background = chat.server.net.BackgroundThreads.describeRequested(); // likewise
        if (background != null) {
            log.info(background);
        }
        ChatServer server;
        try {
            server = new ChatServer(config);
        } catch (IllegalArgumentException e) { // the TLS files: say which and why
            log.error("cannot start: {}", e.getMessage());
            return 1;
        }
        // Before the listening line, which tells supervisors and scripts the server is up: a
        // SIGHUP sent the moment they see it must find its handler, not the JVM's default exit.
        ShutdownSignals.onTerminate(server::shutdown);
        ShutdownSignals.onHangUp(() -> reload(server, log));
        try {
            server.start();
        } catch (java.io.IOException e) {
            log.error("cannot listen on {}:{}: {}", bind, port, e.getMessage());
            return 1;
        }
        server.awaitStopped(Long.MAX_VALUE, TimeUnit.DAYS);
        int status = exitStatus(server);
        if (status == EXIT_FATAL) {
            log.error("stopped after a fatal error: {}", server.failure().toString());
        } else {
            log.info("stopped");
        }
        return status;
    }

    /** The exit status for a server whose loop has ended: 0, or {@link #EXIT_FATAL} after an Error. */
    static int exitStatus(ChatServer stopped) {
        return stopped.failure() == null ? 0 : EXIT_FATAL;
    }

    private ServerConfig toConfig() {
        if (port < 0 || port > 65535) {
            throw bad("--port must be 0-65535, not " + port);
        }
        if (shutdownGraceSeconds < 0) {
            throw bad("--shutdown-grace must not be negative");
        }
        if (ircPort < -1 || ircPort > 65535 || (ircPort >= 0 && ircPort == port && port != 0)) {
            throw bad("--irc-port must be 0-65535 and not --port, not " + ircPort);
        }
        if (closeLingerSeconds < 0) {
            throw bad("--close-linger must not be negative");
        }
        if (!chat.server.core.Names.isValidName(chat.server.core.Names.bareRoomName(room))) {
            throw bad("--room: invalid room name \"" + room + "\"");
        }
        Charset cs;
        try {
            cs = ChatCharsets.forName(charset);
        } catch (IllegalArgumentException e) {
            throw bad("--charset: " + e.getMessage());
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (java.net.UnknownHostException e) {
            throw bad("--bind: unknown address \"" + bind + "\"");
        }
        Limits limits;
        try {
            limits = new Limits(maxLine, maxPending, softPending, softPendingSeconds, floodRate,
                    floodRate > 0 ? floodBurst : 0, maxClients, maxPerIp, idleTimeout);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (announceLimit < 0) {
            throw bad("--announce-limit must not be negative");
        }
        if (maxRoomsPerUser < 1 || maxRooms < 1) {
            throw bad("--max-rooms-per-user and --max-rooms must be at least 1");
        }
        if (backlog < 1) {
            throw bad("--backlog must be at least 1, not " + backlog);
        }
        return new ServerConfig(address, port, backlog, room, cs, limits, Duration.ofSeconds(shutdownGraceSeconds),
                announceLimit, Duration.ofSeconds(closeLingerSeconds), ircOptions(), ircPort, tlsOptions(),
                historyOptions(), maxRoomsPerUser, maxRooms, accountOptions(), metricsOptions(), webOptions(),
                clusterOptions(), io);
    }

    private chat.server.cluster.ClusterOptions clusterOptions() {
        if (cluster == null) {
            return chat.server.cluster.ClusterOptions.none();
        }
        String name = nodeName != null ? nodeName : defaultNodeName();
        try {
            return new chat.server.cluster.ClusterOptions(java.net.URI.create(cluster), name,
                    Duration.ofSeconds(nodeTimeoutSeconds), chat.server.cluster.ClusterOptions.DEFAULT_MAX_QUEUED);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    /** The host's name and the chat port: unique among nodes on different hosts or ports. */
    private String defaultNodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "-") + ":" + port;
    }

    private chat.server.web.WebOptions webOptions() {
        if (webRequestTimeoutSeconds < 1) {
            throw bad("--web-request-timeout must be at least 1 second");
        }
        try {
            return new chat.server.web.WebOptions(!noWeb, webOrigins, Duration.ofSeconds(webRequestTimeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private chat.server.metrics.MetricsOptions metricsOptions() {
        if (metricsPort >= 0 && metricsPort != 0 && (metricsPort == port || metricsPort == ircPort || metricsPort == tlsPort)) {
            throw bad("--metrics-port must differ from the chat ports");
        }
        try {
            return new chat.server.metrics.MetricsOptions(metricsPort, metricsHost, metricsJmx);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private chat.server.accounts.AccountOptions accountOptions() {
        if (offlineMessages < 0 || maxRegisteredRooms < 0 || loginLockAfter < 1 || loginLockMinutes < 1) {
            throw bad("--offline-messages and --max-registered-rooms-per-account must not be negative, "
                    + "--login-lock-after and --login-lock-minutes at least 1");
        }
        for (String account : operAccounts) {
            if (!chat.server.core.Names.isValidNick(account)) {
                throw bad("--oper-account: \"" + account + "\" is not a nick an account could have");
            }
        }
        chat.server.auth.LoginThrottle.Policy d = chat.server.auth.LoginThrottle.Policy.DEFAULT;
        chat.server.auth.LoginThrottle.Policy throttle = new chat.server.auth.LoginThrottle.Policy(
                Math.min(d.freeFailures(), loginLockAfter - 1), d.firstDelayMillis(),
                Math.min(d.maxDelayMillis(), java.util.concurrent.TimeUnit.MINUTES.toMillis(loginLockMinutes) - 1), loginLockAfter,
                java.util.concurrent.TimeUnit.MINUTES.toMillis(loginLockMinutes), d.maxTracked());
        return new chat.server.accounts.AccountOptions(!noAccounts, dataDir, offlineMessages, requireTlsForLogin, throttle,
                maxRegisteredRooms, new java.util.HashSet<>(operAccounts));
    }

    private chat.server.history.HistoryOptions historyOptions() {
        if (historyDays < 1) {
            throw bad("--history-days must be at least 1, not " + historyDays);
        }
        try {
            return new chat.server.history.HistoryOptions(historySize, java.util.concurrent.TimeUnit.DAYS.toMillis(historyDays),
                    historyOnJoin, ircHistoryOnJoin, historyCache, historySize == 0 ? null : dataDir, historySync);
        } catch (IllegalArgumentException e) {
            throw bad("--history-size, --history-on-join, --irc-history-on-join, --history-cache and --history-sync must not be negative");
        }
    }

    private TlsOptions tlsOptions() {
        if (tlsPort >= 0 && (tlsPort == port || tlsPort == ircPort) && tlsPort != 0) {
            throw bad("--tls-port must differ from --port and --irc-port");
        }
        try {
            return new TlsOptions(tlsCert, tlsKey, tlsPort, tlsRequired, Duration.ofSeconds(tlsHandshakeTimeout),
                    tlsMaxHandshakes, Duration.ofSeconds(tlsReloadCheck), tlsProvider);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private IrcOptions ircOptions() {
        java.util.List<String> motd = java.util.List.of();
        if (motdFile != null) {
            try {
                motd = java.nio.file.Files.readAllLines(motdFile, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw bad("--motd: cannot read " + motdFile + ": " + e.getMessage());
            }
        }
        java.util.Map<String, String> operators = new java.util.HashMap<>();
        for (String oper : opers) {
            int colon = oper.indexOf(':');
            if (colon <= 0 || !chat.server.auth.PasswordHash.isHash(oper.substring(colon + 1))) {
                throw bad("--oper: give NAME:HASH, the hash from --hash-password, not \"" + oper + "\"");
            }
            operators.put(oper.substring(0, colon), oper.substring(colon + 1));
        }
        try {
            return new IrcOptions(serverName == null ? IrcOptions.localHostName() : serverName, network, serverDescription, motd,
                    password, operators, pingInterval);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
