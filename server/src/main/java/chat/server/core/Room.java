package chat.server.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A named room and its members, in the order they joined. Owned by {@link ChatCore}; mutated
 * on the event-loop thread only.
 */
public final class Room {

    /** The name as shown, with its {@code #}, spelled as by whoever created the room. */
    private final String name;
    /** Members in join order. An array list: broadcast iterates it far more often than it changes. */
    private final List<User> members = new ArrayList<>();

    Room(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public int size() {
        return members.size();
    }

    /** Members in join order; a read-only view. */
    public List<User> members() {
        return Collections.unmodifiableList(members);
    }

    void add(User user) {
        members.add(user);
    }

    void remove(User user) {
        members.remove(user);
    }

    /** Delivers one event instance to every member except {@code skip} (which may be null). */
    void broadcast(ChatEvent event, User skip) {
        for (int i = 0, n = members.size(); i < n; i++) {
            User member = members.get(i);
            if (member != skip) {
                member.recipient().deliver(event);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
