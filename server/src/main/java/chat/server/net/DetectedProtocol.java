package chat.server.net;

/** What a connection's first bytes say it speaks; see {@link ProtocolDetector}. */
public enum DetectedProtocol {
    /** A TLS record carrying a ClientHello. */
    TLS,
    /** An HTTP/1.x request line. */
    HTTP,
    /** An IRC client's registration: {@code CAP}, {@code NICK}, {@code USER} or {@code PASS}. */
    IRC,
    /** Anything else: the native line dialect, which nc and telnet speak. */
    NATIVE
}
