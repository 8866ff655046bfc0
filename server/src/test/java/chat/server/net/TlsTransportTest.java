package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import chat.server.tls.TestCertificates;
import chat.server.tls.TlsProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TlsTransport} against a client {@link SSLEngine}, records passed by hand through a
 * {@link ScriptedTransport}: splits, full sockets and endings happen exactly where the test puts
 * them. Handshake steps run on the context's real pool and come back through a queue standing
 * for the loop's, which the test drains. The server's engines are the JDK's here, BoringSSL's in
 * {@link OpenSslTlsTransportTest}.
 */
class TlsTransportTest {

    private static final TestCertificates.Issued CA = TestCertificates.ca("CN=Test CA");
    private static final TestCertificates.Issued SERVER = TestCertificates.server(CA, "EC");
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final ConcurrentLinkedQueue<Runnable> loopTasks = new ConcurrentLinkedQueue<>();
    /** Engines the server side released, counted. */
    private final AtomicInteger released = new AtomicInteger();
    private final TlsContext shared = new TlsContext(counting(TestCertificates.engines(provider(), SERVER, CA.certificate())), 4, 10_000);
    private final ScriptedTransport socket = new ScriptedTransport();
    /** Plaintext the server side read, in order. */
    private final ByteArrayOutputStream serverRead = new ByteArrayOutputStream();
    private final ByteBuffer dst = ByteBuffer.allocate(EventLoop.READ_BUFFER_BYTES);
    private SSLEngine client;
    private TlsTransport tls;
    private int resumes;
    private boolean serverEnded;

    /** Whose engines the server side uses; a subclass runs every test on the other provider. */
    TlsProvider provider() {
        return TlsProvider.JDK;
    }

    private TlsEngines counting(TlsEngines engines) {
        return new TlsEngines() {
            @Override
            public SSLEngine newEngine(String host, int port) {
                return engines.newEngine(host, port);
            }

            @Override
            public void release(SSLEngine engine) {
                released.incrementAndGet();
                engines.release(engine);
            }

            @Override
            public void retire() {
                engines.retire();
            }

            @Override
            public String provider() {
                return engines.provider();
            }
        };
    }

    @AfterEach
    void stopPool() {
        shared.shutdown();
    }

    private SSLEngine newClient(String protocol) {
        SSLEngine engine = TestCertificates.trusting(CA.certificate()).createSSLEngine("localhost", 7788);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the host name is checked too
        parameters.setProtocols(new String[] {protocol});
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** The client's next flight: whatever it has to send now, as bytes. */
    private byte[] clientFlight() throws SSLException {
        ByteArrayOutputStream flight = new ByteArrayOutputStream();
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        while (true) {
            HandshakeStatus status = client.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                client.getDelegatedTask().run();
            } else if (status == HandshakeStatus.NEED_WRAP) {
                out.clear();
                client.wrap(NOTHING, out);
                flight.write(out.array(), 0, out.position());
            } else {
                return flight.toByteArray();
            }
        }
    }

    /** The client's records for {@code text}. */
    private byte[] clientRecords(String text) throws SSLException {
        ByteBuffer src = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        while (src.hasRemaining()) {
            out.clear();
            client.wrap(src, out);
            records.write(out.array(), 0, out.position());
        }
        return records.toByteArray();
    }

    /** Server bytes the client has not unwrapped yet: records after one that needed an answer first. */
    private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();

