package chat.bench;

/** Every {@link TlsCommandsTest} with the generator's client on BoringSSL ({@code --tls-provider openssl}). */
class OpenSslTlsCommandsTest extends TlsCommandsTest {

    @Override
    String provider() {
        return "openssl";
    }
}
