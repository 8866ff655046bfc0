package chat.server.tls;

import chat.server.net.TlsEngines;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key, read from the PEM files certbot and openssl write:
 * {@code fullchain.pem} (the server's certificate first, then its issuers) and
 * {@code privkey.pem} in any of its forms (PKCS#8 {@code BEGIN PRIVATE KEY}, traditional
 * {@code BEGIN RSA PRIVATE KEY} and {@code BEGIN EC PRIVATE KEY}). Bouncy Castle's PEM parser
 * reads the key forms the JDK does not; the keys themselves are the JDK's.
 *
 * <p>Every way the files can be wrong is an {@link IllegalArgumentException} whose message names
 * the file and says what is wrong, for the operator: no certificate, no key, an encrypted key,
 * a key that does not belong to the certificate.
 */
public final class PemCredentials {

    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private PemCredentials(List<X509Certificate> chain, PrivateKey key) {
        this.chain = List.copyOf(chain);
        this.key = key;
    }

    /** Reads and checks both files. */
    public static PemCredentials load(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = readCertificates(certificateFile);
        PrivateKey key = readKey(keyFile);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException(keyFile + ": this key does not belong to the first certificate of "
                    + certificateFile + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new PemCredentials(chain, key);
    }

    /** The server's certificate first, then its issuers, as in the file. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** A server-side SSL context on these credentials; TLS 1.2 and 1.3 are chosen per engine. */
    public SSLContext serverContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot make a TLS context of these credentials: " + e.getMessage(), e);
        }
    }

    /**
     * Server-side engines on these credentials from {@code provider} ({@link TlsProvider#AUTO}:
     * BoringSSL where it loads).
     *
     * @throws IllegalArgumentException BoringSSL was asked for and does not load on this machine
     */
    public TlsEngines engines(TlsProvider provider) {
        if (provider.resolved() != TlsProvider.OPENSSL) {
            return TlsEngines.jdk(serverContext());
        }
        if (!OpenSslEngines.available()) {
            throw new IllegalArgumentException("--tls-provider openssl: BoringSSL does not load on this machine ("
                    + TlsProvider.whyNotOpenSsl() + "); use --tls-provider jdk");
        }
        return new OpenSslEngines(key, chain);
    }

    private static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try (var in = Files.newInputStream(file)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) certificate);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + ": not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(file + ": no certificate in it (expected BEGIN CERTIFICATE)");
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PEMKeyPair pair) { // BEGIN RSA / EC PRIVATE KEY
                    return converter.getPrivateKey(pair.getPrivateKeyInfo()); // its public half may be absent (SEC 1)
                }
                if (object instanceof PrivateKeyInfo info) { // BEGIN PRIVATE KEY
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException(file + ": the key is encrypted; give it without a passphrase "
                            + "(openssl pkey -in KEY -out PLAIN), readable by this server's user only");
                }
                // Parameters (BEGIN EC PARAMETERS) or a certificate: look further.
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read a PEM key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(file + ": no private key in it (expected BEGIN PRIVATE KEY, "
                + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    /** Whether {@code key} signs what {@code publicKey} verifies: the pair belongs together. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a kind this check does not know: the handshake will tell
        }
        try {
            byte[] probe = "chat".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
