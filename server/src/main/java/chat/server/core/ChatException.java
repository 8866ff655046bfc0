package chat.server.core;

/**
 * A request the core refused, with the reason and the name it concerns. An expected outcome of
 * user input, not a fault: it carries no stack trace.
 */
public final class ChatException extends Exception {

    private final ChatError error;
    private final String subject;

    public ChatException(ChatError error, String subject) {
        super(error + ": " + subject, null, false, false);
        this.error = error;
        this.subject = subject;
    }

    public ChatError error() {
        return error;
    }

    /** The nickname or room name the refusal is about, as the user gave it. */
    public String subject() {
        return subject;
    }
}
