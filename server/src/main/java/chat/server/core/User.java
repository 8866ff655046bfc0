package chat.server.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A connected user as the core sees it: a nickname, the rooms joined, and where to send events.
 * Created and mutated only by {@link ChatCore}, on the event-loop thread.
 */
public final class User {

    /** Where this user's events go; owned by the dialect that serves the connection. */
    private final Recipient recipient;
    /** Current nickname, as the user spelled it. */
    private String nick;
    /** Rooms joined, oldest first. A user is in few rooms, so a list beats a set here. */
    private final List<Room> rooms = new ArrayList<>(2);
    /** False once the user has quit; a stale reference then no longer acts. */
    private boolean connected = true;
    /** Scratch mark for visiting each user once when telling all room mates; see ChatCore. */
    int visitMark;

    User(Recipient recipient, String nick) {
        this.recipient = recipient;
        this.nick = nick;
    }

    public String nick() {
        return nick;
    }

    void nick(String nick) {
        this.nick = nick;
    }

    Recipient recipient() {
        return recipient;
    }

    List<Room> roomList() {
        return rooms;
    }

    /** Rooms joined, oldest first; a read-only view. */
    public List<Room> rooms() {
        return Collections.unmodifiableList(rooms);
    }

    public boolean isIn(Room room) {
        return rooms.contains(room);
    }

    public boolean isConnected() {
        return connected;
    }

    void disconnected() {
        connected = false;
    }

    @Override
    public String toString() {
        return nick;
    }
}
