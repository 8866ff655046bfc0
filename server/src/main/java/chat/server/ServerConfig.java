package chat.server;

import chat.server.core.ChatCore;
import chat.server.irc.IrcOptions;
import chat.server.tls.TlsOptions;
import chat.server.net.Limits;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Everything a {@link ChatServer} is configured with; the command line fills it in, tests build
 * it directly.
 *
 * @param bindAddress address to listen on
 * @param port TCP port, 0 for any free one
 * @param backlog connections the kernel may hold before the server accepts them
 * @param defaultRoom the room new users are put in
 * @param charset charset of a connection until it says otherwise
 * @param limits line length, output queue, flood and connection limits
 * @param shutdownGrace how long shutdown waits for clients to take their queued output
 * @param announceLimit largest room in which joins, parts, quits and nick changes are announced
 * @param closeLinger how long a connection that quit, or that its peer closed, may take to
 *     receive its last queued output
 * @param irc how the server presents itself to IRC clients
 * @param ircPort a second port that speaks IRC only, 0 for any free one, -1 for none
 * @param tls certificate, TLS-only port and handshake limits; {@link TlsOptions#none()} for none
 * @param history how much is kept, replayed, and where
 * @param maxRoomsPerUser most rooms one user may be in ({@code --max-rooms-per-user})
 * @param maxRooms most rooms on the server ({@code --max-rooms})
 * @param accounts registered nicks, logins and the messages kept for absent owners
 * @param metrics whether and where the server's figures are exported ({@code --metrics-port})
 * @param web the web client on the chat port: on or off, allowed origins, request timeout
 * @param cluster the Redis this node shares the chat through, its name, its timeout; none by default
 * @param io what the loop waits on: epoll where it loads, else the JDK's selector ({@code --io})
 */
public record ServerConfig(
        InetAddress bindAddress,
        int port,
        int backlog,
        String defaultRoom,
        Charset charset,
        Limits limits,
        Duration shutdownGrace,
        int announceLimit,
        Duration closeLinger,
        IrcOptions irc,
        int ircPort,
        TlsOptions tls,
        chat.server.history.HistoryOptions history,
        int maxRoomsPerUser,
        int maxRooms,
        chat.server.accounts.AccountOptions accounts,
        chat.server.metrics.MetricsOptions metrics,
        chat.server.web.WebOptions web,
        chat.server.cluster.ClusterOptions cluster,
        chat.server.net.PollerKind io) {

    public ServerConfig {
        if (maxRoomsPerUser < 1 || maxRooms < 1) {
            throw new IllegalArgumentException("--max-rooms-per-user and --max-rooms must be at least 1");
        }
        if (ircPort < -1 || ircPort > 65535) {
            throw new IllegalArgumentException("IRC port out of range: " + ircPort);
        }
    }


    public static final int DEFAULT_PORT = 7788;
    /**
     * Connections the kernel may hold before we accept them. A restart brings every client back
     * at once, and a join is announced to the room, so accepting can fall behind; with 128,
     * 18,000 clients took 23 s to get in (dropped SYNs are retried after a second), with 1,024
     * 10 s (docs/benchmarks.md, "Connection setup"). The kernel caps it at net.core.somaxconn
     * (4,096 on current kernels).
     */
    /**
     * The listen backlog: what the kernel holds while the loop does not accept, in a collection
     * pause of the JVM's (up to ~200 ms in the lean heap while it grows) as in a storm. The kernel
     * caps it at {@code net.core.somaxconn}, 4096 on current kernels.
     */
    public static final int DEFAULT_BACKLOG = 4096;
    public static final String DEFAULT_ROOM = "#lobby";
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /**
     * A quitting client is sent its last lines ({@code -- bye}) before the socket closes; one
     * that does not read them in this time is not waited for. Every lingering connection holds
     * its session in memory, so this is short and apart from the shutdown grace.
     */
    public static final Duration DEFAULT_CLOSE_LINGER = Duration.ofSeconds(2);

    /** Defaults, listening on the loopback address and an ephemeral port: what tests want. */
    public static ServerConfig loopbackEphemeral() {
        return new ServerConfig(InetAddress.getLoopbackAddress(), 0, DEFAULT_BACKLOG, DEFAULT_ROOM, StandardCharsets.UTF_8,
                Limits.defaults(), DEFAULT_SHUTDOWN_GRACE, ChatCore.DEFAULT_ANNOUNCE_LIMIT, DEFAULT_CLOSE_LINGER,
                IrcOptions.defaults(), -1, TlsOptions.none(),
                chat.server.history.HistoryOptions.inMemory(), ChatCore.DEFAULT_MAX_ROOMS_PER_USER, ChatCore.DEFAULT_MAX_ROOMS,
                chat.server.accounts.AccountOptions.inMemory(),
                chat.server.metrics.MetricsOptions.none(), chat.server.web.WebOptions.defaults(),
                chat.server.cluster.ClusterOptions.none(), chat.server.net.PollerKind.AUTO);
    }

    /** The same, listening on {@code newPort}. */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bindAddress, newPort, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit, closeLinger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, newLimits, shutdownGrace, announceLimit, closeLinger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withMaxLineBytes(int bytes) {
        return withLimits(limits.withMaxLineBytes(bytes));
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, grace, announceLimit, closeLinger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withCloseLinger(Duration linger) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                linger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withIrc(IrcOptions options) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                closeLinger, options, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withIrcPort(int port) {
        return new ServerConfig(bindAddress, this.port, backlog, defaultRoom, charset, limits, shutdownGrace,
                announceLimit, closeLinger, irc, port, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withTls(TlsOptions options) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                closeLinger, irc, ircPort, options, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withAnnounceLimit(int members) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, members, closeLinger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withHistory(chat.server.history.HistoryOptions options) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                closeLinger, irc, ircPort, tls, options, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withRoomLimits(int perUser, int total) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                closeLinger, irc, ircPort, tls, history, perUser, total, accounts, metrics, web, cluster, io);
    }

    public ServerConfig withMetrics(chat.server.metrics.MetricsOptions options) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                closeLinger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, options, web, cluster, io);
    }

    public ServerConfig withWeb(chat.server.web.WebOptions options) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                closeLinger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, options, cluster, io);
    }

    public ServerConfig withAccounts(chat.server.accounts.AccountOptions options) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                closeLinger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, options, metrics, web, cluster, io);
    }

    public ServerConfig withCluster(chat.server.cluster.ClusterOptions options) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                closeLinger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, options, io);
    }

    /** The same, the loop waiting on a poller of {@code kind}. */
    public ServerConfig withIo(chat.server.net.PollerKind kind) {
        return new ServerConfig(bindAddress, port, backlog, defaultRoom, charset, limits, shutdownGrace, announceLimit,
                closeLinger, irc, ircPort, tls, history, maxRoomsPerUser, maxRooms, accounts, metrics, web, cluster, kind);
    }
}
