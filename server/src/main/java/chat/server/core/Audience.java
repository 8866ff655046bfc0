package chat.server.core;

/**
 * Which members of a room a room message is for: all of them, or only those with a rank (IRC's
 * STATUSMSG, {@code PRIVMSG @#room}). Each dialect words it its own way.
 */
public enum Audience {
    /** Every member. */
    EVERYONE,
    /** Members with voice or operator rank. */
    VOICED,
    /** Room operators only. */
    OPERATORS;

    /**
     * The audience a message target names, in the spelling both dialects share (IRC's
     * STATUSMSG): {@code @#room} for its operators, {@code +#room} for its voiced members and
     * operators; with both prefixes the wider audience wins, as Modern IRC says. Anything else,
     * a plain room or a nick, is for everyone.
     */
    public static Audience ofTarget(String target) {
        Audience audience = EVERYONE;
        for (int i = 0; i < target.length() - 1; i++) {
            char c = target.charAt(i);
            if (c == '+') {
                audience = VOICED;
            } else if (c == '@') {
                audience = audience == VOICED ? VOICED : OPERATORS;
            } else {
                return c == '#' ? audience : EVERYONE;
            }
        }
        return EVERYONE;
    }

    /** The prefix {@link #ofTarget} reads as this audience: none, {@code +} or {@code @}. */
    public String prefix() {
        return switch (this) {
            case EVERYONE -> "";
            case VOICED -> "+";
            case OPERATORS -> "@";
        };
    }

    /** Whether {@code member} of {@code room} hears a message for this audience. */
    boolean includes(Room room, User member) {
        return switch (this) {
            case EVERYONE -> true;
            case VOICED -> room.hasVoice(member) || room.isOperator(member);
            case OPERATORS -> room.isOperator(member);
        };
    }
}
