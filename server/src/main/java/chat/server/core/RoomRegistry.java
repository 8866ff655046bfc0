package chat.server.core;

/**
 * Where registered rooms are kept: what the core asks of it, and all it knows of it, as of
 * {@link AccountDirectory}. The accounts package implements it, with a store behind; the core
 * hands it each change of a registered room and reads a room back when it is made again.
 * Called on the loop thread; must not block (saving is the implementation's business, off the
 * loop).
 */
public interface RoomRegistry {

    /** No registered rooms: every room lasts while it has members, as without accounts. */
    RoomRegistry NONE = new RoomRegistry() {
        @Override
        public RegisteredRoom find(String room) {
            return null;
        }

        @Override
        public boolean register(RegisteredRoom room) {
            return false;
        }

        @Override
        public int maxPerFounder() {
            return 0;
        }

        @Override
        public void save(RegisteredRoom room) {
        }

        @Override
        public void drop(String room) {
        }
    };

    /** The registration of {@code room} (with or without {@code #}, in any case), or null. */
    RegisteredRoom find(String room);

    /**
     * Registers a room not registered yet.
     *
     * @return false when its founder founded {@link #maxPerFounder} rooms already; nothing kept then
     */
    boolean register(RegisteredRoom room);

    /** Most rooms one account may found ({@code --max-registered-rooms-per-account}). */
    int maxPerFounder();

    /** Keeps a change of a registered room: the one of the same name is replaced. */
    void save(RegisteredRoom room);

    /** Forgets the registration of {@code room}; the room itself lasts while it has members. */
    void drop(String room);
}
