package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsChannel} against a server {@link SSLEngine} of the JDK's driven by hand, records
 * passed through a {@link Wire} the test controls: how many bytes each read gets and each write
 * may put, so an incomplete record and a full socket happen exactly where the test puts them. No
 * socket. The client's engines are the JDK's here; {@link OpenSslTlsChannelTest} runs every test
 * with BoringSSL's.
 */
class TlsChannelTest {

    static {
        ClientTls.trustingAnyCertificate(ClientTls.Provider.JDK); // its key exchange groups before the JDK's TLS classes load
    }

    private static final TestCertificates.Issued CA = TestCertificates.ca("CN=Bench Test CA");
    private static final TestCertificates.Issued SERVER = TestCertificates.server(CA, "EC");
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Wire wire = new Wire();
    private final TlsChannel.Scratch scratch = new TlsChannel.Scratch(LoadLoop.READ_BUFFER_BYTES, 18 * 1024);
    private final ByteBuffer plain = ByteBuffer.allocate(LoadLoop.READ_BUFFER_BYTES);
    /** Plaintext the server side decrypted, in order. */
    private final ByteArrayOutputStream serverRead = new ByteArrayOutputStream();
    private SSLEngine server;
    /** The ClientHello of the last {@link #connected} client. */
    private byte[] lastHello;
    /** The client contexts a test made, closed after it. */
    private final java.util.List<ClientTls> clients = new java.util.ArrayList<>();

    /** Whose engines the client uses; a subclass runs every test on the other provider. */
    ClientTls.Provider provider() {
        return ClientTls.Provider.JDK;
    }

    private ClientTls anyCertificate() {
        ClientTls tls = ClientTls.trustingAnyCertificate(provider());
        clients.add(tls);
        return tls;
    }

