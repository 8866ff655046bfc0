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
}
