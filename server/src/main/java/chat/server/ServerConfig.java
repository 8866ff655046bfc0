package chat.server;

import java.net.InetAddress;
import java.nio.charset.Charset;
import java.time.Duration;

/**
 * Everything a {@link ChatServer} is configured with; the command line fills it in, tests build
 * it directly.
 *
 * @param bindAddress address to listen on
 * @param port TCP port, 0 for any free one
 * @param defaultRoom the room new users are put in
 * @param charset charset of a connection until it says otherwise
 * @param maxLineBytes longest line accepted, in bytes on the wire, newline excluded
 * @param shutdownGrace how long shutdown waits for clients to take their queued output
 */
public record ServerConfig(
        InetAddress bindAddress,
        int port,
        String defaultRoom,
        Charset charset,
        int maxLineBytes,
        Duration shutdownGrace) {

    public static final int DEFAULT_PORT = 7788;
    public static final String DEFAULT_ROOM = "#lobby";
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    /** Defaults, listening on the loopback address and an ephemeral port: what tests want. */
    public static ServerConfig loopbackEphemeral() {
        return new ServerConfig(InetAddress.getLoopbackAddress(), 0, DEFAULT_ROOM,
                java.nio.charset.StandardCharsets.UTF_8, DEFAULT_MAX_LINE_BYTES, DEFAULT_SHUTDOWN_GRACE);
    }

    public ServerConfig withMaxLineBytes(int bytes) {
        return new ServerConfig(bindAddress, port, defaultRoom, charset, bytes, shutdownGrace);
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new ServerConfig(bindAddress, port, defaultRoom, charset, maxLineBytes, grace);
    }
}
