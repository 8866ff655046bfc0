package chat.server.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Users, rooms and who hears what: the chat itself, with no wire format, no transport and no
 * threads. Dialects call it with parsed requests; it answers through {@link Recipient}s with
 * {@link ChatEvent}s, and refuses bad requests with a {@link ChatException}.
 *
 * <p>Not thread-safe: confined to the event-loop thread, like everything it holds.
 */
public final class ChatCore {

    /** The room every new user is put in, with its {@code #}. */
    private final String defaultRoom;
    /**
     * Joins, parts and quits are announced only in rooms of at most this many members: in a
     * room of thousands they would be most of the traffic (every join told to everyone is
     * quadratic), so large rooms stay quiet, as large channels do elsewhere. The user concerned
     * is still told of its own join and part.
     */
    private final int announceLimit;
    /** Users by {@link Names#key} of their nick. */
    private final Map<String, User> usersByNick = new HashMap<>();
    /** Rooms by {@link Names#key} of their name; a room exists while it has members. */
    private final Map<String, Room> roomsByName = new HashMap<>();
    /** Bumped for each fan-out to room mates, so each user is told once without a set. */
    private int visitGeneration;

    /** Announces joins, parts and quits in rooms of up to {@link #DEFAULT_ANNOUNCE_LIMIT} members. */
    public ChatCore(String defaultRoom) {
        this(defaultRoom, DEFAULT_ANNOUNCE_LIMIT);
    }

    /**
     * @param defaultRoom the room new users join, with or without {@code #}
     * @param announceLimit largest room in which joins, parts and quits are announced
     */
    public ChatCore(String defaultRoom, int announceLimit) {
        if (!Names.isValidName(Names.bareRoomName(defaultRoom))) {
            throw new IllegalArgumentException("invalid room name: " + defaultRoom);
        }
        if (announceLimit < 0) {
            throw new IllegalArgumentException("announceLimit: " + announceLimit);
        }
        this.defaultRoom = Names.roomDisplayName(defaultRoom);
        this.announceLimit = announceLimit;
    }

    /** Default for the largest room in which joins, parts and quits are announced. */
    public static final int DEFAULT_ANNOUNCE_LIMIT = 1000;

    public String defaultRoom() {
        return defaultRoom;
    }

    /** Registers a new user under a fresh guest nick. The caller then joins it to rooms. */
    public User connect(Recipient recipient, Identity identity) {
        User user = new User(recipient, freeGuestNick(), identity);
        usersByNick.put(Names.key(user.nick()), user);
        return user;
    }

    /**
     * Registers a new user under {@code nick}, which it asked for before it arrived; nobody is
     * told, as nobody shares a room with it yet. The caller then joins it to rooms.
     *
     * @throws ChatException INVALID_NICK or NICK_TAKEN; nothing is registered then
     */
    public User connect(Recipient recipient, String nick, Identity identity) throws ChatException {
        checkNickFree(nick);
        String key = Names.key(nick);
        User user = new User(recipient, nick, identity);
        usersByNick.put(key, user);
        return user;
    }

    /** Changes a nick; everyone sharing a room with the user, and the user, is told once. */
    public void rename(User user, String newNick) throws ChatException {
        if (!Names.isValidNick(newNick)) {
            throw new ChatException(ChatError.INVALID_NICK, newNick);
        }
        String oldNick = user.nick();
        String newKey = Names.key(newNick);
        User holder = usersByNick.get(newKey);
        if (holder != null && holder != user) {
            throw new ChatException(ChatError.NICK_TAKEN, newNick);
        }
        if (oldNick.equals(newNick)) {
            return;
        }
        usersByNick.remove(Names.key(oldNick));
        usersByNick.put(newKey, user);
        user.nick(newNick);
        tellRoomMatesAndSelf(user, new ChatEvent.NickChanged(oldNick, user));
    }

    /**
     * Puts the user in a room, creating it if needed; the room, joiner included, is told.
     * Joining a room one is already in changes nothing and tells no one.
     *
     * @return the room's display name
     */
    public String join(User user, String roomInput) throws ChatException {
        String bare = Names.bareRoomName(roomInput);
        if (!Names.isValidName(bare)) {
            throw new ChatException(ChatError.INVALID_ROOM, roomInput);
        }
        Room room = roomsByName.get(Names.key(bare));
        if (room == null) {
            room = new Room("#" + bare);
            roomsByName.put(Names.key(bare), room);
        } else if (user.isIn(room)) {
            return room.name();
        }
        room.add(user);
        user.addRoom(room);
        announce(room, user, new ChatEvent.Joined(room.name(), user));
        return room.name();
    }

    /** Takes the user out of a room; the room, leaver included, is told. */
    public void part(User user, String roomInput, String reason) throws ChatException {
        Room room = memberRoom(user, roomInput);
        announce(room, user, new ChatEvent.Parted(room.name(), user, reason));
        leave(user, room);
    }

    /**
     * Says a line in a room the user is in; every other member receives it.
     *
     * @return the room's display name
     */
    public String say(User user, String roomInput, String text, MessageKind kind) throws ChatException {
        Room room = memberRoom(user, roomInput);
        room.broadcast(new ChatEvent.RoomMessage(room.name(), user, text, kind), user);
        return room.name();
    }

    /**
     * Sends a private message; only the addressee receives it.
     *
     * @return the addressee's nick as spelled by its owner
     */
    public String sendPrivate(User user, String toNick, String text, MessageKind kind) throws ChatException {
        User to = usersByNick.get(Names.key(toNick));
        if (to == null) {
            throw new ChatException(ChatError.NO_SUCH_NICK, toNick);
        }
        to.recipient().deliver(new ChatEvent.PrivateMessage(user, to.nick(), text, kind));
        return to.nick();
    }

