package chat.server.core;

/**
 * Something a user is told. Events are immutable and delivered synchronously, so one instance
 * can be handed to every recipient of a broadcast and formatted once per wire format.
 *
 * <p>Events name rooms and texts by value and the user they come from by its {@link User}, for
 * what does not change about a user (its user name and address, which IRC shows in every
 * prefix) and its nick, which is the nick at the time of the event: events are delivered while
 * the call that made them runs, before the nick can change again. A nick change carries the old
 * nick itself.
 */
public sealed interface ChatEvent {

    /**
     * A line said in a room, with the sender's client tags (IRCv3 {@code +name=value}, relayed
     * as they came to the dialects that carry them; empty for most), for all its members or for
     * those of a rank ({@link Audience}); {@code id} and {@code time} are the server's
     * ({@link MessageIds}), what history keeps it under and every dialect may show; {@code lines}
     * the parts of a message sent as several lines (its text is them joined), else null.
     */
    record RoomMessage(String room, User from, String text, MessageKind kind, java.util.Map<String, String> tags,
            Audience audience, long id, long time, Multiline lines) implements ChatEvent {
        public RoomMessage {
            tags = java.util.Map.copyOf(tags);
        }

        /** A message of one line. */
        public RoomMessage(String room, User from, String text, MessageKind kind, java.util.Map<String, String> tags,
                Audience audience, long id, long time) {
            this(room, from, text, kind, tags, audience, id, time, null);
        }

        /** Without an id or time: for tests of formatting. */
        public RoomMessage(String room, User from, String text, MessageKind kind, java.util.Map<String, String> tags) {
            this(room, from, text, kind, tags, Audience.EVERYONE, 0, 0, null);
        }

        public RoomMessage(String room, User from, String text, MessageKind kind) {
            this(room, from, text, kind, java.util.Map.of(), Audience.EVERYONE, 0, 0, null);
        }
    }

    /** A private message, with the sender's client tags, id and time; delivered to {@code to} only. */
    record PrivateMessage(User from, String to, String text, MessageKind kind, java.util.Map<String, String> tags,
            long id, long time, Multiline lines) implements ChatEvent {
        public PrivateMessage {
            tags = java.util.Map.copyOf(tags);
        }

        /** A message of one line. */
        public PrivateMessage(User from, String to, String text, MessageKind kind, java.util.Map<String, String> tags,
                long id, long time) {
            this(from, to, text, kind, tags, id, time, null);
        }

        /** Without an id or time: for tests of formatting. */
        public PrivateMessage(User from, String to, String text, MessageKind kind) {
            this(from, to, text, kind, java.util.Map.of(), 0, 0, null);
        }
    }

    /** {@code who} entered {@code room}; the joiner receives it too. */
    record Joined(String room, User who) implements ChatEvent {
        public String nick() {
            return who.nick();
        }
    }

    /** {@code who} left {@code room}; {@code reason} may be empty. The leaver receives it too. */
    record Parted(String room, User who, String reason) implements ChatEvent {
        public String nick() {
            return who.nick();
        }
    }

    /** {@code who}, formerly {@code oldNick}, is now {@code who.nick()}; told to it and its room mates once. */
    record NickChanged(String oldNick, User who) implements ChatEvent {
        public String newNick() {
            return who.nick();
        }
    }

    /** {@code who} left the server; told once to everyone who shared a room with it. */
    record Quit(User who, String reason) implements ChatEvent {
        public String nick() {
            return who.nick();
        }
    }

    /** {@code by} set the topic of {@code room}; told to every member, the setter included. */
    record TopicChanged(String room, User by, String topic) implements ChatEvent {
    }

    /** {@code by} put {@code target} out of {@code room}; told to every member, the target included. */
    record Kicked(String room, User by, String target, String reason) implements ChatEvent {
    }

    /** {@code by} changed the modes of {@code room}; told to every member. */
    record ModeChanged(String room, User by, java.util.List<ModeChange> changes) implements ChatEvent {
        /** Whether the room's registration made the change (+o for an account it lists), not a member. */
        public boolean byRegistration() {
            return by == null;
        }

        public ModeChanged {
            changes = java.util.List.copyOf(changes);
        }
    }

    /**
     * {@code by} invited {@code target} to {@code room}: told to the one invited, and to the
     * room's members who may invite, for whom it is a notification.
     */
    record Invited(String room, User by, String target) implements ChatEvent {
    }

    /**
     * A server operator disconnects the recipient; its dialect closes the connection, and the
     * user's room mates then see it quit with {@code Killed (by (reason))}.
     */
    record Killed(User by, String reason) implements ChatEvent {
        /** The quit reason room mates see. */
        public String quitReason() {
            return "Killed (" + by.nick() + " (" + reason + "))";
        }
    }

    /**
     * The recipient's nick was taken back by {@code by}, who logged in to the account that owns
     * it from another connection (a stale connection of the owner, usually); its dialect closes
     * the connection, and its room mates see it quit with {@link #quitReason}.
     */
    record Ghosted(User by) implements ChatEvent {
        public static final String QUIT_REASON = "Ghosted (logged in from another connection)";

        public String quitReason() {
            return QUIT_REASON;
        }
    }

    /**
     * {@code who} logged in to {@code account}, or logged out ({@code account} null); told to it,
     * its room mates and its watchers (IRC's account-notify).
     */
    record AccountChanged(User who, String account) implements ChatEvent {
    }

    /**
     * {@code who} became a server operator by logging in to an operator account ({@code on}), or
     * stopped being one by logging out of it; told to it alone.
     */
    record ServerOperatorChanged(User who, boolean on) implements ChatEvent {
    }

    /** A message from a server operator to every operator (IRC's WALLOPS). */
    record Wallops(User from, String text) implements ChatEvent {
    }

    /**
     * A nick the recipient monitors (IRC's MONITOR) came online ({@code user} is who has it now)
     * or went offline ({@code user} is null); told to its watchers only.
     */
    record PresenceChanged(String nick, User user) implements ChatEvent {
        public boolean online() {
            return user != null;
        }
    }

    /** {@code who} went away ({@code message}) or came back (null); told to its room mates. */
    record AwayChanged(User who, String message) implements ChatEvent {
    }

    /** {@code who} changed its real name; told to it and its room mates. */
    record RealnameChanged(User who, String realname) implements ChatEvent {
    }

    /**
     * A metadata key of a user (its nick) or a room (its name) was set to {@code value}, or
     * removed (null), by {@code by}; told to those who see the target (its room mates, the
     * room's members, its watchers), not to {@code by}.
     */
    record MetadataChanged(String target, User by, String key, String value) implements ChatEvent {
    }

    /**
     * {@code by} withdrew message {@code id} (IRCv3 message-redaction), with a reason or null:
     * in {@code room}, told to its members; or, {@code room} null, in {@code by}'s conversation
     * with {@code to}, told to both. History forgets the message.
     */
    record Redacted(String room, String to, User by, long id, String reason) implements ChatEvent {
    }

    /** A notice from the server itself, such as a shutdown warning. */
    record ServerNotice(String text) implements ChatEvent {
    }
}
