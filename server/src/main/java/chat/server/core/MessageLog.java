package chat.server.core;

/**
 * Where the core hands every message that history keeps: room messages for all members and
 * private messages, TAGMSGs excepted. The history package implements it; the core knows no more
 * of history than that. Called on the loop thread, after the message was delivered; must not
 * block or throw.
 */
public interface MessageLog {

    /** Keeps nothing. */
    MessageLog NONE = new MessageLog() {
        @Override
        public void said(ChatEvent.RoomMessage message) {
        }

        @Override
        public void sentPrivately(ChatEvent.PrivateMessage message) {
        }

        @Override
        public void redacted(ChatEvent.Redacted redaction) {
        }
    };

    void said(ChatEvent.RoomMessage message);

    void sentPrivately(ChatEvent.PrivateMessage message);

    /** A message was withdrawn: history forgets it. */
    void redacted(ChatEvent.Redacted redaction);
}
