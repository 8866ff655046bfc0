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
    /**
     * Rooms joined, oldest first: null for none, the {@link Room} itself for one, else a
     * {@code Room[]} of exactly that length. Users join and leave rarely and are usually in one
     * room, and an idle server holds one user per connection: one room costs no array at all, and
     * copying on change keeps more at an array's size, where a list and its array take 48 bytes.
     */
    private Object rooms;
    /**
     * What most users never have (away, an account, metadata, read markers, operator and bot
     * flags), in an object made the first time one is set: an idle server holds one user per
     * connection, and these fields would double its size.
     */
    private Extras extras;
    /** False once the user has quit; a stale reference then no longer acts. */
    private boolean connected = true;
    /** When the user took its nick (epoch ms), or its account was registered: its private history starts there. */
    private long nickSince;
    /** Scratch mark for visiting each user once when telling all room mates; see ChatCore. */
    int visitMark;

    /** The rarely set part of a user. */
    private static final class Extras {
        String away;
        String account;
        Metadata metadata;
        /** Read markers by target key (epoch milliseconds); null until the first. */
        java.util.LinkedHashMap<String, Long> readMarkers;
        boolean serverOperator;
        boolean wallops;
        boolean bot;
    }

    private static final Extras NONE = new Extras();

    /** The extras to read: a shared empty one when none were ever set. Never write to it. */
    private Extras read() {
        return extras == null ? NONE : extras;
    }

    /** The extras to write, made on first use. */
    private Extras write() {
        if (extras == null) {
            extras = new Extras();
        }
        return extras;
    }

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
        if (rooms == null) {
            rooms = room;
            return;
        }
        Room[] joined = joined();
        Room[] more = Arrays.copyOf(joined, joined.length + 1);
        more[joined.length] = room;
        rooms = more;
    }

    void removeRoom(Room room) {
        if (rooms == room) {
            rooms = null;
            return;
        }
        if (!(rooms instanceof Room[] joined)) {
            return;
        }
        for (int i = 0; i < joined.length; i++) {
            if (joined[i] == room) {
                Room[] fewer = new Room[joined.length - 1];
                System.arraycopy(joined, 0, fewer, 0, i);
                System.arraycopy(joined, i + 1, fewer, i, fewer.length - i);
                rooms = fewer.length == 1 ? fewer[0] : fewer;
                return;
            }
        }
    }

    void clearRooms() {
        rooms = null;
    }

    /** The rooms as an array; a new one of one element for a single room. */
    private Room[] joined() {
        if (rooms == null) {
            return new Room[0];
        }
        return rooms instanceof Room one ? new Room[] {one} : (Room[]) rooms;
    }

    /** Rooms joined, oldest first; a read-only snapshot. */
    public List<Room> rooms() {
        if (rooms == null) {
            return List.of();
        }
        return rooms instanceof Room one ? List.of(one) : List.of((Room[]) rooms);
    }

    public boolean isIn(Room room) {
        if (rooms == room) {
            return true;
        }
        if (rooms instanceof Room[] joined) {
            for (Room r : joined) {
                if (r == room) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The away message, or null while the user is here. */
    public String away() {
        return read().away;
    }

    void away(String message) {
        if (message != null || extras != null) {
            write().away = message;
        }
    }

    /** The account the user is logged in to, as it was registered; null when none. */
    public String account() {
        return read().account;
    }

    void account(String account) {
        if (account != null || extras != null) {
            write().account = account;
        }
    }

    /** True for a server operator (IRC's OPER). */
    public boolean isServerOperator() {
        return read().serverOperator;
    }

    void serverOperator(boolean on) {
        if (on || extras != null) {
            write().serverOperator = on;
        }
    }

    /** True for a user that says it is a bot. */
    public boolean isBot() {
        return read().bot;
    }

    void bot(boolean on) {
        if (on || extras != null) {
            write().bot = on;
        }
    }

    /** True when the user receives WALLOPS though not an operator. */
    public boolean wantsWallops() {
        return read().wallops;
    }

    void wantsWallops(boolean on) {
        if (on || extras != null) {
            write().wallops = on;
        }
    }

    /** What the user set on itself; null until it sets something. */
    Metadata metadata() {
        return read().metadata;
    }

    void metadata(Metadata metadata) {
        if (metadata != null || extras != null) {
            write().metadata = metadata;
        }
    }

    /** The metadata the user set on itself, in the order it was set; empty for most. */
    public java.util.Map<String, String> metadataView() {
        Metadata metadata = metadata();
        return metadata == null ? java.util.Map.of() : metadata.view();
    }

    /** Read markers by target key (epoch milliseconds); null until the first is set. */
    java.util.LinkedHashMap<String, Long> readMarkers() {
        return read().readMarkers;
    }

    /** The read markers, made on first use. */
    java.util.LinkedHashMap<String, Long> readMarkersToWrite() {
        Extras e = write();
        if (e.readMarkers == null) {
            e.readMarkers = new java.util.LinkedHashMap<>();
        }
        return e.readMarkers;
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
