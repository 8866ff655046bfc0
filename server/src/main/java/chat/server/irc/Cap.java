package chat.server.irc;

import java.util.Locale;

/**
 * The IRCv3 capabilities this server offers (CAP LS); each is one bit of a session's set.
 * Offered only what is implemented: a capability a client asks for and the server then ignores
 * would be worse than one never offered.
 */
enum Cap {
    /** Room mates logging in and out are told as {@code ACCOUNT}. */
    ACCOUNT_NOTIFY("account-notify"),
    /** Lines from a logged-in user carry its account as {@code account=NAME}. */
    ACCOUNT_TAG("account-tag"),
    /** Room mates going away and coming back are told as {@code AWAY}. */
    AWAY_NOTIFY("away-notify"),
    /** Replies to a labeled command are grouped in a {@code BATCH}. */
    BATCH("batch"),
    /** The server tells of capabilities coming and going (it never changes them). */
    CAP_NOTIFY("cap-notify"),
    /** {@code CHATHISTORY}: past messages of channels and conversations, in batches (IRCv3 draft). */
    CHATHISTORY("draft/chathistory"),
    /** The sender of a PRIVMSG or NOTICE gets it back, as everyone else sees it. */
    ECHO_MESSAGE("echo-message"),
    /** A JOIN names the joiner's account and real name. */
    EXTENDED_JOIN("extended-join"),
    /** MONITOR also tells of a watched user's away and real-name changes, room shared or not. */
    EXTENDED_MONITOR("extended-monitor"),
    /** Room mates who may invite are told of an invitation to it, as {@code INVITE}. */
    INVITE_NOTIFY("invite-notify"),
    /** A command's {@code label} tag comes back on its replies (with {@link #BATCH}). */
    LABELED_RESPONSE("labeled-response"),
    /** {@code REDACT}: withdrawing a message by its msgid, told to those with the capability (IRCv3 draft). */
    MESSAGE_REDACTION("draft/message-redaction"),
    /**
     * Messages of several lines sent and received as one {@code draft/multiline} batch (IRCv3
     * draft); clients without it get each line as a message of its own.
     */
    MULTILINE("draft/multiline", "max-bytes=" + MultilineCommands.MAX_BYTES + ",max-lines=" + MultilineCommands.MAX_LINES),
    /** Tags both ways: {@code msgid} on every message, client tags relayed, TAGMSG. */
    MESSAGE_TAGS("message-tags"),
    /**
     * Metadata (IRCv3 draft, its third revision): {@code METADATA} on oneself and on rooms, and
     * news of the subscribed keys as 761/766 numerics; settable before registration.
     */
    METADATA("draft/metadata-3", "before-connect,max-subs=" + MetadataCommands.MAX_SUBSCRIPTIONS
            + ",max-keys=" + chat.server.core.Metadata.MAX_KEYS
            + ",max-value-bytes=" + chat.server.core.Metadata.MAX_VALUE_BYTES),
    /** {@code MARKREAD}: how far the user has read each channel and conversation (draft). */
    READ_MARKER("draft/read-marker"),
    /** NAMES and WHO give every prefix a member has (it has none or one today). */
    MULTI_PREFIX("multi-prefix"),
    /** Logging in to an account before registration with {@code AUTHENTICATE} (SASL PLAIN); offered with accounts on. */
    SASL("sasl", "PLAIN"),
    /** Real names change with {@code SETNAME}, and room mates are told. */
    SETNAME("setname"),
    /** Every message carries the {@code time} it was sent. */
    SERVER_TIME("server-time"),
    /** NAMES gives {@code nick!user@host} rather than the nick alone. */
    USERHOST_IN_NAMES("userhost-in-names");

    private final String wireName;
    /** What CAP LS 302 gives after {@code =}; null for nothing. */
    private final String value;

    Cap(String wireName) {
        this(wireName, null);
    }

    Cap(String wireName, String value) {
        this.wireName = wireName;
        this.value = value;
    }

    String wireName() {
        return wireName;
    }

    int bit() {
        return 1 << ordinal();
    }

    /** The capability of this name (case-insensitive), or null. */
    static Cap named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Cap cap : values()) {
            if (cap.wireName.equals(lower)) {
                return cap;
            }
        }
        return null;
    }

    /** Every capability's name, space-separated, as CAP LS lists them on a server with accounts. */
    static String all() {
        return all(false, true);
    }

    /**
     * The same, with values ({@code name=value}) for clients of CAP LS 302 and later; without
     * {@link #SASL} when the server has no accounts.
     */
    static String all(boolean withValues, boolean accounts) {
        StringBuilder names = new StringBuilder();
        for (Cap cap : values()) {
            if (cap == SASL && !accounts) {
                continue;
            }
            if (names.length() > 0) {
                names.append(' ');
            }
            names.append(cap.wireName);
            if (withValues && cap.value != null) {
                names.append('=').append(cap.value);
            }
        }
        return names.toString();
    }
}
