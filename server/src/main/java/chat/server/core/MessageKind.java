package chat.server.core;

/** What kind of line a user sends to a room or a person; each dialect words them its own way. */
public enum MessageKind {
    /** Plain text. */
    TEXT,
    /** An emote: the native {@code /me}, IRC's CTCP ACTION. */
    ACTION,
    /** A notice: IRC's NOTICE, which no automatic reply may answer; shown as text natively. */
    NOTICE,
    /** Tags and no text (IRCv3 TAGMSG: typing notices, reactions); only dialects with tags show it. */
    TAGMSG
}
