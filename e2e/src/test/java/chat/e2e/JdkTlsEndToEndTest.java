package chat.e2e;

import chat.server.tls.TlsProvider;

/** Every {@link TlsEndToEndTest} with the server on the JDK's own TLS provider instead of BoringSSL. */
class JdkTlsEndToEndTest extends TlsEndToEndTest {

    @Override
    TlsProvider provider() {
        return TlsProvider.JDK;
    }
}