    /**
     * What the server wrote since last time, unwrapped by the client, which sends what it has to
     * answer on the way (to the server's socket); the plaintext it held.
     */
    private String clientReceives() throws SSLException {
        toClient.writeBytes(socket.written.toByteArray());
        socket.written.reset();
        ByteBuffer in = ByteBuffer.wrap(toClient.toByteArray());
        ByteBuffer app = ByteBuffer.allocate(1 << 20);
        while (true) {
            HandshakeStatus status = client.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                client.getDelegatedTask().run();
                continue;
            }
            if (status == HandshakeStatus.NEED_WRAP) {
                byte[] flight = clientFlight();
                if (flight.length > 0) {
                    socket.chunk(flight);
                }
                continue;
            }
            if (!in.hasRemaining()) {
                break;
            }
            SSLEngineResult result = client.unwrap(in, app);
            if (result.getStatus() != SSLEngineResult.Status.OK
                    || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                break;
            }
        }
        toClient.reset();
        toClient.write(in.array(), in.position(), in.remaining());
        return new String(app.array(), 0, app.position(), StandardCharsets.UTF_8);
    }

    /** One read by the server, as the connection makes it; then the tasks it started, if any. */
    private void serverReads() throws IOException {
        dst.clear();
        int n = tls.read(dst);
        if (n > 0) {
            serverRead.write(dst.array(), 0, n);
        } else if (n < 0) {
            serverEnded = true;
        }
    }

    /** Runs what the pool handed back to the loop, waiting for it when a task is out. */
    private void runLoopTasks() {
        while (tls != null && taskOut()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !loopTasks.isEmpty());
            loopTasks.poll().run();
        }
    }

    private boolean taskOut() {
        return !socket.readInterest; // reading is paused exactly while a handshake step runs
    }

    /** A server transport that has the client's ClientHello (or what of it {@code received} says). */
    private void accept(byte[] received) {
        tls = new TlsTransport(socket, shared.newEngine(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)),
                shared, loopTasks::add, received, () -> {
                    resumes++;
                    try {
                        serverReads();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        assertThat(shared.tryStartHandshake()).isTrue(); // as the connection counts it before
    }

    /** Handshake from the ClientHello on, flights passed whole. */
    private void handshake(String protocol) throws IOException {
        client = newClient(protocol);
        client.beginHandshake();
        accept(clientFlight());
        for (int i = 0; i < 20 && !(tls.handshakeDone() && client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING); i++) {
            serverReads();
            runLoopTasks();
            clientReceives(); // and answers
        }
        serverReads(); // the client's last flight
        runLoopTasks();
        assertThat(tls.handshakeDone()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aHandshakeThenTextBothWays(String protocol) throws IOException {
        handshake(protocol);
        assertThat(tls.negotiated()).startsWith(protocol + " TLS_");
        assertThat(shared.handshakesInProgress()).as("released when it finished").isZero();
        assertThat(resumes).as("the key exchange ran off the loop, then the loop read on").isPositive();
        assertThat(socket.readInterest).isTrue();

        socket.chunk(clientRecords("NICK alice\r\n"));
        serverReads();
        assertThat(serverRead.toString(StandardCharsets.UTF_8)).isEqualTo("NICK alice\r\n");

        ByteBuffer reply = ByteBuffer.wrap("welcome, alice\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(tls.write(reply)).isEqualTo(16);
        assertThat(clientReceives()).isEqualTo("welcome, alice\r\n");
    }

    @Test
    void aClientHelloSplitByteByByteIsAnsweredWhenComplete() throws IOException {
        client = newClient("TLSv1.3");
        client.beginHandshake();
        byte[] hello = clientFlight();
        accept(Arrays.copyOf(hello, 1));
        for (int i = 1; i < hello.length; i++) {
            serverReads();
            assertThat(socket.written.size()).as("nothing to answer before byte %d", i + 1).isZero();
            assertThat(taskOut()).as("no step for an incomplete record (byte %d)", i + 1).isFalse();
            socket.chunk(new byte[] {hello[i]});
        }
        serverReads();
        assertThat(taskOut()).as("the complete hello went to a step").isTrue();
        runLoopTasks();
        assertThat(socket.written.size()).as("the ServerHello and the rest of the server's flight").isPositive();
    }

    @Test
    void everyRecordOfOneReadIsDecryptedByThatRead() throws IOException {
        handshake("TLSv1.3");
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            String line = "line " + i + " " + "x".repeat(1000) + "\n";
            expected.append(line);
            many.writeBytes(clientRecords(line));
        }
        socket.chunk(many.toByteArray());
        serverReads();
        assertThat(serverRead.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void aRecordSplitAcrossReadsWaitsForItsEnd() throws IOException {
        handshake("TLSv1.3");
        byte[] record = clientRecords("hello\n");
        socket.chunk(Arrays.copyOf(record, 7)).chunk(Arrays.copyOfRange(record, 7, record.length));
        serverReads();
        assertThat(serverRead.size()).isZero();
        serverReads();
        assertThat(serverRead.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n");
    }

    @Test
    void recordsTheSocketDoesNotTakeWaitAndLeaveFirst() throws IOException {
        handshake("TLSv1.3");
        socket.perWrite = 10;
        assertThat(tls.write(ByteBuffer.wrap("first\n".getBytes(StandardCharsets.UTF_8)))).isEqualTo(6);
        assertThat(tls.hasPendingOutput()).isTrue();
        socket.perWrite = 0;
        assertThat(tls.write(ByteBuffer.wrap("second\n".getBytes(StandardCharsets.UTF_8))))
                .as("nothing more is taken while records wait").isZero();
        assertThat(tls.flush()).isFalse();
        socket.perWrite = Integer.MAX_VALUE;
        assertThat(tls.flush()).isTrue();
        assertThat(tls.hasPendingOutput()).isFalse();
        assertThat(tls.write(ByteBuffer.wrap("second\n".getBytes(StandardCharsets.UTF_8)))).isEqualTo(7);
        assertThat(clientReceives()).isEqualTo("first\nsecond\n");
    }

    @Test
    void theClientsCloseNotifyIsTheEndAndOursGoesOutOnClose() throws IOException {
        handshake("TLSv1.3");
        client.closeOutbound();
        socket.chunk(clientFlight());
        serverReads();
        assertThat(serverEnded).isTrue();

        tls.close();
        assertThat(socket.closed).isTrue();
        clientReceives();
        assertThat(client.isInboundDone()).as("close_notify received").isTrue();
    }

    @Test
    void anEndWithoutCloseNotifyIsNotTakenForAClose() throws IOException {
        handshake("TLSv1.3");
        socket.end();
        assertThatThrownBy(this::serverReads).isInstanceOf(IOException.class).hasMessageContaining("without close_notify");
    }

    @Test
    void anEndInsideARecordSaysSo() throws IOException {
        handshake("TLSv1.3");
        byte[] record = clientRecords("cut short\n");
        socket.chunk(Arrays.copyOf(record, record.length / 2)).end();
        serverReads();
        assertThatThrownBy(this::serverReads).isInstanceOf(IOException.class).hasMessageContaining("inside a record");
    }

    @Test
    void garbageAfterAHelloHeaderFailsWithAnAlert() throws IOException {
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0x41);
        garbage[0] = 0x16; // a handshake record, TLS 1.0 header, then nonsense
        garbage[1] = 0x03;
        garbage[2] = 0x01;
        garbage[3] = 0x00;
        garbage[4] = 0x3b;
        accept(garbage);
        assertThatThrownBy(() -> {
            serverReads();
            runLoopTasks(); // the step failed; the read it resumes says so
        }).satisfiesAnyOf(e -> assertThat(e).isInstanceOf(IOException.class),
                e -> assertThat(e).hasCauseInstanceOf(IOException.class));
        byte[] answer = socket.written.toByteArray();
        assertThat(answer).isNotEmpty();
        assertThat(answer[0]).as("an alert record").isEqualTo((byte) 0x15);
    }

    /** What the server wrote after {@code before} bytes, the first byte a record's content type. */
    private byte[] writtenSince(int before) {
        byte[] all = socket.written.toByteArray();
        return Arrays.copyOfRange(all, before, all.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aRecordThatDoesNotDecryptAfterTheHandshakeFailsWithAnAlert(String protocol) throws IOException {
        handshake(protocol);
        clientReceives(); // what the server had still to say (TLS 1.3 tickets)
        int before = socket.written.size();
        byte[] records = clientRecords("hello\n");
        records[records.length - 1] ^= 1; // the authentication tag's last byte
        socket.chunk(records);
        assertThatThrownBy(this::serverReads).isInstanceOf(SSLException.class);
        assertThat(serverRead.size()).as("nothing of it read").isZero();
        byte[] answer = writtenSince(before);
        assertThat(answer).as("an alert went out").isNotEmpty();
        // TLS 1.3 hides the alert's type in an application-data record (0x17); TLS 1.2 says 0x15.
        assertThat(answer[0]).as("an alert record").isEqualTo(protocol.equals("TLSv1.3") ? (byte) 0x17 : (byte) 0x15);
    }

    @Test
    void aClientAskingToRenegotiateAfterATls12HandshakeIsRefused() throws IOException {
        handshake("TLSv1.2");
        clientReceives();
        client.beginHandshake(); // a renegotiation: a new ClientHello inside the session
        byte[] hello = clientFlight();
        assertThat(hello).as("the client asked").isNotEmpty();
        socket.chunk(hello);
        assertThatThrownBy(this::serverReads).isInstanceOf(SSLException.class);
    }

    @Test
    void closingWhileAStepRunsReleasesTheEngineWhenTheStepIsBack() throws IOException {
        client = newClient("TLSv1.3");
        client.beginHandshake();
        accept(clientFlight());
        int before = released.get();
        serverReads();
        assertThat(taskOut()).as("the hello went to a step").isTrue();
        tls.close();
        assertThat(released.get()).as("not while the step holds it").isEqualTo(before);
        assertThat(shared.handshakesInProgress()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> !loopTasks.isEmpty());
        loopTasks.poll().run(); // the step is back
        assertThat(released.get()).isEqualTo(before + 1);
        assertThat(socket.written.size()).as("nothing sent for a closed connection").isZero();
    }

    @Test
    void closingReleasesTheEngineOnce() throws IOException {
        handshake("TLSv1.3");
        int before = released.get();
        tls.close();
        tls.close();
        assertThat(released.get()).isEqualTo(before + 1);
    }

    @Test
    void closingMidHandshakeReleasesItsPlaceAndNothingWaits() throws IOException {
        client = newClient("TLSv1.3");
        client.beginHandshake();
        accept(clientFlight());
        assertThat(shared.handshakesInProgress()).isOne();
        tls.close();
        assertThat(shared.handshakesInProgress()).isZero();
        assertThat(socket.closed).isTrue();
        tls.close();
        assertThat(shared.handshakesInProgress()).as("once only").isZero();
    }

    @Test
    void appDataBeforeTheHandshakeIsDoneIsNotTaken() throws IOException {
        client = newClient("TLSv1.3");
        client.beginHandshake();
        accept(clientFlight());
        assertThat(tls.write(ByteBuffer.wrap(new byte[] {'x'}))).isZero();
    }
}
