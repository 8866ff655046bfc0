package chat.server.tls;

import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS as the operator configured it.
 *
 * @param certificate the PEM certificate chain ({@code --tls-cert}); null for no TLS at all
 * @param key the PEM private key ({@code --tls-key})
 * @param port a TLS-only listener ({@code --tls-port}), 0 for any free one, -1 for none
 * @param required whether the main port refuses plaintext ({@code --tls-required})
 * @param handshakeTimeout how long a handshake may take ({@code --tls-handshake-timeout})
 * @param maxHandshakes most handshakes in progress at once ({@code --tls-max-handshakes})
 * @param reloadCheck how often the files are looked at for a renewal ({@code --tls-reload-check}); 0 for never
 * @param provider whose cryptography ({@code --tls-provider})
 */
public record TlsOptions(Path certificate, Path key, int port, boolean required, Duration handshakeTimeout,
        int maxHandshakes, Duration reloadCheck, TlsProvider provider) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A key exchange is about a millisecond of CPU: 256 handshakes waiting are a quarter of a
     * second of work for the pool, and a flood of ClientHellos is refused beyond that.
     */
    public static final int DEFAULT_MAX_HANDSHAKES = 256;
    /** certbot renews a month before expiry: a minute's delay in noticing costs nothing. */
    public static final Duration DEFAULT_RELOAD_CHECK = Duration.ofSeconds(60);

    public TlsOptions {
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (certificate == null && (port >= 0 || required)) {
            throw new IllegalArgumentException("--tls-port and --tls-required need --tls-cert and --tls-key");
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("--tls-port out of range: " + port);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("--tls-handshake-timeout must be positive");
        }
        if (reloadCheck.isNegative()) {
            throw new IllegalArgumentException("--tls-reload-check must not be negative");
        }
        if (maxHandshakes < 1) {
            throw new IllegalArgumentException("--tls-max-handshakes must be at least 1");
        }
        java.util.Objects.requireNonNull(provider, "provider");
    }

    /** No TLS: ClientHellos are refused. */
    public static TlsOptions none() {
        return new TlsOptions(null, null, -1, false, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_HANDSHAKES, DEFAULT_RELOAD_CHECK, TlsProvider.AUTO);
    }

    /** TLS on the main port with these files, no TLS-only port. */
    public static TlsOptions withFiles(Path certificate, Path key) {
        return new TlsOptions(certificate, key, -1, false, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_HANDSHAKES, DEFAULT_RELOAD_CHECK, TlsProvider.AUTO);
    }

    public TlsOptions withReloadCheck(Duration every) {
        return new TlsOptions(certificate, key, port, required, handshakeTimeout, maxHandshakes, every, provider);
    }

    public TlsOptions withProvider(TlsProvider chosen) {
        return new TlsOptions(certificate, key, port, required, handshakeTimeout, maxHandshakes, reloadCheck, chosen);
    }

    public boolean enabled() {
        return certificate != null;
    }

    public TlsOptions withPort(int tlsPort) {
        return new TlsOptions(certificate, key, tlsPort, required, handshakeTimeout, maxHandshakes, reloadCheck, provider);
    }

    public TlsOptions withRequired(boolean tlsRequired) {
        return new TlsOptions(certificate, key, port, tlsRequired, handshakeTimeout, maxHandshakes, reloadCheck, provider);
    }

    public TlsOptions withHandshakeLimits(Duration timeout, int max) {
        return new TlsOptions(certificate, key, port, required, timeout, max, reloadCheck, provider);
    }
}
