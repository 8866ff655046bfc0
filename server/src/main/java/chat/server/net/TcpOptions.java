package chat.server.net;

import java.net.InetAddress;

/**
 * How a {@link TcpServer} listens and the per-connection bounds it enforces.
 *
 * @param bindAddress address to listen on
 * @param port TCP port, 0 for any free one
 * @param backlog connections the kernel may hold for us before we accept them (capped by the
 *     kernel's {@code net.core.somaxconn})
 * @param limits per-connection and per-server bounds
 * @param maxWriteBytesPerIteration most bytes written to one connection per loop iteration, so
 *     one connection with a large backlog cannot starve the others
 * @param closeLingerMillis how long a connection closing on its own (quit, the peer's close) may
 *     take to accept its last queued bytes
 * @param shutdownLingerMillis the same at shutdown: the shutdown grace
 */
public record TcpOptions(
        InetAddress bindAddress,
        int port,
        int backlog,
        Limits limits,
        long maxWriteBytesPerIteration,
        long closeLingerMillis,
        long shutdownLingerMillis) {

    public TcpOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        if (maxWriteBytesPerIteration < 1 || closeLingerMillis < 0 || shutdownLingerMillis < 0) {
            throw new IllegalArgumentException("bad write budget or linger time");
        }
    }
}
