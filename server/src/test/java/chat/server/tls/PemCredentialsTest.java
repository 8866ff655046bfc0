package chat.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PemCredentialsTest {

    private static final TestCertificates.Issued CA = TestCertificates.ca("CN=Test CA");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} key, {1}")
    @CsvSource({"EC, PKCS#8", "EC, traditional", "RSA, PKCS#8", "RSA, traditional"})
    void readsEveryKeyFormAndTheWholeChain(String algorithm, String form) {
        TestCertificates.Issued server = TestCertificates.server(CA, algorithm);
        Path chain = TestCertificates.writeChain(dir.resolve("fullchain.pem"), server.certificate(), CA.certificate());
        Path key = form.equals("PKCS#8")
                ? TestCertificates.writePkcs8Key(dir.resolve("privkey.pem"), server.keys().getPrivate())
                : TestCertificates.writeTraditionalKey(dir.resolve("privkey.pem"), server.keys().getPrivate());

        PemCredentials credentials = PemCredentials.load(chain, key);

        assertThat(credentials.chain()).containsExactly(server.certificate(), CA.certificate());
        SSLEngine engine = credentials.serverContext().createSSLEngine();
        engine.setUseClientMode(false);
        assertThat(engine.getSupportedProtocols()).contains("TLSv1.3", "TLSv1.2");
    }

    @Test
    void readsWhatOpensslWritesInItsTraditionalAndPkcs8Forms() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path key = dir.resolve("rsa.pem");
        Path cert = dir.resolve("cert.pem");
        openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        openssl("req", "-x509", "-key", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost");
        assertThat(PemCredentials.load(cert, key).chain()).hasSize(1);

        Path ecKey = dir.resolve("ec.pem");
        Path ecCert = dir.resolve("ec-cert.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                ecKey.toString(), "-out", ecCert.toString(), "-days", "1", "-subj", "/CN=localhost");
        assertThat(Files.readString(ecKey)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PemCredentials.load(ecCert, ecKey).chain()).hasSize(1);
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheFiles() {
        TestCertificates.Issued server = TestCertificates.server(CA, "EC");
        TestCertificates.Issued other = TestCertificates.server(CA, "EC");
        Path chain = TestCertificates.writeChain(dir.resolve("fullchain.pem"), server.certificate());
        Path key = TestCertificates.writePkcs8Key(dir.resolve("privkey.pem"), other.keys().getPrivate());
        assertThatThrownBy(() -> PemCredentials.load(chain, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("privkey.pem").hasMessageContaining("does not belong");
    }

    @Test
    void aKeyOfAnotherKindIsRefusedToo() {
        TestCertificates.Issued server = TestCertificates.server(CA, "EC");
        TestCertificates.Issued rsa = TestCertificates.server(CA, "RSA");
        Path chain = TestCertificates.writeChain(dir.resolve("fullchain.pem"), server.certificate());
        Path key = TestCertificates.writePkcs8Key(dir.resolve("privkey.pem"), rsa.keys().getPrivate());
        assertThatThrownBy(() -> PemCredentials.load(chain, key)).hasMessageContaining("does not belong");
    }

    @Test
    void filesWithoutWhatTheyShouldHoldAreRefusedSayingWhatWasExpected() throws IOException {
        TestCertificates.Issued server = TestCertificates.server(CA, "EC");
        Path chain = TestCertificates.writeChain(dir.resolve("fullchain.pem"), server.certificate());
        Path key = TestCertificates.writePkcs8Key(dir.resolve("privkey.pem"), server.keys().getPrivate());
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");

        assertThatThrownBy(() -> PemCredentials.load(key, key)).hasMessageContaining("privkey.pem");
        assertThatThrownBy(() -> PemCredentials.load(empty, key)).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> PemCredentials.load(chain, empty)).hasMessageContaining("no private key");
        assertThatThrownBy(() -> PemCredentials.load(chain, chain)).hasMessageContaining("no private key");
        assertThatThrownBy(() -> PemCredentials.load(dir.resolve("missing.pem"), key))
                .hasMessageContaining("missing.pem").hasMessageContaining("cannot read");
    }

    @Test
    void anEncryptedKeyIsRefusedWithWhatToDo() throws IOException {
        TestCertificates.Issued server = TestCertificates.server(CA, "EC");
        Path chain = TestCertificates.writeChain(dir.resolve("fullchain.pem"), server.certificate());
        Path encrypted = Files.writeString(dir.resolve("enc.pem"), """
                -----BEGIN ENCRYPTED PRIVATE KEY-----
                MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAiHq8AhTdGCXwICCAAw
                DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEIbn3tyEf8JZ89HMcS5ryHEEgZDK
                8Y1dqoEqTfGDjPuxrBeYvBZ2Jn0Jm2eJ6Cfb5URZqFl6rn8yxvrpXK7d8g0lvKZY
                4yVK3jhPp6cEYi9qmBRC7TIbwPi/A7Q2OYr5Gs9yqQHzTpj5S7m1ucNHmpyQJ3re
                WQRg2jxvdAfiazBoUbp6dfhgPtn+vXWRtIY1PjwDFM6SgKD0nD5mnLAHcOWSEZs=
                -----END ENCRYPTED PRIVATE KEY-----
                """);
        assertThatThrownBy(() -> PemCredentials.load(chain, encrypted)).hasMessageContaining("encrypted");
    }
}
