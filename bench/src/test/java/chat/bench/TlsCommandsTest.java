package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.ChatServer;
import chat.server.ServerConfig;
import chat.server.net.Limits;
import chat.server.tls.TestCertificates;
import chat.server.tls.TlsOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every mode of the generator over TLS against a real server on 127.0.0.1, which serves TLS and
 * plaintext on one port: each connection's handshake is driven by the generator's loop, and
 * every message, connection and broadcast is accounted for. The generator's client is the
 * JDK's here ({@code --tls-provider jdk}); {@link OpenSslTlsCommandsTest} runs every test on
 * BoringSSL's.
 */
class TlsCommandsTest {

    static {
        ClientTls.trustingAnyCertificate(ClientTls.Provider.JDK); // its key exchange groups before the JDK's TLS classes load
    }

    private static final TestCertificates.Issued CA = TestCertificates.ca("CN=Bench Test CA");
    private static final TestCertificates.Issued SERVER = TestCertificates.server(CA, "EC");

    private ChatServer server;

    /** {@code --tls-provider} for every run; a subclass runs every test on the other provider. */
    String provider() {
        return "jdk";
    }
    private Path caFile;

    @BeforeEach
    void startServer(@TempDir Path dir) throws Exception {
        Path chain = TestCertificates.writeChain(dir.resolve("fullchain.pem"), SERVER.certificate(), CA.certificate());
        Path key = TestCertificates.writePkcs8Key(dir.resolve("privkey.pem"), SERVER.keys().getPrivate());
        caFile = TestCertificates.writeChain(dir.resolve("ca.pem"), CA.certificate());
        // The handshake run opens more connections from 127.0.0.1 than the default allows per address.
        ServerConfig config = ServerConfig.loopbackEphemeral()
                .withLimits(Limits.defaults().withConnections(Limits.DEFAULT_MAX_CLIENTS, 0))
                .withTls(TlsOptions.withFiles(chain, key));
        server = new ChatServer(config).start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.close();
    }

    /** Runs {@code command} with {@code --port} and {@code args}; returns its exit code and RESULT fields. */
    private Map<String, String> run(Callable<Integer> command, String... args) {
        String name = command.getClass().getAnnotation(picocli.CommandLine.Command.class).name();
        Map<String, String> result = BenchOutput.run(BenchOutput.join(
                new String[] {name, "--port", Integer.toString(server.port()), "--tls-provider", provider()}, args));
        result.get("output").lines().filter(l -> l.startsWith("TLS: ")).findFirst()
                .ifPresent(l -> result.put("negotiated", l.substring(5)));
        return result;
    }

    @Test
    void fanoutOverTlsTrustingTheCaLosesNothing() {
        Map<String, String> result = run(new FanoutCommand(), "--tls-ca", caFile.toString(),
                "--receivers", "10", "--senders", "1", "--window", "5", "--warmup", "0.1", "--duration", "0.5");
        assertThat(result.get("exit")).isEqualTo("0");
        assertThat(result.get("transport")).isEqualTo("tls");
        assertThat(result.get("output")).contains("over TLS (" + provider() + " client").contains("trusting the CA in");
        assertThat(result.get("negotiated")).startsWith("TLSv1.3");
        assertThat(result.get("lost")).isEqualTo("0");
        assertThat(result.get("connections_lost")).isEqualTo("0");
        assertThat(Long.parseLong(result.get("sent"))).isPositive();
    }

    @Test
    void fixedRateSendersMoveToTheirOwnLoopWithTheirTls() {
        // 10 messages/s: under the server's default flood limit. The senders' TLS moves loops.
        Map<String, String> result = run(new FanoutCommand(), "--tls", "--receivers", "5", "--senders", "2",
                "--rate", "10", "--warmup", "0.2", "--duration", "1");
        assertThat(result.get("exit")).isEqualTo("0");
        assertThat(result.get("lost")).isEqualTo("0");
        assertThat(Long.parseLong(result.get("sent"))).isPositive();
    }

    @Test
    void everyHandshakeIsAnsweredAndCounted() {
        Map<String, String> result = run(new HandshakeCommand(), "--tls", "--connections", "40",
                "--warmup-connections", "10", "--max-connecting", "8");
        assertThat(result.get("exit")).isEqualTo("0");
        assertThat(result.get("gen_tls")).isEqualTo(provider());
        assertThat(result.get("output")).contains("over TLS (" + provider() + " client");
        assertThat(result.get("connections")).isEqualTo("40");
        assertThat(result.get("connections_lost")).isEqualTo("0");
        assertThat(Double.parseDouble(result.get("per_s"))).isPositive();
        // The first answer comes after the handshake, never before.
        assertThat(Double.parseDouble(result.get("answer_max_us")))
                .isGreaterThanOrEqualTo(Double.parseDouble(result.get("hs_p50_us")));
    }

    @Test
    void plaintextConnectsAreCountedTheSameWay() {
        Map<String, String> result = run(new HandshakeCommand(), "--connections", "20", "--warmup-connections", "0");
        assertThat(result.get("exit")).isEqualTo("0");
        assertThat(result.get("transport")).isEqualTo("plain");
        assertThat(result.get("gen_tls")).isEqualTo("none");
        assertThat(result.get("connections")).isEqualTo("20");
    }

    @Test
    void anUnknownProviderIsAUsageError() {
        Map<String, String> result = BenchOutput.run("handshake", "--port", Integer.toString(server.port()), "--tls",
                "--tls-provider", "nss", "--connections", "1", "--warmup-connections", "0");
        assertThat(result.get("exit")).isEqualTo("2");
    }

    @Test
    void idleTlsClientsAllEnterAndHearTheBroadcast() {
        Map<String, String> result = run(new IdleCommand(), "--tls", "--connections", "30", "--room-size", "10",
                "--settle", "0");
        assertThat(result.get("exit")).isEqualTo("0");
        assertThat(result.get("transport")).isEqualTo("tls");
        assertThat(result.get("broadcast_reached")).isEqualTo("30");
        assertThat(result.get("connections_lost")).isEqualTo("0");
    }
}
