package chat.server.net;

/**
 * Where a connection's input stands. One value, owned by its {@link InputFlow}, that everything
 * about input consults: the read handler (read only while {@link #READING}), the idle sweep (a
 * paused connection has input waiting on us, so it is not idle), salvage when a write fails (a
 * paused connection's backlog is delivered first), and closing (nothing more is delivered).
 */
public enum InputState {
    /** Reading from the socket as it becomes readable. */
    READING,
    /** Reading stopped: the flood bucket is empty; a timer resumes it when a token is back. */
    FLOOD_PAUSED,
    /** Reading stopped: this connection had its share of the iteration; the next one resumes it. */
    FAIRNESS_PAUSED,
    /**
     * Reading stopped: the dialect waits for an answer computed off the loop (a password check)
     * before it handles the client's next line, so replies keep the order of the requests.
     */
    HELD,
    /** The peer is gone (end of stream, reset, failed write): what it sent is delivered unpaused. */
    ENDED,
    /** The connection is closing: nothing more is read or delivered. */
    CLOSED;

    /** True while input waits on us rather than on the peer. */
    public boolean isPaused() {
        return this == FLOOD_PAUSED || this == FAIRNESS_PAUSED || this == HELD;
    }
}
