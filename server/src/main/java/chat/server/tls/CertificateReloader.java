package chat.server.tls;

import chat.server.net.BackgroundThreads;
import chat.server.net.TlsEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the certificate and key when asked (SIGHUP) and when either file changes (certbot's
 * renewal replaces them), on a thread of its own: reading files never happens on the event loop.
 * A pair that loads is installed for new handshakes; sessions already made keep theirs. A pair
 * that does not load (a half-written renewal, a key that does not match) is refused with a log
 * line, and the pair in use stays; a later change of either file is tried again.
 */
public final class CertificateReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

    private final Path certificate;
    private final Path key;
    private final TlsProvider provider;
    private final Consumer<TlsEngines> install;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            BackgroundThreads.named("tls-reload"));
    /** The files' modification times at the last attempt, loaded or not; reload thread only. */
    private FileTime certificateSeen;
    private FileTime keySeen;

    /** @param install takes engines made of the new pair by {@code provider}; called on the reload thread */
    public CertificateReloader(Path certificate, Path key, TlsProvider provider, Consumer<TlsEngines> install) {
        this.certificate = certificate;
        this.key = key;
        this.provider = provider;
        this.install = install;
        this.certificateSeen = modified(certificate);
        this.keySeen = modified(key);
    }

    /** Looks at the files every {@code seconds} from now on; 0 for never. */
    public CertificateReloader checkEvery(long seconds) {
        if (seconds > 0) {
            thread.scheduleWithFixedDelay(this::reloadIfChanged, seconds, seconds, TimeUnit.SECONDS);
        }
        return this;
    }

    /** Reloads on the reload thread now, whatever the files' times; for SIGHUP. */
    public void reloadSoon(String why) {
        thread.execute(() -> reload(why));
    }

    /** Reloads when either file changed since the last attempt. @return whether a new pair was installed */
    boolean reloadIfChanged() {
        FileTime certificateNow = modified(certificate);
        FileTime keyNow = modified(key);
        if (java.util.Objects.equals(certificateNow, certificateSeen) && java.util.Objects.equals(keyNow, keySeen)) {
            return false;
        }
        return reload("the files changed");
    }

    /** @return whether a new pair was installed */
    boolean reload(String why) {
        certificateSeen = modified(certificate);
        keySeen = modified(key);
        try {
            PemCredentials credentials = PemCredentials.load(certificate, key);
            install.accept(credentials.engines(provider));
            X509Certificate first = credentials.chain().get(0);
            log.info("TLS certificate reloaded ({}): {}, valid until {}", why,
                    first.getSubjectX500Principal().getName(), first.getNotAfter().toInstant());
            return true;
        } catch (IllegalArgumentException e) {
            log.warn("TLS certificate not reloaded ({}), the one in use stays: {}", why, e.getMessage());
            return false;
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null; // gone for a moment, as during a renewal: a change when it is back
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
