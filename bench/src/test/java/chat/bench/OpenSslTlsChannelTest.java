package chat.bench;

/**
 * Every {@link TlsChannelTest} with BoringSSL's client engines (Netty's OpenSSL engine), against
 * the JDK's server engine: the handshake, records split anywhere, a full socket, the end of the
 * stream, a refused CA, one x25519 key share, no session offered, the engine released.
 */
class OpenSslTlsChannelTest extends TlsChannelTest {

    @Override
    ClientTls.Provider provider() {
        return ClientTls.Provider.OPENSSL;
    }
}
