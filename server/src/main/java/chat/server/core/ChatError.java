package chat.server.core;

/** Why the core refused a request. Each dialect words these in its own way. */
public enum ChatError {
    /** The nickname breaks {@link Names#isValidNick}; subject: the nickname. */
    INVALID_NICK,
    /** Another user has this nickname, compared case-insensitively; subject: the nickname. */
    NICK_TAKEN,
    /** The nickname is an account's, and the user is not logged in to it; subject: the nickname. */
    NICK_RESERVED,
    /**
     * A private message to an account that is offline, whose kept messages are as many as one
     * may keep; subject: the nickname.
     */
    MAILBOX_FULL,
    /** The room name breaks {@link Names#isValidName}; subject: the room name. */
    INVALID_ROOM,
    /** The user is not a member of the room; subject: the room name. */
    NOT_IN_ROOM,
    /** No room has this name; subject: the room name. */
    NO_SUCH_ROOM,
    /** No user has this nickname; subject: the nickname. */
    NO_SUCH_NICK,
    /** The room is at its member limit (+l); subject: the room. */
    ROOM_FULL,
    /** The room is invite-only (+i) and the user was not invited; subject: the room. */
    INVITE_ONLY,
    /** A ban (+b) matches the user; subject: the room. */
    BANNED,
    /** The room has a key (+k) and the user gave another or none; subject: the room. */
    BAD_KEY,
    /** Only the room's operators may do that; subject: the room. */
    NOT_OPERATOR,
    /** The room is moderated (+m), or the user is banned, and it has no voice; subject: the room. */
    CANNOT_SEND,
    /** The user acted on is not in the room; subject: that user's nick. */
    USER_NOT_IN_ROOM,
    /** The user invited is in the room already; subject: that user's nick. */
    ALREADY_IN_ROOM,
    /** A mode letter the core does not know; subject: the letter. */
    UNKNOWN_MODE,
    /** Only server operators may do that; subject: the command. */
    NOT_SERVER_OPERATOR,
    /**
     * A key or mask that could not be given back in a JOIN or a MODE line (empty, with a space
     * or a comma, or starting with {@code :}); subject: the mode letter.
     */
    INVALID_MODE_PARAM,
    /** Not a metadata key ({@link Metadata#normalizeKey}); subject: the key. */
    INVALID_KEY,
    /** A metadata value longer than {@link Metadata#MAX_VALUE_BYTES}; subject: the key. */
    INVALID_VALUE,
    /** Metadata of another user, which only it may change; subject: that user's nick. */
    NOT_YOURS,
    /** {@link Metadata#MAX_KEYS} keys are set already; subject: the target. */
    LIMIT_REACHED,
    /** A metadata key removed that was not set; subject: the key. */
    KEY_NOT_SET,
    /** The user is in as many rooms as one may be ({@code --max-rooms-per-user}); subject: the room. */
    TOO_MANY_ROOMS,
    /** A new room, when the server holds as many as it may ({@code --max-rooms}); subject: the room. */
    SERVER_ROOMS_FULL,
    /** A list mode holds {@link ModeChange#MAX_LIST_LENGTH} masks already; subject: the mode letter. */
    LIST_FULL,
    /** Only a user logged in to an account may do that (register a room, drop one); subject: the room. */
    NOT_LOGGED_IN,
    /** The room is registered already; subject: the room. */
    ROOM_REGISTERED,
    /** The room is not registered; subject: the room. */
    ROOM_NOT_REGISTERED,
    /** Only the founder of the registered room may do that; subject: the room. */
    NOT_FOUNDER,
    /**
     * The account founded as many registered rooms as one may
     * ({@code --max-registered-rooms-per-account}); subject: the account.
     */
    TOO_MANY_REGISTERED_ROOMS
}
