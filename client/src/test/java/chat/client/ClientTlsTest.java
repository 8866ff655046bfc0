package chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTlsTest {

    /** A self-signed certificate, made once with openssl; only its parsing matters here. */
    private static final String CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            MIIBjzCCATWgAwIBAgIUaOAU0B8IPqRslLUv/TYfKVT08GEwCgYIKoZIzj0EAwIw
            HDEaMBgGA1UEAwwRY2hhdCB0ZXN0IGZpeHR1cmUwIBcNMjYxMjAxMDYzMzA0WhgP
            MjEyNjExMDcwNjMzMDRaMBwxGjAYBgNVBAMMEWNoYXQgdGVzdCBmaXh0dXJlMFkw
            EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAETe0ZR2FXNMUgkFQQtEuf1gzTWc20q5Mo
            ylUJ8TKlopwg6d57LtbRhcoEF3cG751cW0fRw7QnXtqw7kE156aYCKNTMFEwHQYD
            VR0OBBYEFIpyjIDqDVMnID908S4uPlgC6fmoMB8GA1UdIwQYMBaAFIpyjIDqDVMn
            ID908S4uPlgC6fmoMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIh
            AI5qcN7qegOv9nN35nLC/mJeZO0loFnHdYZOZNkJrCqaAiB4X7YyzB5nfKDjRl0m
            k1LGgUtrpxi5gp2fL+r279IC/Q==
            -----END CERTIFICATE-----
            """;

    @TempDir
    Path dir;

    @Test
    void aPemFileOfCertificatesIsWhatIsTrusted() throws IOException {
        Path file = Files.writeString(dir.resolve("ca.pem"), CERTIFICATE);
        SSLContext context = ClientTls.trusting(file);
        assertThat(context.getProtocol()).isEqualTo("TLS");
        assertThat(context.getSocketFactory()).isNotNull();
    }

    @Test
    void aFileThatIsMissingEmptyOrNotPemIsRefusedNamingIt() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ClientTls.trusting(dir.resolve("missing.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> ClientTls.trusting(empty)).hasMessageContaining("empty.pem");
        assertThatThrownBy(() -> ClientTls.trusting(key)).hasMessageContaining("key.pem");
    }

    @Test
    void theSystemRootsAreTheJvmsDefault() throws Exception {
        assertThat(ClientTls.systemRoots()).isSameAs(SSLContext.getDefault());
    }
}