    private ClientTls trusting(Path caFile) {
        ClientTls tls = ClientTls.trusting(caFile, provider());
        clients.add(tls);
        return tls;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ClientTls::close);
    }

    /** The client's socket: what it writes goes to the server; what the server says waits to be read. */
    private static final class Wire implements ByteChannel {
        final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
        ByteBuffer toClient = ByteBuffer.allocate(0);
        /** Most bytes one read returns. */
        int readChunk = Integer.MAX_VALUE;
        /** Most bytes the socket takes before it is full; writes beyond it take nothing. */
        int writeRoom = Integer.MAX_VALUE;
        boolean ended;

        @Override
        public int read(ByteBuffer dst) {
            if (!toClient.hasRemaining()) {
                return ended ? -1 : 0;
            }
            int n = Math.min(Math.min(readChunk, dst.remaining()), toClient.remaining());
            ByteBuffer slice = toClient.slice();
            slice.limit(n);
            dst.put(slice);
            toClient.position(toClient.position() + n);
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(writeRoom, src.remaining());
            byte[] bytes = new byte[n];
            src.get(bytes);
            toServer.write(bytes, 0, n);
            writeRoom -= n;
            return n;
        }

        void serverSays(byte[] records) {
            ByteBuffer more = ByteBuffer.allocate(toClient.remaining() + records.length);
            toClient = more.put(toClient).put(records).flip();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private SSLEngine newServer(String protocol) {
        SSLEngine engine = TestCertificates.serverContext(SERVER, CA.certificate()).createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** The server takes everything the client wrote and answers: handshake messages and {@code reply}. */
    private void serverTurn(byte[] reply) throws SSLException {
        ByteBuffer in = ByteBuffer.wrap(wire.toServer.toByteArray());
        wire.toServer.reset();
        ByteBuffer out = ByteBuffer.allocate(256 * 1024);
        ByteBuffer app = ByteBuffer.allocate(256 * 1024);
        while (true) {
            HandshakeStatus status = server.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                server.getDelegatedTask().run();
            } else if (status == HandshakeStatus.NEED_WRAP) {
                server.wrap(NOTHING, out);
            } else if (in.hasRemaining()) {
                SSLEngineResult result = server.unwrap(in, app);
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    break;
                }
            } else {
                break;
            }
        }
        if (reply.length > 0) {
            ByteBuffer src = ByteBuffer.wrap(reply);
            while (src.hasRemaining()) {
                server.wrap(src, out);
            }
        }
        app.flip();
        serverRead.write(app.array(), 0, app.limit());
        out.flip();
        byte[] records = new byte[out.remaining()];
        out.get(records);
        wire.serverSays(records);
    }

    /** Reads until the wire is empty; returns the plaintext the client got. */
    private String clientReadsAll(TlsChannel tls) throws IOException {
        StringBuilder text = new StringBuilder();
        while (wire.toClient.hasRemaining()) {
            plain.clear();
            int n = tls.read(plain);
            text.append(new String(plain.array(), 0, Math.max(n, 0), StandardCharsets.US_ASCII));
        }
        return text.toString();
    }

    /** A client that has finished its handshake with {@link #server}, over {@link #wire}. */
    private TlsChannel connected(ClientTls clientTls, String protocol) throws IOException {
        return connected(clientTls.newEngine(), protocol);
    }

    /** A client on {@code engine} that has finished its handshake with a new {@link #server}, over {@link #wire}. */
    private TlsChannel connected(SSLEngine engine, String protocol) throws IOException {
        server = newServer(protocol);
        TlsChannel tls = new TlsChannel(engine, wire, scratch);
        tls.prepare();
        assertThat(wire.toServer.size()).as("the hello waits for the connect").isZero();
        assertThat(tls.flush()).isTrue();
        lastHello = wire.toServer.toByteArray();
        for (int turn = 0; turn < 4 && !(tls.handshakeDone() && wire.toServer.size() == 0); turn++) {
            serverTurn(new byte[0]);
            clientReadsAll(tls);
        }
        serverTurn(new byte[0]); // the client's Finished, and TLS 1.3's session tickets back
        clientReadsAll(tls);
        assertThat(tls.handshakeDone()).isTrue();
        return tls;
    }

    @Test
    void handshakesThenCarriesLinesBothWays() throws IOException {
        TlsChannel tls = connected(anyCertificate(), "TLSv1.3");
        assertThat(tls.negotiated()).startsWith("TLSv1.3 TLS_AES_");

        serverTurn("-- welcome guest-1\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(clientReadsAll(tls)).isEqualTo("-- welcome guest-1\n");

        assertThat(tls.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(6);
        serverTurn(new byte[0]);
        assertThat(serverRead.toString(StandardCharsets.US_ASCII)).isEqualTo("hello\n");
    }

    @Test
    void recordsSplitAtEveryPointGiveTheSamePlaintext() throws IOException {
        TlsChannel tls = connected(anyCertificate(), "TLSv1.3");
        StringBuilder expected = new StringBuilder();
        for (int chunk = 1; chunk <= 120; chunk += 7) {
            String line = "[#lobby] s0: message " + chunk + "\n";
            expected.append(line).append(line);
            serverTurn((line + line).getBytes(StandardCharsets.US_ASCII));
            wire.readChunk = chunk; // a record of ~70 bytes arrives in pieces of this size
            assertThat(clientReadsAll(tls)).isEqualTo(line + line);
        }
        assertThat(expected).isNotEmpty();
    }

    @Test
    void whatTheSocketDoesNotTakeWaitsAndGoesFirstInOrder() throws IOException {
        TlsChannel tls = connected(anyCertificate(), "TLSv1.3");
        wire.writeRoom = 10;
        byte[] first = "PUBLISH one\n".repeat(50).getBytes(StandardCharsets.US_ASCII);
        assertThat(tls.write(ByteBuffer.wrap(first))).isEqualTo(first.length); // encrypted, mostly kept
        assertThat(tls.hasPendingOutput()).isTrue();
        ByteBuffer second = ByteBuffer.wrap("PUBLISH two\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(tls.write(second)).as("nothing new while records wait").isZero();
        assertThat(tls.flush()).isFalse();

        wire.writeRoom = Integer.MAX_VALUE;
        assertThat(tls.flush()).isTrue();
        assertThat(tls.write(second)).isEqualTo(12);
        serverTurn(new byte[0]);
        assertThat(serverRead.toString(StandardCharsets.US_ASCII))
                .isEqualTo("PUBLISH one\n".repeat(50) + "PUBLISH two\n");
    }

    @Test
    void theEndOfTheStreamIsMinusOne() throws IOException {
        TlsChannel tls = connected(anyCertificate(), "TLSv1.3");
        wire.ended = true;
        plain.clear();
        assertThat(tls.read(plain)).isEqualTo(-1);
    }

    @Test
    void aCaFileTrustsItsServerAndRefusesAnother(@TempDir Path dir) throws IOException {
        Path ours = TestCertificates.writeChain(dir.resolve("ca.pem"), CA.certificate());
        assertThat(connected(trusting(ours), "TLSv1.3").handshakeDone()).isTrue();

        Path another = TestCertificates.writeChain(dir.resolve("another.pem"),
                TestCertificates.ca("CN=Another CA").certificate());
        assertThatThrownBy(() -> connected(trusting(another), "TLSv1.3")).isInstanceOf(SSLException.class);
    }

    @Test
    void aFileWithoutACertificateIsAUsageError(@TempDir Path dir) throws IOException {
        Path empty = java.nio.file.Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> trusting(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty.pem");
    }

    @Test
    void theClientHelloCarriesOneKeyShareAndIsSentOnlyOnceConnected() throws IOException {
        TlsChannel tls = new TlsChannel(anyCertificate().newEngine(), wire, scratch);
        tls.prepare();
        assertThat(tls.hasPendingOutput()).isTrue();
        assertThat(wire.toServer.size()).isZero();
        tls.flush();
        assertThat(keyShareGroups(wire.toServer.toByteArray())).containsExactly(0x001d); // x25519 alone
    }

    @Test
    void everyConnectionIsAFullHandshakeNoSessionOffered() throws IOException {
        ClientTls clientTls = anyCertificate();
        for (int connection = 0; connection < 3; connection++) {
            wire.toServer.reset();
            TlsChannel tls = connected(clientTls, "TLSv1.3"); // the server's session tickets reach it
            assertThat(extensions(lastHello)).as("connection %d offers no session to resume", connection)
                    .isNotEmpty().doesNotContain(PRE_SHARED_KEY);
            tls.close();
        }
    }

    @Test
    void theResumptionCheckSeesASessionOfferedWhenThereIsOne() throws IOException {
        // The control of the test above: a JDK client engine made with a peer host and port
        // keeps the session its tickets gave and offers it to the same host and port.
        javax.net.ssl.SSLContext resuming = TestCertificates.trusting(CA.certificate());
        TlsChannel first = connected(clientEngine(resuming), "TLSv1.3");
        assertThat(extensions(lastHello)).doesNotContain(PRE_SHARED_KEY);
        first.close();
        wire.toServer.reset();
        TlsChannel second = connected(clientEngine(resuming), "TLSv1.3");
        assertThat(extensions(lastHello)).contains(PRE_SHARED_KEY);
        second.close();
    }

    private static SSLEngine clientEngine(javax.net.ssl.SSLContext context) {
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        return engine;
    }

    @Test
    void closeReleasesTheEngineOnce() throws IOException {
        SSLEngine engine = anyCertificate().newEngine();
        TlsChannel tls = new TlsChannel(engine, wire, scratch);
        tls.prepare();
        tls.close();
        tls.close();
        if (engine instanceof io.netty.util.ReferenceCounted counted) {
            assertThat(counted.refCnt()).as("BoringSSL's native state freed").isZero();
        }
        assertThat(tls.negotiated()).isNull();
    }

    @Test
    void anEngineThatMakesNoProgressIsAFailureNotASpin() throws IOException {
        TlsChannel tls = new TlsChannel(new StuckEngine(), wire, scratch);
        tls.prepare();
        tls.flush();
        wire.serverSays(new byte[] {22, 3, 3, 0, 2, 0, 0}); // a complete handshake record
        plain.clear();
        assertThatThrownBy(() -> tls.read(plain)).isInstanceOf(SSLException.class).hasMessageContaining("no progress");
    }

    /** The extension type of a ClientHello that offers a session to resume. */
    private static final int PRE_SHARED_KEY = 0x0029;

    /** The extension types of a ClientHello record, in order. */
    private static java.util.List<Integer> extensions(byte[] record) {
        ByteBuffer b = ByteBuffer.wrap(record);
        assertThat(b.get()).as("a handshake record").isEqualTo((byte) 22);
        b.position(5 + 4 + 2 + 32); // record header, handshake header, legacy version, random
        b.position(b.position() + 1 + (b.get(b.position()) & 0xFF)); // session id
        b.position(b.position() + 2 + (b.getShort(b.position()) & 0xFFFF)); // cipher suites
        b.position(b.position() + 1 + (b.get(b.position()) & 0xFF)); // compression methods
        int end = b.position() + 2 + (b.getShort() & 0xFFFF);
        java.util.List<Integer> types = new java.util.ArrayList<>();
        while (b.position() < end) {
            types.add(b.getShort() & 0xFFFF);
            b.position(b.position() + 2 + (b.getShort(b.position()) & 0xFFFF));
        }
        return types;
    }

    /**
     * An engine that makes its ClientHello and then answers every unwrap with OK, nothing
     * consumed, nothing produced, still NEED_UNWRAP: the shape of an engine stuck on its input.
     */
    private static final class StuckEngine extends SSLEngine {
        private boolean helloSent;

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) {
            if (!helloSent) {
                helloSent = true;
                dst.put(new byte[] {22, 3, 1, 0, 1, 1});
                return new SSLEngineResult(SSLEngineResult.Status.OK, HandshakeStatus.NEED_UNWRAP, 0, 6);
            }
            return new SSLEngineResult(SSLEngineResult.Status.OK, HandshakeStatus.NEED_UNWRAP, 0, 0);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) {
            return new SSLEngineResult(SSLEngineResult.Status.OK, HandshakeStatus.NEED_UNWRAP, 0, 0);
        }

        @Override
        public Runnable getDelegatedTask() {
            return null;
        }

        @Override
        public void closeInbound() {
        }

        @Override
        public boolean isInboundDone() {
            return false;
        }

        @Override
        public void closeOutbound() {
        }

        @Override
        public boolean isOutboundDone() {
            return false;
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return new String[0];
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return new String[0];
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
        }

        @Override
        public String[] getSupportedProtocols() {
            return new String[0];
        }

        @Override
        public String[] getEnabledProtocols() {
            return new String[0];
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
        }

        @Override
        public javax.net.ssl.SSLSession getSession() {
            return null;
        }

        @Override
        public void beginHandshake() {
        }

        @Override
        public HandshakeStatus getHandshakeStatus() {
            return helloSent ? HandshakeStatus.NEED_UNWRAP : HandshakeStatus.NEED_WRAP;
        }

        @Override
        public void setUseClientMode(boolean mode) {
        }

        @Override
        public boolean getUseClientMode() {
            return true;
        }

        @Override
        public void setNeedClientAuth(boolean need) {
        }

        @Override
        public boolean getNeedClientAuth() {
            return false;
        }

        @Override
        public void setWantClientAuth(boolean want) {
        }

        @Override
        public boolean getWantClientAuth() {
            return false;
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
        }

        @Override
        public boolean getEnableSessionCreation() {
            return true;
        }
    }

    /** The named groups of a ClientHello record's key_share extension, in order. */
    private static java.util.List<Integer> keyShareGroups(byte[] record) {
        ByteBuffer b = ByteBuffer.wrap(record);
        assertThat(b.get()).as("a handshake record").isEqualTo((byte) 22);
        b.position(5 + 4 + 2 + 32); // record header, handshake header, legacy version, random
        b.position(b.position() + 1 + (b.get(b.position()) & 0xFF)); // session id
        b.position(b.position() + 2 + (b.getShort(b.position()) & 0xFFFF)); // cipher suites
        b.position(b.position() + 1 + (b.get(b.position()) & 0xFF)); // compression methods
        int end = b.position() + 2 + (b.getShort() & 0xFFFF);
        java.util.List<Integer> groups = new java.util.ArrayList<>();
        while (b.position() < end) {
            int type = b.getShort() & 0xFFFF;
            int length = b.getShort() & 0xFFFF;
            int next = b.position() + length;
            if (type == 0x0033) { // key_share: a list of (group, key) entries
                int sharesEnd = b.position() + 2 + (b.getShort() & 0xFFFF);
                while (b.position() < sharesEnd) {
                    groups.add(b.getShort() & 0xFFFF);
                    b.position(b.position() + 2 + (b.getShort(b.position()) & 0xFFFF));
                }
            }
            b.position(next);
        }
        return groups;
    }
}
