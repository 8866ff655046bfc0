package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.server.ServerConfig;
import chat.server.tls.TestCertificates;
import chat.server.tls.TlsOptions;
import chat.server.tls.TlsProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the chat port and on a TLS-only port, with certificates made for the test and real
 * sockets: TLS and plaintext users in one room, native and IRC over TLS, plaintext refused where
 * TLS is required, and the bad peers (a half-sent ClientHello, garbage, too many handshakes, a
 * reset mid-handshake) each dealt with alone while the chat goes on.
 */
class TlsEndToEndTest {

    private static final TestCertificates.Issued CA = TestCertificates.ca("CN=Test CA");
    private static final TestCertificates.Issued SERVER = TestCertificates.server(CA, "EC");
    /** The first bytes of a ClientHello record, and no more. */
    private static final byte[] HALF_A_HELLO = {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01, 0x00};

    @RegisterExtension
    final RunningServer server = new RunningServer();

    @TempDir
    Path dir;

    private final SSLContext trustingTheCa = TestCertificates.trusting(CA.certificate());

    private TlsOptions tlsFiles() {
        Path chain = TestCertificates.writeChain(dir.resolve("fullchain.pem"), SERVER.certificate(), CA.certificate());
        Path key = TestCertificates.writePkcs8Key(dir.resolve("privkey.pem"), SERVER.keys().getPrivate());
        return TlsOptions.withFiles(chain, key).withProvider(provider());
    }

    /** Whose cryptography the server uses; {@link JdkTlsEndToEndTest} runs every test on the JDK's. */
    TlsProvider provider() {
        return TlsProvider.OPENSSL;
    }

    private void start(TlsOptions tls) throws IOException {
        server.start(ServerConfig.loopbackEphemeral().withTls(tls));
    }

    /** A native client over TLS, welcomed and renamed. */
    private LineClient secureNamed(int port, String nick) throws IOException {
        LineClient client = LineClient.tls(port, trustingTheCa);
        client.awaitLine(l -> l.startsWith("-- welcome "));
        client.send("/nick " + nick);
        client.awaitLine(l -> l.endsWith(" is now known as " + nick));
        return client;
    }

