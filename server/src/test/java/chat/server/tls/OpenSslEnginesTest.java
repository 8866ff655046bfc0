package chat.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.net.TlsEngines;
import io.netty.util.ReferenceCounted;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BoringSSL's engines against the JDK's client engine, records passed in memory: which keys,
 * protocols and cipher suites a client gets, and that an engine's native state is released.
 */
class OpenSslEnginesTest {

    private static final TestCertificates.Issued CA = TestCertificates.ca("CN=Test CA");
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private static SSLEngine client(String protocol, String... suites) {
        SSLEngine engine = TestCertificates.trusting(CA.certificate()).createSSLEngine("localhost", 7788);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {protocol});
        if (suites.length > 0) {
            parameters.setCipherSuites(suites);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Passes records between the two until neither has anything to say; throws what either throws. */
    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer app = ByteBuffer.allocate(1 << 16);
        client.beginHandshake();
        for (int i = 0; i < 100; i++) {
            boolean moved = step(client, toClient, toServer, app) | step(server, toServer, toClient, app);
            if (!moved && client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                return;
            }
        }
        throw new AssertionError("no handshake after 100 rounds");
    }

    /** One engine takes what came in and says what it has to; whether anything moved. */
    private static boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        boolean moved = false;
        in.flip();
        for (int i = 0; i < 20; i++) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                engine.getDelegatedTask().run();
            } else if (status == HandshakeStatus.NEED_WRAP) {
                moved |= engine.wrap(NOTHING, out).bytesProduced() > 0;
            } else {
                var result = engine.unwrap(in, app); // also when empty: BoringSSL's engine finishes on the next call
                moved |= result.bytesConsumed() > 0;
                if (result.bytesConsumed() == 0) {
                    break;
                }
            }
        }
        in.compact();
        return moved;
    }

    private static TlsEngines engines(TestCertificates.Issued server) {
        return TestCertificates.engines(TlsProvider.OPENSSL, server, CA.certificate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC", "RSA"})
    void aJdkClientGetsTls13AndTls12WithEitherKind(String kind) throws SSLException {
        TestCertificates.Issued issued = TestCertificates.server(CA, kind);
        TlsEngines engines = engines(issued);
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            SSLEngine client = client(protocol);
            SSLEngine server = engines.newEngine("127.0.0.1", 1);
            handshake(client, server);
            assertThat(client.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(issued.certificate());
            assertThat(server.getSession().getCipherSuite()).isIn(OpenSslEngines.CIPHER_SUITES);
            engines.release(server);
        }
        engines.retire();
    }

    /** Asserts that a server with a {@code kind} key refuses {@code client}'s handshake. */
    private static void assertRefused(String kind, SSLEngine client) {
        TlsEngines engines = engines(TestCertificates.server(CA, kind));
        SSLEngine server = engines.newEngine("127.0.0.1", 1);
        assertThatThrownBy(() -> handshake(client, server)).isInstanceOf(SSLException.class);
        engines.release(server);
        engines.retire();
    }

    @Test
    void tls12WithoutForwardSecrecyIsRefused() {
        assertRefused("RSA", client("TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256"));
    }

    @Test
    void olderProtocolsAreRefused() {
        assertRefused("EC", client("TLSv1.1"));
    }

    @Test
    void releasingAnEngineFreesItAndTheRetiredContextLivesUntilItsLastEngine() throws SSLException {
        TlsEngines engines = engines(TestCertificates.server(CA, "EC"));
        SSLEngine server = engines.newEngine("127.0.0.1", 1);
        engines.retire(); // a reload replaced it: the engine it made goes on
        handshake(client("TLSv1.3"), server);
        assertThat(((ReferenceCounted) server).refCnt()).isOne();
        engines.release(server);
        assertThat(((ReferenceCounted) server).refCnt()).isZero();
    }
}
