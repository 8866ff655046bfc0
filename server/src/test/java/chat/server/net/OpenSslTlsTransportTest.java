package chat.server.net;

import chat.server.tls.TlsProvider;

/** Every {@link TlsTransportTest} with BoringSSL's engines on the server side. */
class OpenSslTlsTransportTest extends TlsTransportTest {

    @Override
    TlsProvider provider() {
        return TlsProvider.OPENSSL;
    }
}