    /** A connection that sends the start of a ClientHello at once, and nothing more. */
    private Socket halfAHello() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.getOutputStream().write(HALF_A_HELLO);
        return socket;
    }

    @Test
    void theWebClientsPageAndWebSocketWorkOverTlsOnTheChatPort() throws Exception {
        start(tlsFiles());
        java.net.http.HttpClient https = java.net.http.HttpClient.newBuilder().sslContext(trustingTheCa).build();
        java.net.http.HttpResponse<String> page = https.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("https://127.0.0.1:" + server.port() + "/no-such-page")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("HTTP inside TLS is detected like plaintext").isEqualTo(404);
        java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.net.http.WebSocket ws = https.newWebSocketBuilder().subprotocols("text.ircv3.net")
                .buildAsync(java.net.URI.create("wss://127.0.0.1:" + server.port() + "/ws"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        received.add(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            ws.sendText("NICK secure", true).get(10, java.util.concurrent.TimeUnit.SECONDS);
            ws.sendText("USER secure 0 * :S", true).get(10, java.util.concurrent.TimeUnit.SECONDS);
            ws.sendText("JOIN " + ServerConfig.DEFAULT_ROOM, true).get(10, java.util.concurrent.TimeUnit.SECONDS);
            ws.sendText("PRIVMSG " + ServerConfig.DEFAULT_ROOM + " :over wss", true).get(10, java.util.concurrent.TimeUnit.SECONDS);
            alice.awaitLine(l -> l.contains("over wss"));
            alice.send("seen");
            org.awaitility.Awaitility.await().atMost(LineClient.WAIT)
                    .until(() -> received.stream().anyMatch(l -> l.endsWith("PRIVMSG " + ServerConfig.DEFAULT_ROOM + " :seen")));
            boolean encrypted = server.onLoop(s -> s.statsNow().connections(chat.server.net.ConnectionCensus.Dialect.WEBSOCKET, true) == 1);
            assertThat(encrypted).as("counted as a WebSocket over TLS").isTrue();
        }
    }

    @Test
    void tlsAndPlaintextUsersChatInOneRoomOnOnePort() throws Exception {
        start(tlsFiles());
        try (LineClient plain = LineClient.named(server.port(), "plain");
             LineClient secure = secureNamed(server.port(), "secure")) {
            plain.awaitLine(l -> l.endsWith(" is now known as secure"));
            secure.send("over TLS");
            plain.awaitExact("[#lobby] secure: over TLS");
            plain.send("in the clear");
            secure.awaitExact("[#lobby] plain: in the clear");
            secure.send("/quit done");
            secure.awaitExact("-- bye");
            secure.awaitEndOfStream();
            plain.awaitExact("-- secure quit: done");
        }
    }

    @Test
    void ircOverTlsSharesTheRoomsAndAFloodPausedBurstArrivesWhole() throws Exception {
        start(tlsFiles());
        try (LineClient nora = LineClient.named(server.port(), "nora");
             LineClient ian = LineClient.tls(server.port(), trustingTheCa)) {
            ian.sendBytes("CAP LS 302\r\nNICK ian\r\nUSER ian 0 * :Ian\r\nCAP END\r\nJOIN #lobby\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            ian.awaitLine(l -> l.contains(" 001 ian "));
            nora.awaitExact("[#lobby] -- ian joined");
            // One record per line, twice the flood burst: read in a few reads, paused by flood
            // control half way, and resumed without a byte lost.
            int lines = 2 * chat.server.net.Limits.DEFAULT_FLOOD_BURST;
            for (int i = 0; i < lines; i++) {
                ian.sendBytes(("PRIVMSG #lobby :line " + i + " " + "x".repeat(300) + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            nora.awaitLine(l -> l.startsWith("[#lobby] ian: line " + (lines - 1) + " "));
            assertThat(nora.lines().stream().filter(l -> l.startsWith("[#lobby] ian: line ")).count()).isEqualTo(lines);
            long pauses = server.onLoop(s -> s.floodPauses());
            assertThat(pauses).as("the burst was paused on the way").isPositive();
            nora.send("got them");
            ian.awaitLine(l -> l.strip().equals(":nora!~chat@127.0.0.1 PRIVMSG #lobby :got them"));
        }
    }

    @Test
    void theTlsOnlyPortRefusesPlaintextWithALineAndServesTls() throws Exception {
        start(tlsFiles().withPort(0));
        int tlsPort = server.onLoop(s -> s.tlsPort());
        try (LineClient plain = new LineClient(tlsPort)) {
            plain.awaitLine(l -> l.startsWith("ERROR :This port takes TLS only"));
            plain.awaitEndOfStream();
        }
        try (LineClient secure = secureNamed(tlsPort, "secure");
             LineClient plainOnMain = LineClient.named(server.port(), "plain")) {
            secure.send("hello from the TLS port");
            plainOnMain.awaitExact("[#lobby] secure: hello from the TLS port");
        }
    }

    @Test
    void tlsRequiredRefusesPlaintextOnTheMainPortToo() throws Exception {
        start(tlsFiles().withRequired(true));
        try (LineClient plain = new LineClient(server.port())) {
            plain.awaitLine(l -> l.startsWith("ERROR :This port takes TLS only"));
            plain.awaitEndOfStream();
        }
        try (LineClient secure = secureNamed(server.port(), "secure")) {
            assertThat(secure.lines()).anyMatch(l -> l.startsWith("-- welcome "));
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsItsHandshakeAndNothingIsServed() throws Exception {
        start(tlsFiles());
        SSLContext trustingAnother = TestCertificates.trusting(TestCertificates.ca("CN=Another CA").certificate());
        assertThatThrownBy(() -> LineClient.tls(server.port(), trustingAnother)).isInstanceOf(SSLHandshakeException.class);
        try (LineClient plain = LineClient.named(server.port(), "plain")) {
            assertThat(server.members("#lobby")).isEqualTo(1);
        }
    }

    @Test
    void aHalfSentClientHelloIsClosedAtTheHandshakeTimeoutWhileTheChatGoesOn() throws Exception {
        start(tlsFiles().withHandshakeLimits(Duration.ofSeconds(1), 16));
        try (Socket stalled = halfAHello();
             LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            alice.send("still talking");
            bob.awaitExact("[#lobby] alice: still talking");
            stalled.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            byte[] answer = stalled.getInputStream().readAllBytes(); // to the end: closed by the server
            assertThat(answer.length == 0 || answer[0] == 0x15).as("nothing, or an alert").isTrue();
            assertThat(server.members("#lobby")).as("no session for it").isEqualTo(2);
        }
    }

    @Test
    void handshakesPastTheCapAreRefusedAndTheOthersGoOn() throws Exception {
        start(tlsFiles().withHandshakeLimits(Duration.ofSeconds(60), 2));
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                stalled.add(halfAHello());
            }
            // The loop reads ready sockets in every iteration: once a later client is welcomed,
            // the first two have been read and counted.
            try (LineClient plain = LineClient.named(server.port(), "plain");
                 Socket third = halfAHello()) {
                third.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
                assertThat(third.getInputStream().read()).as("refused at once").isEqualTo(-1);
            }
            for (Socket socket : stalled) {
                assertThat(socket.getInputStream().available()).isZero();
                socket.close(); // abandoned: their places are given back
            }
            try (LineClient secure = secureNamed(server.port(), "secure")) {
                assertThat(secure.lines()).anyMatch(l -> l.startsWith("-- welcome "));
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void garbageAfterAHelloHeaderAndAResetMidHandshakeHarmNobodyElse() throws Exception {
        start(tlsFiles());
        try (LineClient alice = LineClient.named(server.port(), "alice");
             LineClient bob = LineClient.named(server.port(), "bob")) {
            try (Socket garbage = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                byte[] bytes = new byte[300];
                java.util.Arrays.fill(bytes, (byte) 'A');
                System.arraycopy(HALF_A_HELLO, 0, bytes, 0, 5);
                garbage.getOutputStream().write(bytes);
                garbage.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
                byte[] answer = garbage.getInputStream().readAllBytes();
                assertThat(answer).as("an alert, then the close").isNotEmpty();
                assertThat(answer[0]).isEqualTo((byte) 0x15);
            }
            Socket reset = halfAHello();
            reset.setSoLinger(true, 0);
            reset.close();
            alice.send("nothing happened");
            bob.awaitExact("[#lobby] alice: nothing happened");
            assertThat(server.members("#lobby")).isEqualTo(2);
        }
    }

    @Test
    void aClientAskingToRenegotiateTls12IsRefusedAndTheOthersGoOn() throws Exception {
        start(tlsFiles());
        try (LineClient plain = LineClient.named(server.port(), "plain");
             javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) trustingTheCa.getSocketFactory()
                     .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            assertThatThrownBy(() -> {
                socket.startHandshake(); // a renegotiation, which the server refuses
                socket.getOutputStream().write("/nick renegotiated\n".getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                while (socket.getInputStream().read() >= 0) {
                    // until the server ends it
                }
                throw new IOException("ended");
            }).isInstanceOf(IOException.class);
            plain.send("/who");
            plain.awaitLine(l -> l.startsWith("-- #lobby (")); // the loop went on serving
            assertThat(server.members("#lobby")).isEqualTo(1);
            assertThat(plain.hasLine(l -> l.contains("renegotiated"))).isFalse();
        }
    }

    /** The certificate a new TLS connection is shown. */
    private java.security.cert.Certificate certificateShown() throws IOException {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) trustingTheCa.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void aReloadedCertificateIsShownToNewHandshakesWhileOpenSessionsGoOn() throws Exception {
        start(tlsFiles().withReloadCheck(Duration.ZERO));
        try (LineClient plain = LineClient.named(server.port(), "plain");
             LineClient before = secureNamed(server.port(), "before")) {
            assertThat(certificateShown()).isEqualTo(SERVER.certificate());
            TestCertificates.Issued renewed = TestCertificates.server(CA, "RSA");
            TestCertificates.writeChain(dir.resolve("fullchain.pem"), renewed.certificate(), CA.certificate());
            TestCertificates.writeTraditionalKey(dir.resolve("privkey.pem"), renewed.keys().getPrivate());

            server.onLoop(s -> {
                s.reloadTls("test");
                return null;
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> certificateShown().equals(renewed.certificate()));
            before.send("still here");
            plain.awaitExact("[#lobby] before: still here");
        }
    }

    /** The console client as a process, stdin piped; returns its exit status and output. */
    private String[] runClient(String input, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "chat.client.ClientMain",
                "--host", "localhost", "--port", String.valueOf(server.port()), "--charset", "UTF-8"));
        command.addAll(List.of(options));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (java.io.OutputStream stdin = client.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String[] {String.valueOf(client.exitValue()), output};
    }

    @Test
    void theConsoleClientWithTlsCaChatsOverTls() throws Exception {
        start(tlsFiles().withRequired(true)); // plaintext would be refused: this can only pass over TLS
        Path caFile = TestCertificates.writeChain(dir.resolve("ca.pem"), CA.certificate());
        try (LineClient alice = secureNamed(server.port(), "alice")) {
            String[] result = runClient("/nick tlsbot\nhello over TLS\n", "--tls-ca", caFile.toString());
            assertThat(result[0]).as(result[1]).isEqualTo("0");
            alice.awaitExact("[#lobby] tlsbot: hello over TLS");
        }
    }

    @Test
    void theConsoleClientRefusesACertificateItCannotVerifyAndExitsOne() throws Exception {
        start(tlsFiles());
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            String[] result = runClient("never sent\n", "--tls");
            assertThat(result[0]).isEqualTo("1");
            assertThat(result[1]).contains("certificate does not verify").contains("--tls-ca");
            assertThat(alice.lines()).noneMatch(l -> l.contains("never sent"));
        }
    }

    @Test
    void opensslSClientChatsLikeAnyoneElse() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        start(tlsFiles());
        Path caFile = TestCertificates.writeChain(dir.resolve("ca.pem"), CA.certificate());
        Process openssl = new ProcessBuilder("openssl", "s_client", "-quiet", "-connect", "127.0.0.1:" + server.port(),
                "-CAfile", caFile.toString(), "-verify_return_error", "-verify_hostname", "localhost")
                .redirectErrorStream(true).start();
        try (LineClient plain = LineClient.named(server.port(), "plain")) {
            openssl.getOutputStream().write("/nick sclient\nhello from openssl\n".getBytes(StandardCharsets.UTF_8));
            openssl.getOutputStream().flush();
            plain.awaitExact("[#lobby] sclient: hello from openssl");
        } finally {
            openssl.destroy();
            openssl.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