    /** The user with this nick (in any case), or null. */
    public User user(String nick) {
        return usersByNick.get(Names.key(nick));
    }

    /** The room of this name (with or without {@code #}, in any case), or null. */
    public Room room(String roomInput) {
        return roomsByName.get(Names.key(Names.bareRoomName(roomInput)));
    }

    /**
     * Refuses a nick that is invalid or held by someone.
     *
     * @throws ChatException INVALID_NICK or NICK_TAKEN
     */
    public void checkNickFree(String nick) throws ChatException {
        if (!Names.isValidNick(nick)) {
            throw new ChatException(ChatError.INVALID_NICK, nick);
        }
        if (usersByNick.containsKey(Names.key(nick))) {
            throw new ChatException(ChatError.NICK_TAKEN, nick);
        }
    }

    /** A room's name as shown and its members' nicks, in join order. */
    public RoomMembers members(String roomInput) throws ChatException {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomInput)));
        if (room == null) {
            throw new ChatException(ChatError.NO_SUCH_ROOM, Names.roomDisplayName(roomInput));
        }
        List<String> nicks = new ArrayList<>(room.size());
        for (User member : room.members()) {
            nicks.add(member.nick());
        }
        return new RoomMembers(room.name(), nicks);
    }

    /** Every room and its member count, sorted by name. */
    public List<RoomSummary> rooms() {
        List<RoomSummary> list = new ArrayList<>(roomsByName.size());
        for (Room room : roomsByName.values()) {
            list.add(new RoomSummary(room.name(), room.size()));
        }
        list.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
        return list;
    }

    /** The rooms a user is in, oldest first, by display name. */
    public List<String> roomsOf(User user) {
        List<Room> rooms = user.rooms();
        List<String> names = new ArrayList<>(rooms.size());
        for (Room room : rooms) {
            names.add(room.name());
        }
        return names;
    }

    public int userCount() {
        return usersByNick.size();
    }

    /**
     * Removes a user from the server. Everyone who shared a room with them is told once,
     * whatever the number of rooms shared. Calling it again for the same user does nothing.
     */
    public void disconnect(User user, String reason) {
        if (!user.isConnected()) {
            return;
        }
        user.disconnected();
        usersByNick.remove(Names.key(user.nick()));
        List<Room> rooms = user.rooms();
        for (Room room : rooms) {
            room.remove(user);
        }
        tellRoomMates(rooms, user, new ChatEvent.Quit(user, reason));
        for (Room room : rooms) {
            dropIfEmpty(room);
        }
        user.clearRooms();
    }

    /** Tells every connected user something, once each. */
    public void noticeAll(String text) {
        ChatEvent notice = new ChatEvent.ServerNotice(text);
        for (User user : usersByNick.values()) {
            user.recipient().deliver(notice);
        }
    }

    /** Tells the whole room, or only the user concerned when the room is too large. */
    private void announce(Room room, User user, ChatEvent event) {
        if (room.size() <= announceLimit) {
            room.broadcast(event, null);
        } else {
            user.recipient().deliver(event);
        }
    }

    private Room memberRoom(User user, String roomInput) throws ChatException {
        Room room = roomsByName.get(Names.key(Names.bareRoomName(roomInput)));
        if (room == null || !user.isIn(room)) {
            throw new ChatException(ChatError.NOT_IN_ROOM, Names.roomDisplayName(roomInput));
        }
        return room;
    }

    private void leave(User user, Room room) {
        room.remove(user);
        user.removeRoom(room);
        dropIfEmpty(room);
    }

    private void dropIfEmpty(Room room) {
        if (room.size() == 0) {
            roomsByName.remove(Names.key(Names.bareRoomName(room.name())));
        }
    }

    private void tellRoomMatesAndSelf(User user, ChatEvent event) {
        user.visitMark = ++visitGeneration;
        user.recipient().deliver(event);
        visitRoomMates(user.rooms(), user, event, visitGeneration);
    }

    private void tellRoomMates(List<Room> rooms, User user, ChatEvent event) {
        user.visitMark = ++visitGeneration;
        visitRoomMates(rooms, user, event, visitGeneration);
    }

    private void visitRoomMates(List<Room> rooms, User user, ChatEvent event, int generation) {
        for (Room room : rooms) {
            if (room.size() > announceLimit) {
                continue; // large rooms are not told of quits and nick changes
            }
            for (User mate : room.members()) {
                if (mate.visitMark != generation) {
                    mate.visitMark = generation;
                    mate.recipient().deliver(event);
                }
            }
        }
    }

    /**
     * A random free guest nick. Starts at four digits and widens with the number of users, so
     * a free one is found in a try or two even with tens of thousands connected.
     */
    private String freeGuestNick() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long bound = 10_000;
        while (bound < usersByNick.size() * 10L && bound < 1_000_000_000L) {
            bound *= 10;
        }
        for (int attempt = 1; ; attempt++) {
            if (attempt % 8 == 0 && bound < 1_000_000_000L) {
                bound *= 10; // unlucky or crowded: widen rather than loop for long
            }
            String nick = "guest-" + (bound / 10 + random.nextLong(bound - bound / 10));
            if (!usersByNick.containsKey(Names.key(nick))) {
                return nick;
            }
        }
    }

    /** A room's name, spelled as by whoever created it, and who is in it. */
    public record RoomMembers(String room, List<String> nicks) {
    }

    /** A room's name and how many are in it. */
    public record RoomSummary(String name, int members) {
    }
}
