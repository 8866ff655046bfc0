package chat.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the client knows of its place on the server, learned only from the server's lines: our
 * nick, the rooms we are in (in the order joined), the room our plain lines go to, who is in
 * each room as far as we have seen, and whether the server sends our own room lines back to us
 * ({@code -- ids on}). It feeds Tab completion, the highlighting of our own nick, the showing of
 * our own lines, and the rejoin after a reconnect.
 *
 * <p>Names compare without regard to case, as the server's do. Thread-safe: the receiving thread
 * applies lines while the console thread completes nicks, so every method locks the instance.
 */
final class ChatState {

    /** Our nick; null until the server's welcome. */
    private String nick;
    /** The nick the server gave this connection at its welcome; ours is chosen once it differs. */
    private String givenNick;
    /** Rooms we are in, by lower-cased name, in the order joined. */
    private final Map<String, RoomMembers> rooms = new LinkedHashMap<>();
    /** Where our plain lines go; null when we are in no room. */
    private String currentRoom;
    /** True once this connection's server said {@code -- ids on}: our room lines come back to us. */
    private boolean echoed;

    /** What a line meant for us, beyond updating the state. */
    enum Effect { NONE, WE_JOINED, WE_LEFT }

    /** Updates the state from one server line. */
    synchronized Effect apply(ServerLine line) {
        if (line instanceof ServerLine.Welcome w) {
            nick = w.nick(); // a new connection: nothing from the last one holds
            givenNick = w.nick();
            rooms.clear();
            currentRoom = null;
            echoed = false;
        } else if (line instanceof ServerLine.Ids ids) {
            echoed = ids.on();
        } else if (line instanceof ServerLine.Joined j) {
            if (isMe(j.nick())) {
                rooms.computeIfAbsent(key(j.room()), k -> new RoomMembers(j.room())).add(j.nick());
                currentRoom = j.room(); // the server talks in the room joined last
                return Effect.WE_JOINED;
            }
            room(j.room()).add(j.nick());
        } else if (line instanceof ServerLine.Left l) {
            return leave(l.room(), l.nick());
        } else if (line instanceof ServerLine.Kicked k) {
            return leave(k.room(), k.nick());
        } else if (line instanceof ServerLine.NickChanged n) {
            if (isMe(n.oldNick())) {
                nick = n.newNick();
            }
            for (RoomMembers r : rooms.values()) {
                if (r.remove(n.oldNick())) {
                    r.add(n.newNick());
                }
            }
        } else if (line instanceof ServerLine.Quit q) {
            rooms.values().forEach(r -> r.remove(q.nick()));
        } else if (line instanceof ServerLine.NowTalking t) {
            currentRoom = t.room();
        } else if (line instanceof ServerLine.Members m) {
            RoomMembers r = rooms.get(key(m.room()));
            if (r != null) {
                r.replace(m.nicks());
            }
        } else if (line instanceof ServerLine.RoomMessage m && !m.fromHistory()) {
            room(m.room()).add(m.nick()); // someone said something: there now (not so for a line from history)
        }
        return Effect.NONE;
    }

    /** {@code nick} is out of {@code room}; if that is us, the server talks in the room joined last. */
    private Effect leave(String room, String who) {
        if (!isMe(who)) {
            room(room).remove(who);
            return Effect.NONE;
        }
        rooms.remove(key(room));
        if (currentRoom != null && key(currentRoom).equals(key(room))) {
            currentRoom = rooms.isEmpty() ? null : lastRoom();
        }
        return Effect.WE_LEFT;
    }

    /**
     * True when the server sends our room messages and actions back to us ({@code /ids on}), so
     * they are shown from that echo, with their ids, rather than drawn by the client.
     */
    synchronized boolean ownLinesEchoed() {
        return echoed;
    }

    /** True once our nick is one we asked for, not the guest nick the server gave us. */
    synchronized boolean nickChosen() {
        return nick != null && !nick.equals(givenNick);
    }

    synchronized String nick() {
        return nick;
    }

    synchronized String currentRoom() {
        return currentRoom;
    }

    /** The rooms we are in, in the order joined. */
    synchronized List<String> rooms() {
        List<String> names = new ArrayList<>();
        rooms.values().forEach(r -> names.add(r.name));
        return names;
    }

    /** Who we have seen in the current room, ourselves left out. */
    synchronized List<String> nicksInCurrentRoom() {
        RoomMembers r = currentRoom == null ? null : rooms.get(key(currentRoom));
        if (r == null) {
            return List.of();
        }
        List<String> nicks = new ArrayList<>(r.nicks.values());
        nicks.removeIf(this::isMe);
        return nicks;
    }

    /** True when {@code name} is our nick. */
    synchronized boolean isMe(String name) {
        return nick != null && nick.equalsIgnoreCase(name);
    }

    private String lastRoom() {
        String last = null;
        for (RoomMembers r : rooms.values()) {
            last = r.name;
        }
        return last;
    }

    /** The members of a room we are in, or a throwaway set for a room we are not in. */
    private RoomMembers room(String name) {
        RoomMembers r = rooms.get(key(name));
        return r != null ? r : new RoomMembers(name);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** One room's members as far as we know them, by lower-cased nick. */
    private static final class RoomMembers {
        private final String name;
        private final Map<String, String> nicks = new LinkedHashMap<>();

        RoomMembers(String name) {
            this.name = name;
        }

        void add(String nick) {
            nicks.put(key(nick), nick);
        }

        boolean remove(String nick) {
            return nicks.remove(key(nick)) != null;
        }

        void replace(List<String> members) {
            nicks.clear();
            members.forEach(this::add);
        }
    }
}
