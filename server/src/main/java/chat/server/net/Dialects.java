package chat.server.net;

/**
 * What a {@link TcpServer} serves: the {@link Protocol} for each {@link DetectedProtocol}, and
 * the words for a connection refused at accept, before any byte says what it speaks.
 *
 * <p>Loop thread only.
 */
public interface Dialects {

    Protocol protocolFor(DetectedProtocol detected);

    /**
     * The bytes sent to a connection refused at accept (server full, too many from one address),
     * before it is closed. Nothing is known of the client yet, so they must read sensibly in
     * every dialect and harm none.
     */
    byte[] acceptRefusal(LimitKind limit, long figure, long max);

    /**
     * The bytes sent to a plaintext connection on a TLS-only listener before it is closed: like
     * {@link #acceptRefusal}, readable in every dialect.
     */
    byte[] plaintextRefusal();
}
