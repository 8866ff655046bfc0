package chat.server;

import chat.common.ChatCharsets;
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

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port to listen on (default: ${DEFAULT-VALUE}).")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, all interfaces).")
    String bind = "0.0.0.0";

    @Option(names = "--room", paramLabel = "ROOM", description = "Room new users are put in (default: ${DEFAULT-VALUE}).")
    String room = ServerConfig.DEFAULT_ROOM;

    @Option(names = "--charset", paramLabel = "NAME",
            description = "Charset of a connection until it picks its own (default: ${DEFAULT-VALUE}).")
    String charset = "UTF-8";

    @Option(names = "--max-line", paramLabel = "BYTES",
            description = "Longest line accepted, in bytes, newline excluded (default: ${DEFAULT-VALUE}).")
    int maxLine = ServerConfig.DEFAULT_MAX_LINE_BYTES;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS",
            description = "How long shutdown waits for clients to take queued output (default: ${DEFAULT-VALUE}).")
    long shutdownGraceSeconds = ServerConfig.DEFAULT_SHUTDOWN_GRACE.toSeconds();

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "Log level: ERROR, WARN, INFO, DEBUG or TRACE (default: ${DEFAULT-VALUE}).")
    String logLevel = "INFO";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code: 0 after a clean shutdown, 2 for bad usage. */
    static int run(String... args) {
        return new CommandLine(new ServerMain()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = toConfig();
        // Before the first logger exists, so logback.xml picks the level up.
        System.setProperty("chat.log.level", logLevel.toUpperCase(java.util.Locale.ROOT));
        Logger log = LoggerFactory.getLogger(ServerMain.class);
        ChatServer server = new ChatServer(config);
        try {
            server.start();
        } catch (java.io.IOException e) {
            log.error("cannot listen on {}:{}: {}", bind, port, e.getMessage());
            return 1;
        }
        ShutdownSignals.onTerminate(server::shutdown);
        server.awaitStopped(Long.MAX_VALUE, TimeUnit.DAYS);
        log.info("stopped");
        return 0;
    }

    private ServerConfig toConfig() {
        if (port < 0 || port > 65535) {
            throw bad("--port must be 0-65535, not " + port);
        }
        if (maxLine < 1) {
            throw bad("--max-line must be at least 1, not " + maxLine);
        }
        if (shutdownGraceSeconds < 0) {
            throw bad("--shutdown-grace must not be negative");
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
        return new ServerConfig(address, port, room, cs, maxLine, Duration.ofSeconds(shutdownGraceSeconds));
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
