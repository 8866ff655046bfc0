package chat.server.net;

import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Where TLS connections get their engines: one provider's server context on one certificate.
 * A reloaded certificate is a new {@code TlsEngines}; the one it replaces is {@link #retire retired}
 * and lives on in the engines it made until they are {@link #release released}.
 *
 * <p>The loop's {@link TlsTransport} drives whatever {@link SSLEngine} it is given; only this
 * interface knows the provider (the JDK's, here, or BoringSSL's in {@code chat.server.tls}).
 */
public interface TlsEngines {

    /** TLS 1.2 and 1.3 only, the newer first. */
    List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** A server-side engine for a peer, TLS 1.2 and 1.3 only; {@code host} may be null. */
    SSLEngine newEngine(String host, int port);

    /** The connection is done with {@code engine}: what it holds outside the heap is freed now. */
    default void release(SSLEngine engine) {
    }

    /** No engine will be asked of this one again; those it made stay usable until released. */
    default void retire() {
    }

    /** The provider, for the log: "JDK" or "OpenSSL (BoringSSL)". */
    String provider();

    /** Engines of the JDK's own provider, on {@code context}. */
    static TlsEngines jdk(SSLContext context) {
        return new TlsEngines() {
            @Override
            public SSLEngine newEngine(String host, int port) {
                SSLEngine engine = host == null ? context.createSSLEngine() : context.createSSLEngine(host, port);
                engine.setUseClientMode(false);
                SSLParameters parameters = engine.getSSLParameters();
                List<String> supported = Arrays.asList(engine.getSupportedProtocols());
                parameters.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
                parameters.setUseCipherSuitesOrder(true);
                engine.setSSLParameters(parameters);
                return engine;
            }

            @Override
            public String provider() {
                return "JDK";
            }
        };
    }
}
