package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.tls.TestCertificates;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection's switch to TLS on a hand-driven loop: which dialect it gets, and when. */
class ConnectionTlsTest {

    private static final TestCertificates.Issued CA = TestCertificates.ca("CN=Test CA");
    private static final TestCertificates.Issued SERVER = TestCertificates.server(CA, "EC");

    private final Map<DetectedProtocol, RecordingProtocol> byProtocol = new EnumMap<>(DetectedProtocol.class);
    private final TlsContext tls = new TlsContext(TlsEngines.jdk(TestCertificates.serverContext(SERVER, CA.certificate())), 4, 10_000);

    @AfterEach
    void stopPool() {
        tls.shutdown();
    }

    private LoopHarness harness(boolean tlsRequired) {
        for (DetectedProtocol detected : DetectedProtocol.values()) {
            byProtocol.put(detected, new RecordingProtocol(4096));
        }
        return new LoopHarness(Limits.defaults(), LoopHarness.each(byProtocol), tls, tlsRequired);
    }

    private List<DetectedProtocol> opened() {
        List<DetectedProtocol> opened = new ArrayList<>();
        byProtocol.forEach((detected, dialect) -> dialect.handlers.forEach(h -> opened.add(detected)));
        return opened;
    }

    private static byte[] clientHello() throws Exception {
        SSLEngine client = TestCertificates.trusting(CA.certificate()).createSSLEngine("localhost", 7788);
        client.setUseClientMode(true);
        client.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    @Test
    void aClientHelloFoundWhenTheWindowClosesStartsTlsAndNoPlaintextSession() throws Exception {
        LoopHarness loop = harness(false);
        ScriptedTransport socket = new ScriptedTransport();
        Connection connection = loop.accept(socket);
        connection.startDetection();
        socket.chunk(clientHello()); // arrived, but the selector has not said so yet
        loop.advanceMillis(Connection.DETECTION_WINDOW_MILLIS);
        assertThat(opened()).as("the handshake goes on; nothing is opened before it is done").isEmpty();
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aClientHelloOnAPlainReadStartsTlsAndNoDialectYet() throws Exception {
        LoopHarness loop = harness(false);
        ScriptedTransport socket = new ScriptedTransport();
        Connection connection = loop.accept(socket);
        connection.startDetection();
        socket.chunk(clientHello());
        loop.readable(connection);
        loop.iterate();
        assertThat(opened()).isEmpty();
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void plaintextOnATlsOnlyListenerGetsTheRefusalAndNoSession() {
        LoopHarness loop = harness(true);
        ScriptedTransport socket = new ScriptedTransport();
        Connection connection = loop.accept(socket);
        connection.startDetection();
        socket.chunk("NICK alice\r\n");
        loop.readable(connection);
        loop.iterate();
        assertThat(opened()).isEmpty();
        assertThat(socket.writtenText()).isEqualTo(new String(LoopHarness.PLAINTEXT_REFUSAL));
        assertThat(connection.isOpen()).isFalse();
    }
}
