package chat.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options every mode shares: which server, how it speaks, where connections come from. A picocli
 * mixin; the checks live here so each mode gets them the same way.
 */
final class Target {

    @Option(names = "--host", paramLabel = "HOST", description = "Server address, in 127.0.0.0/8 only (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT[,PORT...]", required = true, split = ",",
            description = "Server port. fanout and idle take several, comma-separated (the nodes of a cluster): "
                    + "receivers and idle connections go to them round-robin, senders and the announcer to the first.")
    List<Integer> ports;

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

    @Option(names = "--server-pid", paramLabel = "PID[,PID...]", split = ",",
            description = "The server's process id, to report its CPU time and memory (default: none). fanout and idle "
                    + "take several, comma-separated (a cluster's nodes, its Redis): CPU and memory for each; "
                    + "the first is the server of the single-figure fields.")
    List<Long> serverPids = List.of();

    @Option(names = "--label", paramLabel = "TEXT", description = "A name for this run in the RESULT line (default: the protocol).")
    String label;

    @Option(names = "--tls", description = "Speak TLS 1.3, taking any certificate: the target is loopback (see --tls-ca).")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Speak TLS and require the server's chain to lead to this CA certificate (PEM); implies --tls.")
    java.nio.file.Path tlsCa;

    @Option(names = "--tls-provider", paramLabel = "NAME",
            description = "The TLS client's cryptography: openssl (BoringSSL, bundled: a fraction of the JDK's CPU per "
                    + "handshake, so the generator is not what bounds a handshake rate) or jdk (the JVM's own); "
                    + "default: openssl where its native library loads, jdk elsewhere.")
    String tlsProvider;

    /** The connections' TLS, made once per run; null for plaintext. */
    private ClientTls clientTls;

    /** The one server of a mode that talks to one; refuses a list of ports. */
    InetSocketAddress address() {
        if (ports.size() != 1) {
            throw new IllegalArgumentException("this mode takes one --port, not " + ports.size());
        }
        return addresses().get(0);
    }

    /** Every server of the run, in the order given: the first gets the senders. */
    List<InetSocketAddress> addresses() {
        InetAddress loopback = LoopbackGuard.requireLoopback(host);
        List<InetSocketAddress> all = new ArrayList<>(ports.size());
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--port must be 1-65535, not " + port);
            }
            all.add(new InetSocketAddress(loopback, port));
        }
        return all;
    }

    /**
     * Which of {@code servers} servers the {@code i}th connection of a role spread over all of them
     * (receivers, idle connections) goes to: round-robin, so server k holds connections k,
     * k + servers, k + 2 servers... and the counts differ by one at most.
     */
    static int serverOf(int i, int servers) {
        if (i < 0 || servers < 1) {
            throw new IllegalArgumentException("no server for connection " + i + " of " + servers + " servers");
        }
        return i % servers;
    }

    /** The first --server-pid, or 0 when none was given. */
    long serverPid() {
        return serverPids.isEmpty() ? 0 : serverPids.get(0);
    }

    /** Every --server-pid, in the order given; empty when none was given. */
    long[] serverPidList() {
        long[] pids = new long[serverPids.size()];
        for (int i = 0; i < pids.length; i++) {
            if (serverPids.get(i) < 1) {
                throw new IllegalArgumentException("--server-pid must be positive, not " + serverPids.get(i));
            }
            pids[i] = serverPids.get(i);
        }
        return pids;
    }

    Protocol protocol() {
        return switch (protocol.toLowerCase(java.util.Locale.ROOT)) {
            case "native" -> Protocol.NATIVE;
            case "resp", "redis" -> Protocol.RESP;
            case "irc" -> Protocol.IRC;
            default -> throw new IllegalArgumentException("--protocol must be native, resp or irc, not " + protocol);
        };
    }

    /** The run's TLS, or null when it speaks plaintext; {@link #close} lets it go. */
    ClientTls tls() {
        if (clientTls == null && (tls || tlsCa != null)) {
            ClientTls.Provider provider = tlsProvider();
            clientTls = tlsCa != null ? ClientTls.trusting(tlsCa, provider) : ClientTls.trustingAnyCertificate(provider);
        }
        return clientTls;
    }

    /** {@code --tls-provider}, or the default here: BoringSSL where it loads, else the JDK's. */
    ClientTls.Provider tlsProvider() {
        return tlsProvider == null ? ClientTls.Provider.defaultHere() : ClientTls.Provider.parse(tlsProvider);
    }

    /** Releases the run's TLS context (BoringSSL's native one), once the run's connections are closed. */
    void close() {
        if (clientTls != null) {
            clientTls.close();
            clientTls = null;
        }
    }

    /** " over TLS (openssl client (BoringSSL), trusting any certificate)", or "" for plaintext: for the report's first line. */
    String tlsSummary() {
        ClientTls run = tls();
        return run == null ? "" : " over TLS (" + run.describe() + ")";
    }

    /** "tls" or "plain", for the reports. */
    String transport() {
        return tls || tlsCa != null ? "tls" : "plain";
    }

    String label() {
        return label != null ? label : protocol.toLowerCase(java.util.Locale.ROOT);
    }
}
