package chat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The generator's side of TLS for one run: one client {@link SSLContext} and a fresh engine per
 * connection.
 *
 * <p>Two ways to trust the server. With a CA file ({@code --tls-ca}) the server's chain must lead
 * to it, as any client checks. Without one ({@code --tls} alone) any certificate is taken: the
 * targets are 127.0.0.0/8 only ({@link LoopbackGuard}), so no one can stand between the generator
 * and the server, and the check would be work for the generator alone (a chain validation per
 * handshake on the generator's one core) that the server under test never sees. The handshake
 * itself is the same either way: the server still signs it and the generator still verifies that
 * signature against the certificate's key. {@code bench/tls-bench.sh} uses the second, so that
 * the handshake rate is bounded by the server as long as possible.
 *
 * <p>Every handshake is a full one: engines are made without a peer host and port, so the JDK
 * neither offers a session to resume nor keeps one (it files client sessions under host and
 * port). A benchmark of handshakes per second that resumed would measure something else. For the
 * same reason no server name (SNI) is sent, and the name in the certificate is not checked.
 *
 * <p>Thread-safe: the context is; each engine belongs to one connection.
 */
final class ClientTls {

    /**
     * TLS 1.3 only: both servers under test speak it, and with 1.2 the JDK would refuse an EC
     * certificate's suites unless its curve were among the offered groups (see below).
     */
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    /** The key exchange groups the generator offers, unless {@code -Djdk.tls.namedGroups} says otherwise. */
    static final String NAMED_GROUPS = "x25519";

    static {
        // The JDK's client sends a key share for x25519 and another for P-256 (one per kind of
        // group), and pays for both key pairs: with P-256's, a handshake cost the generator
        // 6.6 ms of CPU instead of 3.6, and the generator, not the server, set the rate. One
        // x25519 share is what OpenSSL's and the browsers' clients send first; both servers
        // take it. The JDK reads this once, when its TLS classes load: hence here, before any.
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", NAMED_GROUPS);
        }
    }

    private final SSLContext context;
    /** What the server was trusted by, for the report. */
    private final String trust;

    private ClientTls(SSLContext context, String trust) {
        this.context = context;
        this.trust = trust;
    }

    /** Takes any certificate; see the class comment for why that is right on loopback. */
    static ClientTls trustingAnyCertificate() {
        return new ClientTls(context(new TrustManager[] {new TrustAnything()}), "any certificate");
    }

    /** Takes a server whose chain leads to a certificate in {@code caFile} (PEM, one or more). */
    static ClientTls trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + caFile);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                store.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return new ClientTls(context(factory.getTrustManagers()), "the CA in " + caFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA certificate " + caFile + ": " + e.getMessage());
        }
    }

    private static SSLContext context(TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no TLS", e);
        }
    }

    /** A client engine for one connection, no session to resume (see the class comment). */
    SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** {@code plain}, connected, as a blocking TLS socket with its handshake done (RedisInfo's INFO). */
    Socket wrap(Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        socket.setUseClientMode(true);
        socket.setEnabledProtocols(PROTOCOLS);
        socket.startHandshake();
        return socket;
    }

    String trust() {
        return trust;
    }

    /**
     * Accepts every chain: loopback only, see the class comment. Extended, so that the JDK does
     * not wrap it in checks of its own (algorithm constraints on the chain).
     */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
