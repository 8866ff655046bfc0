package chat.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class CertificateReloaderTest {

    private static final TestCertificates.Issued CA = TestCertificates.ca("CN=Test CA");

    @TempDir
    Path dir;

    private final List<chat.server.net.TlsEngines> installed = new ArrayList<>();

    private Path chain() {
        return dir.resolve("fullchain.pem");
    }

    private Path key() {
        return dir.resolve("privkey.pem");
    }

    private void write(TestCertificates.Issued server, Instant when) throws IOException {
        TestCertificates.writeChain(chain(), server.certificate(), CA.certificate());
        TestCertificates.writePkcs8Key(key(), server.keys().getPrivate());
        Files.setLastModifiedTime(chain(), FileTime.from(when));
        Files.setLastModifiedTime(key(), FileTime.from(when));
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void unchangedFilesAreNotReloadedAndChangedOnesAre(TlsProvider provider) throws IOException {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        write(TestCertificates.server(CA, "EC"), start);
        try (CertificateReloader reloader = new CertificateReloader(chain(), key(), provider, installed::add)) {
            assertThat(reloader.reloadIfChanged()).isFalse();
            write(TestCertificates.server(CA, "RSA"), start.plusSeconds(60));
            assertThat(reloader.reloadIfChanged()).isTrue();
            assertThat(installed).hasSize(1);
            assertThat(installed.get(0).provider()).startsWith(provider == TlsProvider.JDK ? "JDK" : "OpenSSL");
            installed.get(0).retire();
            assertThat(reloader.reloadIfChanged()).as("seen already").isFalse();
        }
    }

    @Test
    void aPairThatDoesNotLoadIsRefusedAndTriedAgainWhenItChanges() throws IOException {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        TestCertificates.Issued first = TestCertificates.server(CA, "EC");
        write(first, start);
        try (CertificateReloader reloader = new CertificateReloader(chain(), key(), TlsProvider.JDK, installed::add)) {
            // A renewal caught half way: the new certificate, the old key.
            TestCertificates.Issued renewed = TestCertificates.server(CA, "EC");
            TestCertificates.writeChain(chain(), renewed.certificate(), CA.certificate());
            Files.setLastModifiedTime(chain(), FileTime.from(start.plusSeconds(60)));
            assertThat(reloader.reloadIfChanged()).isFalse();
            assertThat(installed).isEmpty();
            assertThat(reloader.reloadIfChanged()).as("not retried until a file changes again").isFalse();

            TestCertificates.writePkcs8Key(key(), renewed.keys().getPrivate());
            Files.setLastModifiedTime(key(), FileTime.from(start.plusSeconds(61)));
            assertThat(reloader.reloadIfChanged()).isTrue();
            assertThat(installed).hasSize(1);
        }
    }

    @Test
    void anAskedReloadHappensWhateverTheTimesAndAMissingFileIsRefused() throws IOException {
        write(TestCertificates.server(CA, "EC"), Instant.parse("2026-01-01T00:00:00Z"));
        try (CertificateReloader reloader = new CertificateReloader(chain(), key(), TlsProvider.JDK, installed::add)) {
            assertThat(reloader.reload("SIGHUP")).isTrue();
            Files.delete(key());
            assertThat(reloader.reload("SIGHUP")).isFalse();
            assertThat(installed).hasSize(1);
        }
    }
}
