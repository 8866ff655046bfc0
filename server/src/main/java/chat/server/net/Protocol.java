package chat.server.net;

/**
 * A dialect as the transport sees it: it makes a {@link ProtocolHandler} for each connection
 * detected as speaking it, and says how long its lines may be.
 *
 * <p>Loop thread only.
 */
public interface Protocol {

    ProtocolHandler newHandler(Connection connection);

    /** Longest line accepted, in bytes on the wire, LF and CR excluded; framing enforces it. */
    int maxLineBytes();

    /**
     * Whether its lines count against the flood limit: chat lines do; an HTTP request's header
     * lines are not chat, and that protocol bounds them itself.
     */
    default boolean floodControlled() {
        return true;
    }
}
