package chat.server.core;

/**
 * Where the chat core sends what a user should see. Implemented by a dialect (the native line
 * protocol today, IRC later), which turns events into its own wire format.
 *
 * <p>Called on the event-loop thread only. Must not call back into {@link ChatCore} and must not
 * throw: a recipient that cannot deliver (its connection is gone or over its limits) drops the
 * event and arranges its own close.
 */
public interface Recipient {

    void deliver(ChatEvent event);

    /**
     * Several joins to one room, in the order they happened, told at once: the same list
     * instance goes to every recipient of the batch, one after the other. Delivers them one by
     * one unless the dialect does better (one write for all).
     */
    default void deliverJoins(java.util.List<ChatEvent.Joined> joins) {
        for (ChatEvent.Joined joined : joins) {
            deliver(joined);
        }
    }
}
