package chat.server.tls;

/**
 * Whose cryptography serves TLS ({@code --tls-provider}): BoringSSL through netty-tcnative, the
 * JDK's own, or BoringSSL where it loads and the JDK's elsewhere ({@link #AUTO}, the default).
 * BoringSSL does a full handshake for well under half the CPU of the JDK's provider, whose ECDSA
 * signature and key exchange are pure Java; the JDK's needs no native library.
 */
public enum TlsProvider {
    AUTO, OPENSSL, JDK;

    /** What {@link #AUTO} becomes here; the others stay as they are. */
    public TlsProvider resolved() {
        return this != AUTO ? this : OpenSslEngines.available() ? OPENSSL : JDK;
    }

    /** Why BoringSSL is not used where it was asked for or would have been chosen; null when it loads. */
    public static String whyNotOpenSsl() {
        Throwable cause = OpenSslEngines.unavailabilityCause();
        return cause == null ? null : String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause);
    }
}
