package chat.server.history;

import chat.server.core.Names;

/**
 * The keys history is kept under: a room's is its {@link Names#key} ({@code #dev}); a private
 * conversation's is the keys of its two nicks in order, joined by a space, which no nick holds
 * ({@code alice bob}), so both sides find the same conversation.
 */
public final class HistoryTargets {

    private HistoryTargets() {
    }

    public static String room(String roomName) {
        return Names.key(Names.roomDisplayName(roomName));
    }

    public static String conversation(String nickA, String nickB) {
        String a = Names.key(nickA);
        String b = Names.key(nickB);
        return a.compareTo(b) <= 0 ? a + " " + b : b + " " + a;
    }

    public static boolean isConversation(String target) {
        return target.indexOf(' ') >= 0;
    }
}
