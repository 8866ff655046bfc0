package chat.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made for a test: a CA, and server certificates it signs for {@code localhost} and
 * {@code 127.0.0.1}, written as the PEM files certbot and openssl write. Nothing here is meant to
 * be secure beyond a test's lifetime.
 */
public final class TestCertificates {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /** A certificate and the key pair it certifies. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private TestCertificates() {
    }

    /** A self-signed CA with an EC P-256 key. */
    public static Issued ca(String name) {
        KeyPair keys = keyPair("EC");
        return new Issued(sign(name, keys, name, keys.getPrivate(), true), keys);
    }

    /** A server certificate signed by {@code ca} for localhost and 127.0.0.1, on an "EC" or "RSA" key. */
    public static Issued server(Issued ca, String keyAlgorithm) {
        return server(ca, keyAlgorithm, Instant.now().plus(Duration.ofDays(1)));
    }

    /** The same, valid until {@code notAfter} (in the past for an expired one). */
    public static Issued server(Issued ca, String keyAlgorithm, Instant notAfter) {
        KeyPair keys = keyPair(keyAlgorithm);
        String caName = ca.certificate().getSubjectX500Principal().getName();
        return new Issued(sign("CN=localhost", keys, caName, ca.keys().getPrivate(), false, notAfter), keys);
    }

    private static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
            boolean isCa) {
        return sign(subject, subjectKeys, issuer, issuerKey, isCa, Instant.now().plus(Duration.ofDays(1)));
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
            boolean isCa, Instant notAfter) {
        try {
            Instant notBefore = notAfter.isBefore(Instant.now()) ? notAfter.minus(Duration.ofDays(2))
                    : Instant.now().minus(Duration.ofHours(1));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            String signature = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signature).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    /** Writes certificates as certbot's fullchain.pem: BEGIN CERTIFICATE blocks, the server's first. */
    public static Path writeChain(Path file, X509Certificate... chain) {
        return writePem(file, (Object[]) chain);
    }

    /** Writes a key as {@code BEGIN PRIVATE KEY} (PKCS#8), as certbot and {@code openssl genpkey} do. */
    public static Path writePkcs8Key(Path file, PrivateKey key) {
        try {
            return writePem(file, new JcaPKCS8Generator(key, null).generate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a key in OpenSSL's traditional form: {@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY}. */
    public static Path writeTraditionalKey(Path file, PrivateKey key) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            if (key.getAlgorithm().equals("RSA")) {
                return writePem(file, new PemObject("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded()));
            }
            // As openssl writes it: the curve inside the key (SEC 1), not only around it (PKCS#8).
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            ECPrivateKey standalone = new ECPrivateKey(
                    ((java.security.interfaces.ECPrivateKey) key).getParams().getOrder().bitLength(), inner.getKey(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return writePem(file, new PemObject("EC PRIVATE KEY", standalone.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writePem(Path file, Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server context with {@code server}'s key, its chain completed by {@code issuers}. */
    public static SSLContext serverContext(Issued server, X509Certificate... issuers) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            X509Certificate[] chain = new X509Certificate[issuers.length + 1];
            chain[0] = server.certificate();
            System.arraycopy(issuers, 0, chain, 1, issuers.length);
            store.setKeyEntry("server", server.keys().getPrivate(), new char[0], chain);
            javax.net.ssl.KeyManagerFactory keys =
                    javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Engines of {@code provider} with {@code server}'s key, its chain completed by {@code issuers}. */
    public static chat.server.net.TlsEngines engines(TlsProvider provider, Issued server, X509Certificate... issuers) {
        if (provider.resolved() == TlsProvider.JDK) {
            return chat.server.net.TlsEngines.jdk(serverContext(server, issuers));
        }
        java.util.List<X509Certificate> chain = new java.util.ArrayList<>();
        chain.add(server.certificate());
        chain.addAll(java.util.Arrays.asList(issuers));
        return new OpenSslEngines(server.keys().getPrivate(), chain);
    }

    /** A client context that trusts {@code ca} alone. */
    public static SSLContext trusting(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
