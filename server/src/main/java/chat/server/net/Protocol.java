package chat.server.net;

/**
 * A dialect as the transport sees it: it makes a {@link ProtocolHandler} for each accepted
 * connection, and words the one line sent to a connection refused before it got a handler.
 *
 * <p>Loop thread only.
 */
public interface Protocol {

    ProtocolHandler newHandler(Connection connection);

    /** The bytes sent to a connection refused at accept time, before it is closed. */
    byte[] refusal(LimitKind limit, long figure, long max);
}
