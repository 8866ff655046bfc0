package chat.bench;

import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/**
 * Options every mode shares: which server, how it speaks, where connections come from. A picocli
 * mixin; the checks live here so each mode gets them the same way.
 */
final class Target {

    @Option(names = "--host", paramLabel = "HOST", description = "Server address, in 127.0.0.0/8 only (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", required = true, description = "Server port.")
    int port;

    @Option(names = "--protocol", paramLabel = "NAME",
            description = "native (this project's line dialect), resp (Redis pub/sub) or irc (default: ${DEFAULT-VALUE}).")
    String protocol = "native";

    @Option(names = "--source-ips", paramLabel = "N",
            description = "Bind connections round-robin to 127.0.0.1..127.0.0.N; 0 picks one address per "
                    + SourceAddresses.CONNECTIONS_PER_ADDRESS + " connections (default: ${DEFAULT-VALUE}).")
    int sourceIps;

    @Option(names = "--max-connecting", paramLabel = "N",
            description = "Connects in flight at once, below the server's accept backlog (default: ${DEFAULT-VALUE}).")
    int maxConnecting = 100;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "The server's process id, to report its CPU time and memory (default: none).")
    long serverPid;

    @Option(names = "--label", paramLabel = "TEXT", description = "A name for this run in the RESULT line (default: the protocol).")
    String label;

    @Option(names = "--tls", description = "Speak TLS 1.3, taking any certificate: the target is loopback (see --tls-ca).")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Speak TLS and require the server's chain to lead to this CA certificate (PEM); implies --tls.")
    java.nio.file.Path tlsCa;

    /** The connections' TLS, made once per run; null for plaintext. */
    private ClientTls clientTls;

    InetSocketAddress address() {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be 1-65535, not " + port);
        }
        return new InetSocketAddress(LoopbackGuard.requireLoopback(host), port);
    }

    Protocol protocol() {
        return switch (protocol.toLowerCase(java.util.Locale.ROOT)) {
            case "native" -> Protocol.NATIVE;
            case "resp", "redis" -> Protocol.RESP;
            case "irc" -> Protocol.IRC;
            default -> throw new IllegalArgumentException("--protocol must be native, resp or irc, not " + protocol);
        };
    }

    /** The run's TLS, or null when it speaks plaintext. */
    ClientTls tls() {
        if (clientTls == null && (tls || tlsCa != null)) {
            clientTls = tlsCa != null ? ClientTls.trusting(tlsCa) : ClientTls.trustingAnyCertificate();
        }
        return clientTls;
    }

    /** "tls" or "plain", for the reports. */
    String transport() {
        return tls || tlsCa != null ? "tls" : "plain";
    }

    String label() {
        return label != null ? label : protocol.toLowerCase(java.util.Locale.ROOT);
    }
}
