package chat.server.core;

import java.util.List;
import java.util.function.Function;

/**
 * The core's side of registered rooms: restores one when a join makes it again, gives +o to the
 * accounts it lists, hands each change to the {@link RoomRegistry}, and registers and drops rooms
 * for their founders. The registry holds what is kept and a live {@link Room} what is set now;
 * this class copies one into the other and holds neither, so a registration dropped elsewhere
 * (its founder's account removed) is never seen stale here.
 *
 * <p>Loop thread only, as the rooms it reads.
 */
final class RoomRegistration {

    /** Where registrations are kept; none until accounts give one. */
    private RoomRegistry registry = RoomRegistry.NONE;

    void registry(RoomRegistry registry) {
        this.registry = registry;
    }

    /** The registration of the room named {@code room} (any spelling), or null. */
    RegisteredRoom find(String room) {
        return registry.find(room);
    }

    /** Sets on a room being made again what its registration kept. */
    static void restore(Room room, RegisteredRoom saved) {
        for (char flag : ModeChange.FLAGS.toCharArray()) {
            room.flag(flag, saved.flags().indexOf(flag) >= 0);
        }
        room.key(saved.key());
        room.limit(saved.limit());
        room.topic(saved.topic(), saved.topicSetBy(), saved.topicSetAt());
        for (char list : ModeChange.LISTS.toCharArray()) {
            for (String mask : saved.masks(list)) {
                room.listChange(list, mask, true);
            }
        }
    }

    /** Whether the room is registered and lists the user's account among its operators. */
    boolean isOperatorAccount(Room room, User user) {
        RegisteredRoom saved = user.account() == null ? null : registry.find(room.name());
        return saved != null && saved.isOperatorAccount(user.account());
    }

    /** Keeps what is set on {@code room} now, when it is registered (a topic, a mode). */
    void maybeSave(Room room) {
        RegisteredRoom saved = registry.find(room.name());
        if (saved != null) {
            registry.save(withStateOf(saved, room));
        }
    }

    /**
     * Keeps the modes just {@code applied} to a registered room; a +o or -o of a logged-in member
     * adds its account to the operators or takes it off (a guest's is for now only).
     */
    void maybeSave(Room room, List<ModeChange> applied, Function<String, User> users) {
        RegisteredRoom saved = registry.find(room.name());
        if (saved == null) {
            return;
        }
        for (ModeChange change : applied) {
            User target = change.mode() == 'o' ? users.apply(change.param()) : null;
            if (target != null && target.account() != null) {
                saved = saved.withOperator(target.account(), change.add());
            }
        }
        registry.save(withStateOf(saved, room));
    }

    /**
     * Gives +o, told to the room as the registration's doing, in each of the user's rooms that
     * lists its account (it logged in while in them).
     */
    void opOnLogIn(User user) {
        for (Room room : user.rooms()) {
            if (!room.isOperator(user) && isOperatorAccount(room, user)) {
                op(room, user);
            }
        }
    }

    /** Gives a member +o for its account and tells the room; {@code by} null: the registration did it. */
    static void op(Room room, User user) {
        room.privilege(user, Room.OPERATOR, true);
        room.broadcast(new ChatEvent.ModeChanged(room.name(), null, List.of(new ModeChange(true, 'o', user.nick()))), null);
    }

    /**
     * Registers a room to the account of the user, one of its operators; the topic, modes and
     * lists set now are kept from then on, and its operators logged in now are listed.
     *
     * @throws ChatException NOT_LOGGED_IN, NOT_IN_ROOM, NOT_OPERATOR, ROOM_REGISTERED or
     *     TOO_MANY_REGISTERED_ROOMS (subject: the account)
     */
    RegisteredRoom register(User user, Room room, long nowMillis) throws ChatException {
        if (user.account() == null) {
            throw new ChatException(ChatError.NOT_LOGGED_IN, room.name());
        }
        if (!user.isIn(room)) {
            throw new ChatException(ChatError.NOT_IN_ROOM, room.name());
        }
        if (!room.isOperator(user)) {
            throw new ChatException(ChatError.NOT_OPERATOR, room.name());
        }
        if (registry.find(room.name()) != null) {
            throw new ChatException(ChatError.ROOM_REGISTERED, room.name());
        }
        RegisteredRoom registered = withStateOf(new RegisteredRoom(room.name(), user.account(), nowMillis, List.of(),
                "", "", 0, "", null, 0, List.of(), List.of(), List.of()), room);
        for (User member : room.members()) { // the operators it has now, as far as they are accounts
            if (member.account() != null && room.isOperator(member)) {
                registered = registered.withOperator(member.account(), true);
            }
        }
        if (!registry.register(registered)) {
            throw new ChatException(ChatError.TOO_MANY_REGISTERED_ROOMS, user.account());
        }
        return registered;
    }

    /**
     * Forgets the registration of a room, for its founder; a room with members goes on as an
     * ordinary one, its operators still operators.
     *
     * @return the room's name as registered
     * @throws ChatException NOT_LOGGED_IN, ROOM_NOT_REGISTERED or NOT_FOUNDER
     */
    String drop(User user, String roomName) throws ChatException {
        if (user.account() == null) {
            throw new ChatException(ChatError.NOT_LOGGED_IN, roomName);
        }
        RegisteredRoom saved = registered(roomName);
        if (!saved.isFounder(user.account())) {
            throw new ChatException(ChatError.NOT_FOUNDER, saved.name());
        }
        registry.drop(saved.name());
        return saved.name();
    }

    /**
     * The registration of a room.
     *
     * @throws ChatException ROOM_NOT_REGISTERED
     */
    RegisteredRoom registered(String roomName) throws ChatException {
        RegisteredRoom saved = registry.find(roomName);
        if (saved == null) {
            throw new ChatException(ChatError.ROOM_NOT_REGISTERED, roomName);
        }
        return saved;
    }

    /** {@code saved} with what is set on {@code room} now. */
    private static RegisteredRoom withStateOf(RegisteredRoom saved, Room room) {
        return new RegisteredRoom(saved.name(), saved.founder(), saved.registeredMillis(), saved.operators(),
                room.topic(), room.topicSetBy(), room.topicSetAt(), room.flags(), room.key(), room.limit(),
                room.list('b'), room.list('e'), room.list('I'));
    }
}
