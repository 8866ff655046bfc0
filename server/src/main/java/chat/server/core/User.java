package chat.server.core;

import java.util.Arrays;
import java.util.List;

/**
 * A connected user as the core sees it: a nickname, who it is on the network (a user name and
 * the address it connected from, which IRC shows as {@code nick!user@host} and bans match), the
 * rooms joined, and where to send events. Created and mutated only by {@link ChatCore}, on the
 * event-loop thread.
 */
public final class User {

    /** Where this user's events go; owned by the dialect that serves the connection. */
    private final Recipient recipient;
    /** Who it is on the network; replaced whole when the real name changes. */
    private Identity identity;
    /** Current nickname, as the user spelled it. */
    private String nick;
    /** No rooms: shared, so a user who joined nothing holds no array of its own. */
    private static final Room[] NO_ROOMS = {};

    /**
     * Rooms joined, oldest first, in an array of exactly that length. Users join and leave
     * rarely and are usually in one room, and an idle server holds one of these per connection:
     * copying on change keeps it at 24 bytes, where a list and its array take 48.
     */
    private Room[] rooms = NO_ROOMS;
    /** The away message; null while the user is here. */
    private String away;
    /** What the user set on itself; null until it sets something. */
    Metadata metadata;
    /** Read markers by target key (epoch milliseconds); null until the first. */
    java.util.LinkedHashMap<String, Long> readMarkers;

    /** The metadata the user set on itself, in the order it was set; empty for most. */
    public java.util.Map<String, String> metadataView() {
        return metadata == null ? java.util.Map.of() : metadata.view();
    }
    /** The account the user is logged in to, as registered; null when it is not. */
    private String account;
    /** True once the user logged in as a server operator. */
    private boolean serverOperator;
    /** True when the user asked to receive WALLOPS (IRC's user mode +w). */
    private boolean wallops;
    /** True when the user says it is a bot (IRC's user mode +B). */
    private boolean bot;
    /** False once the user has quit; a stale reference then no longer acts. */
    private boolean connected = true;
    /** When the user took its nick (epoch ms), or its account was registered: its private history starts there. */
    private long nickSince;
    /** Scratch mark for visiting each user once when telling all room mates; see ChatCore. */
    int visitMark;

    User(Recipient recipient, String nick, Identity identity) {
        this.recipient = recipient;
        this.nick = nick;
        this.identity = identity;
    }

    public String nick() {
        return nick;
    }

    public Identity identity() {
        return identity;
    }

    void identity(Identity identity) {
        this.identity = identity;
    }

    void nick(String nick) {
        this.nick = nick;
    }

    /** When the user took its current nick, in milliseconds since the epoch (a change of case aside). */
    public long nickSince() {
        return nickSince;
    }

    void nickSince(long epochMillis) {
        this.nickSince = epochMillis;
    }

    Recipient recipient() {
        return recipient;
    }

    /**
     * The dialect session behind this user if it is a {@code type}, else null: for state one
     * dialect keeps for its own users (IRC's away message), which the core knows nothing of.
     */
    public <T extends Recipient> T recipient(Class<T> type) {
        return type.isInstance(recipient) ? type.cast(recipient) : null;
    }

    void addRoom(Room room) {
        Room[] more = Arrays.copyOf(rooms, rooms.length + 1);
        more[rooms.length] = room;
        rooms = more;
    }

    void removeRoom(Room room) {
        for (int i = 0; i < rooms.length; i++) {
            if (rooms[i] == room) {
                Room[] fewer = new Room[rooms.length - 1];
                System.arraycopy(rooms, 0, fewer, 0, i);
                System.arraycopy(rooms, i + 1, fewer, i, fewer.length - i);
                rooms = fewer.length == 0 ? NO_ROOMS : fewer;
                return;
            }
        }
    }

    void clearRooms() {
        rooms = NO_ROOMS;
    }

    /** Rooms joined, oldest first; a read-only snapshot. */
    public List<Room> rooms() {
        return List.of(rooms);
    }

    public boolean isIn(Room room) {
        for (Room joined : rooms) {
            if (joined == room) {
                return true;
            }
        }
        return false;
    }

    /** The away message, or null while the user is here. */
    public String away() {
        return away;
    }

    void away(String message) {
        away = message;
    }

    /** The account the user is logged in to, as it was registered; null when none. */
    public String account() {
        return account;
    }

    void account(String account) {
        this.account = account;
    }

    /** True for a server operator (IRC's OPER). */
    public boolean isServerOperator() {
        return serverOperator;
    }

    void serverOperator(boolean on) {
        serverOperator = on;
    }

    /** True for a user that says it is a bot. */
    public boolean isBot() {
        return bot;
    }

    void bot(boolean on) {
        bot = on;
    }

    /** True when the user receives WALLOPS though not an operator. */
    public boolean wantsWallops() {
        return wallops;
    }

    void wantsWallops(boolean on) {
        wallops = on;
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
