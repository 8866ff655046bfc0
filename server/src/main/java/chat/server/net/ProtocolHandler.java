package chat.server.net;

import chat.common.FrameHandler;

/**
 * What a {@link Connection} drives: one per connection, speaking one dialect. Receives the
 * connection's frames and its life-cycle events; answers by calling {@link Connection#send} and
 * {@link Connection#close}.
 *
 * <p>All methods run on the event-loop thread. Frames arrive only between {@link #onOpen} and
 * {@link #onClose}, and none after {@link Connection#close} was called.
 */
public interface ProtocolHandler extends FrameHandler {

    /** The connection is registered and may send. */
    void onOpen();

    /**
     * The client hit a limit and is about to be disconnected: queue the line that tells it so.
     * The transport closes the connection right after, flushing that line when it can.
     */
    void onLimitExceeded(LimitKind limit, long figure, long max);

    /**
     * The connection is closing and the chat should forget it; called exactly once, at a safe
     * point of the loop (never in the middle of a broadcast).
     */
    void onClose(CloseReason reason, String detail);

    /** True once the session has a chat user (for the metrics' census); false while it registers. */
    default boolean hasUser() {
        return false;
    }
}
