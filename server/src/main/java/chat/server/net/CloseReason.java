package chat.server.net;

/**
 * Why a connection was closed. Decides whether queued output is flushed first.
 */
public enum CloseReason {
    /** The user asked to leave. */
    QUIT("quit", true),
    /** The peer shut down its output (end of stream); what is queued for it is still sent. */
    END_OF_STREAM("connection closed", true),
    /** The peer reset the connection, or a read or write failed. */
    RESET("connection reset", false),
    /** An unexpected fault while serving this connection; logged as a warning. */
    ERROR("internal error", false),
    /** A limit was hit (queue, flood, line); the client was told which. */
    LIMIT("limit exceeded", true),
    /** The peer sent something that is not this protocol (HTTP, TLS). */
    PROTOCOL("protocol mismatch", true),
    /** Idle for longer than the idle timeout. */
    IDLE("idle timeout", true),
    /** The server is shutting down. */
    SHUTDOWN("server shutting down", true);

    private final String description;
    private final boolean flushFirst;

    CloseReason(String description, boolean flushFirst) {
        this.description = description;
        this.flushFirst = flushFirst;
    }

    /** Words for logs and for the quit notice other users see. */
    public String description() {
        return description;
    }

    /** True when output already queued is worth sending before the socket closes. */
    public boolean flushFirst() {
        return flushFirst;
    }
}
