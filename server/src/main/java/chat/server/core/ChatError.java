package chat.server.core;

/** Why the core refused a request. Each dialect words these in its own way. */
public enum ChatError {
    /** The nickname breaks {@link Names#isValidName}; subject: the nickname. */
    INVALID_NICK,
    /** Another user has this nickname, compared case-insensitively; subject: the nickname. */
    NICK_TAKEN,
    /** The room name breaks {@link Names#isValidName}; subject: the room name. */
    INVALID_ROOM,
    /** The user is not a member of the room; subject: the room name. */
    NOT_IN_ROOM,
    /** No room has this name; subject: the room name. */
    NO_SUCH_ROOM,
    /** No user has this nickname; subject: the nickname. */
    NO_SUCH_NICK
}
