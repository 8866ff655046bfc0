package chat.server.core;

/**
 * Something a user is told. Events are immutable and carry names, not objects, so one instance
 * can be handed to every recipient of a broadcast and formatted once per wire format.
 */
public sealed interface ChatEvent {

    /** A line of text said in a room; {@code action} marks an emote ({@code /me}). */
    record RoomMessage(String room, String from, String text, boolean action) implements ChatEvent {
    }

    /** A private message; delivered to {@code to} only. */
    record PrivateMessage(String from, String to, String text, boolean action) implements ChatEvent {
    }

    /** {@code nick} entered {@code room}; the joiner receives it too. */
    record Joined(String room, String nick) implements ChatEvent {
    }

    /** {@code nick} left {@code room}; {@code reason} may be empty. The leaver receives it too. */
    record Parted(String room, String nick, String reason) implements ChatEvent {
    }

    /** A user changed nick; told once to the user and to everyone sharing a room with them. */
    record NickChanged(String oldNick, String newNick) implements ChatEvent {
    }

    /** A user left the server; told once to everyone who shared a room with them. */
    record Quit(String nick, String reason) implements ChatEvent {
    }

    /** A notice from the server itself, such as a shutdown warning. */
    record ServerNotice(String text) implements ChatEvent {
    }
}
