package chat.server.net;

/** A limit a client can hit; the dialect words what the client is told about each. */
public enum LimitKind {
    /** Too many bytes queued for a client that does not read (figure: bytes pending). */
    SEND_QUEUE,
    /** The server holds its maximum number of clients (figure: clients). */
    MAX_CLIENTS,
    /** Too many connections from one address (figure: connections from it). */
    MAX_PER_ADDRESS,
    /** Nothing received for too long (figure: seconds idle). */
    IDLE
}
