package chat.bench;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
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
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The generator's side of TLS for one run: one client context and a fresh engine per connection,
 * from one of two providers ({@code --tls-provider}):
 *
 * <ul>
 *   <li>{@link Provider#OPENSSL}: BoringSSL, through Netty's OpenSSL engine over
 *       netty-tcnative's statically linked library (the server's default provider too), the
 *       default wherever it loads. The JDK's client cost the generator ~3 ms of CPU per
 *       handshake (pure-Java x25519 and ECDSA verification), so the handshakes-per-second
 *       benchmark measured the generator, not the servers under test.
 *   <li>{@link Provider#JDK}: the JVM's own JSSE, needing no native library.
 * </ul>
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
 * <p>Every handshake is a full one: engines are made without a peer host and port, so neither
 * provider offers a session to resume nor keeps one (both file client sessions under host and
 * port); BoringSSL's client session cache is switched off besides. A benchmark of handshakes per
 * second that resumed would measure something else. For the same reason no server name (SNI) is
 * sent, and the name in the certificate is not checked.
 *
 * <p>BoringSSL's engines hold native memory until released: whoever takes an engine from
 * {@link #newEngine} gives it back with {@link #release} (for a connection, {@link TlsChannel#close}
 * does), and the context itself goes with {@link #close}, after the run.
 *
 * <p>Thread-safe: the contexts are; each engine belongs to one connection.
 */
final class ClientTls implements AutoCloseable {

    /** Whose cryptography the generator's TLS client uses. */
    enum Provider {
        /** BoringSSL through Netty's OpenSSL engine. */
        OPENSSL,
        /** The JDK's JSSE. */
        JDK;

        /** OPENSSL where BoringSSL loads, JDK elsewhere. */
        static Provider defaultHere() {
            return OpenSsl.isAvailable() ? OPENSSL : JDK;
        }

        /** {@code openssl} or {@code jdk}, in any case. */
        static Provider parse(String name) {
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "openssl", "boringssl" -> OPENSSL;
                case "jdk", "jsse" -> JDK;
                default -> throw new IllegalArgumentException("--tls-provider must be openssl or jdk, not " + name);
            };
        }

        /** The name on the command line and in RESULT lines. */
        String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * TLS 1.3 only: both servers under test speak it, and with 1.2 the JDK would refuse an EC
     * certificate's suites unless its curve were among the offered groups (see below).
     */
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    /** The key exchange groups the generator offers, unless {@code -Djdk.tls.namedGroups} says otherwise (JDK only). */
    static final String NAMED_GROUPS = "x25519";

    static {
        // The JDK's client sends a key share for x25519 and another for P-256 (one per kind of
        // group), and pays for both key pairs: with P-256's, a handshake cost the generator
        // 6.6 ms of CPU instead of 3.6, and the generator, not the server, set the rate. One
        // x25519 share is what OpenSSL's and the browsers' clients send first; both servers
        // take it. The JDK reads this once, when its TLS classes load: hence here, before any.
        // BoringSSL is told the same through its context (GROUPS below); Netty also takes this
        // property as its OpenSSL contexts' default groups, and logs at INFO that it does.
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", NAMED_GROUPS);
        }
    }

    private final Provider provider;
    /** The JDK's context: the engines of {@link Provider#JDK}, and {@link #wrap} for either provider. */
    private final SSLContext jdkContext;
    /** BoringSSL's context, for {@link Provider#OPENSSL}; null otherwise. */
    private final SslContext openSslContext;
    /** What the server was trusted by, for the report. */
    private final String trust;

    /** @param caFile the CA the server's chain must lead to; null for any certificate */
    private ClientTls(Provider provider, TrustManager[] jdkTrust, Path caFile, String trust) {
        this.provider = provider;
        this.trust = trust;
        this.jdkContext = jdkContext(jdkTrust);
        this.openSslContext = provider == Provider.OPENSSL ? openSslContext(caFile) : null;
    }

    /** Takes any certificate, on the default provider here; see the class comment for why that is right on loopback. */
    static ClientTls trustingAnyCertificate() {
        return trustingAnyCertificate(Provider.defaultHere());
    }

    /** Takes any certificate; see the class comment for why that is right on loopback. */
    static ClientTls trustingAnyCertificate(Provider provider) {
        return new ClientTls(provider, new TrustManager[] {new TrustAnything()}, null, "any certificate");
    }

    /** Takes a server whose chain leads to a certificate in {@code caFile} (PEM, one or more), on the default provider. */
    static ClientTls trusting(Path caFile) {
        return trusting(caFile, Provider.defaultHere());
    }

    /** Takes a server whose chain leads to a certificate in {@code caFile} (PEM, one or more). */
    static ClientTls trusting(Path caFile, Provider provider) {
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
            return new ClientTls(provider, factory.getTrustManagers(), caFile, "the CA in " + caFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA certificate " + caFile + ": " + e.getMessage());
        }
    }

    private static SSLContext jdkContext(TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no TLS", e);
        }
    }

    /**
     * BoringSSL's client context: TLS 1.3, one x25519 key share, no name check (no host is
     * given: see the class comment), no session cache.
     */
    private static SslContext openSslContext(Path caFile) {
        if (!OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            throw new IllegalArgumentException("--tls-provider openssl: BoringSSL does not load on this machine ("
                    + (cause == null ? "unknown cause" : cause.getMessage() != null ? cause.getMessage() : cause)
                    + "); use --tls-provider jdk");
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.OPENSSL_REFCNT)
                    .protocols(PROTOCOLS)
                    // Netty 4.2 checks the certificate's name against the peer host by default
                    // (HTTPS); there is no host here, as there is none for the JDK's engines.
                    .endpointIdentificationAlgorithm(null)
                    // Like jdk.tls.namedGroups above: one x25519 key share, nothing else offered.
                    .option(OpenSslContextOption.GROUPS, new String[] {NAMED_GROUPS});
            if (caFile == null) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE); // loopback only: see the class comment
            } else {
                builder.trustManager(caFile.toFile());
            }
            SslContext context = builder.build();
            // Engines without a host and port are neither offered a session nor filed under one;
            // with the cache off as well, nothing can make a handshake a resumption.
            if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
                sessions.setSessionCacheEnabled(false);
            }
            return context;
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot make a BoringSSL client context: " + e.getMessage(), e);
        }
    }

    /**
     * A client engine for one connection, no session to resume (see the class comment); give it
     * back with {@link #release}.
     */
    SSLEngine newEngine() {
        if (openSslContext != null) {
            // No host, no port: nothing to resume, nothing kept (and no SNI).
            return openSslContext.newEngine(PooledByteBufAllocator.DEFAULT);
        }
        SSLEngine engine = jdkContext.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Frees an engine of {@link #newEngine} (BoringSSL's native state); nothing to do for the JDK's. Once per engine. */
    static void release(SSLEngine engine) {
        ReferenceCountUtil.release(engine);
    }

    /** The largest record an engine makes or takes, for the loop's buffers. */
    int packetBufferSize() {
        SSLEngine sample = newEngine();
        try {
            return sample.getSession().getPacketBufferSize();
        } finally {
            release(sample);
        }
    }

    /**
     * {@code plain}, connected, as a blocking TLS socket with its handshake done (RedisInfo's
     * INFO, once per measurement): the JDK's, whichever provider the connections use.
     */
    Socket wrap(Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) jdkContext.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        socket.setUseClientMode(true);
        socket.setEnabledProtocols(PROTOCOLS);
        socket.startHandshake();
        return socket;
    }

    Provider provider() {
        return provider;
    }

    String trust() {
        return trust;
    }

    /** For the reports: the provider and the trust, such as {@code openssl client (BoringSSL), trusting any certificate}. */
    String describe() {
        String engine = provider == Provider.OPENSSL ? "openssl client (" + OpenSsl.versionString() + ")" : "jdk client";
        return engine + ", trusting " + trust;
    }

    /** Releases BoringSSL's context once its engines are done; engines still out keep it alive until released. */
    @Override
    public void close() {
        if (openSslContext != null) {
            ReferenceCountUtil.release(openSslContext);
        }
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
