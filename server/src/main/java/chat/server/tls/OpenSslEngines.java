package chat.server.tls;

import chat.server.net.TlsEngines;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Engines on BoringSSL, through Netty's OpenSSL engine and netty-tcnative's statically linked
 * library: the {@link SSLEngine} API the loop already drives, with native cryptography. Each
 * engine holds native memory (BoringSSL's connection state) until {@link #release}; the context
 * until {@link #retire} and the release of the last engine it made, which reference counting
 * takes care of.
 *
 * <p>Buffers the loop hands the engine that are not direct (a message's bytes to encrypt) are
 * copied through Netty's pooled allocator.
 */
final class OpenSslEngines implements TlsEngines {

    /**
     * TLS 1.2: ECDHE key exchange and AEAD ciphers only, forward secret, the server's order.
     * Netty's default list adds CBC and static-RSA suites for old clients; no client of a chat
     * server made this decade needs them. TLS 1.3's suites are BoringSSL's three, always on.
     */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final SslContext context;

    OpenSslEngines(PrivateKey key, List<X509Certificate> chain) {
        try {
            this.context = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.OPENSSL_REFCNT)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHER_SUITES)
                    .build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot make a BoringSSL context of these credentials: " + e.getMessage(), e);
        }
    }

    /** Whether BoringSSL loaded on this machine (its native library for this system and CPU). */
    static boolean available() {
        return OpenSsl.isAvailable();
    }

    /** Why BoringSSL did not load; null when it did. */
    static Throwable unavailabilityCause() {
        return OpenSsl.unavailabilityCause();
    }

    @Override
    public SSLEngine newEngine(String host, int port) {
        return host == null ? context.newEngine(PooledByteBufAllocator.DEFAULT)
                : context.newEngine(PooledByteBufAllocator.DEFAULT, host, port);
    }

    @Override
    public void release(SSLEngine engine) {
        ReferenceCountUtil.release(engine);
    }

    @Override
    public void retire() {
        ReferenceCountUtil.release(context);
    }

    @Override
    public String provider() {
        return "OpenSSL (" + OpenSsl.versionString() + ")";
    }
}
