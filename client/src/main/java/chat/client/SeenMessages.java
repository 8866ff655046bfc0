package chat.client;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The messages the client has shown, by their server ids: the last one of each room and private
 * conversation, which a reconnect resumes from ({@code /resume TARGET ID}), and the recent ones,
 * so that no message is shown twice, whether it comes live, in a replay on join or in a resume.
 *
 * <p>Ids are opaque: they are only ever compared for equality, never ordered. "Last" is the last
 * one shown in the order the server sent them, which is the order they were said, except for the
 * answer to {@code /history}, which pages backwards: those lines are shown even when seen before
 * (the user asked for them) and leave the last id alone.
 *
 * <p>Lives as long as the session, across connections: a new connection's welcome forgets the
 * rooms, not what was seen in them. A room's last id is forgotten when we leave the room, so a
 * later join does not resume from a message said long before.
 *
 * <p>Thread-safe: the connection thread records lines, and builds the next connection's target
 * from {@link #lastIds}.
 */
final class SeenMessages {

    /** How many ids are kept to recognize a message shown before: far more than a replay holds (at most 500). */
    static final int RECENT_IDS = 10_000;

    /** The last id shown per room or conversation, by lower-cased name; the value keeps the name as spelled. */
    private final Map<String, Last> last = new LinkedHashMap<>();
    /** Ids shown, oldest first; at most {@link #RECENT_IDS}. */
    private final Set<String> recent = new LinkedHashSet<>();
    /** Rooms and conversations, lower-cased, whose last id was set on the current connection. */
    private final Set<String> setHere = new HashSet<>();

    private record Last(String target, String id) {
    }

    /**
     * Records a message line about to be shown.
     *
     * @param asked true for a line answering {@code /history}
     * @return false when the line must not be shown: its message was shown before and the user did
     *     not ask to see it again
     */
    synchronized boolean firstShowing(ServerLine.Message message, boolean asked) {
        String id = message.id();
        if (id == null) {
            return true; // no ids from this server: every line is new
        }
        boolean fresh = remember(id);
        if (asked) {
            return true;
        }
        if (!fresh) {
            return false;
        }
        if (resumable(message.target())) {
            String key = key(message.target());
            last.remove(key); // re-inserted last: the order of the map is the order of activity
            last.put(key, new Last(message.target(), id));
            setHere.add(key);
        }
        return true;
    }

    /** Forgets where a room or conversation was: we left it, or join it afresh. */
    synchronized void forget(String target) {
        last.remove(key(target));
    }

    /** A new connection: no last id has been set on it yet. */
    synchronized void newConnection() {
        setHere.clear();
    }

    /**
     * True when the last id of a room or conversation was set on the current connection, so it
     * is not one left over from an earlier connection.
     */
    synchronized boolean setOnThisConnection(String target) {
        return setHere.contains(key(target));
    }

    /** The last id shown of a room or conversation, or null. */
    synchronized String lastId(String target) {
        Last l = last.get(key(target));
        return l == null ? null : l.id;
    }

    /**
     * The last id shown per room and conversation, by name as the server spelled it, rooms
     * starting with {@code #}; the conversation active last comes last.
     */
    synchronized Map<String, String> lastIds() {
        Map<String, String> ids = new LinkedHashMap<>();
        last.values().forEach(l -> ids.put(l.target, l.id));
        return ids;
    }

    /** True when the id is new; remembers it either way as the most recent. */
    private boolean remember(String id) {
        boolean fresh = !recent.remove(id);
        recent.add(id);
        if (recent.size() > RECENT_IDS) {
            Iterator<String> oldest = recent.iterator();
            oldest.next();
            oldest.remove();
        }
        return fresh;
    }

    /** A room or a nick; not a line for a room's operators or voiced members, which history does not keep. */
    private static boolean resumable(String target) {
        return !target.startsWith("@") && !target.startsWith("+");
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
