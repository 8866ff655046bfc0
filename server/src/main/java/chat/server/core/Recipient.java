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
     * Several joins to one room, from {@code joins.get(from)} on, in the order they happened,
     * told at once. The same list instance goes to every recipient of the batch, one after the
     * other, each with the place it starts from. Delivers them one by one unless the dialect
     * does better (one write for all).
     */
    default void deliverJoins(java.util.List<ChatEvent.Joined> joins, int from) {
        for (int i = from; i < joins.size(); i++) {
            deliver(joins.get(i));
        }
    }
}
