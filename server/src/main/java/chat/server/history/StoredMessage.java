package chat.server.history;

import chat.server.core.MessageKind;
import java.util.Map;

/**
 * A message as history keeps it: what a dialect needs to show it again, long after its sender
 * left. Immutable; made on the loop, written by the history writer, read back by either.
 *
 * @param id the server-assigned message id: unique, and increasing in the order messages were said
 * @param time when the server took it, in milliseconds since the epoch
 * @param target the key of its room or conversation ({@link HistoryTargets})
 * @param room the room's display name ({@code #Dev}); null for a private message
 * @param from the sender's nick at the time
 * @param fromAddress the sender's {@code user@host}, for the IRC prefix
 * @param to the addressee's nick for a private message; null in a room
 * @param kind text, action or notice (TAGMSGs are not kept)
 * @param text the text as said
 * @param tags the sender's client tags ({@code +draft/reply...}); empty for most
 */
public record StoredMessage(long id, long time, String target, String room, String from, String fromAddress,
        String to, MessageKind kind, String text, Map<String, String> tags) {

    public StoredMessage {
        tags = Map.copyOf(tags);
    }

    public boolean isPrivate() {
        return room == null;
    }
}
