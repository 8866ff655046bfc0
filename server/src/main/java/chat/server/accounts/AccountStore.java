package chat.server.accounts;

import chat.server.core.RegisteredRoom;
import chat.server.history.StoredMessage;
import java.util.List;
import java.util.Map;

/**
 * Where accounts, the private messages kept for absent owners and the registered rooms live.
 * Blocking: called on the accounts' store thread, never on the loop, except {@link #accounts},
 * {@link #keptCounts} and {@link #rooms}, read once before the loop runs. One caller at a time.
 */
public interface AccountStore extends AutoCloseable {

    /** Every account. */
    List<StoredAccount> accounts() throws AccountStoreException;

    /** How many messages each account keeps, by account key ({@link chat.server.core.Names#key}). */
    Map<String, Integer> keptCounts() throws AccountStoreException;

    /** Adds an account, or replaces the one of the same key (a new password). */
    void save(StoredAccount account) throws AccountStoreException;

    /**
     * Adds an account unless one of its key exists; false then. A store shared by several
     * servers (a cluster's) decides there who registered first; one server's store has only it
     * registering, which checked already.
     */
    default boolean create(StoredAccount account) throws AccountStoreException {
        save(account);
        return true;
    }

    /** One account by key, or null: read again when another server changed it. */
    default StoredAccount account(String accountKey) throws AccountStoreException {
        for (StoredAccount account : accounts()) {
            if (chat.server.core.Names.key(account.name()).equals(accountKey)) {
                return account;
            }
        }
        return null;
    }

    /** How many messages an account keeps. */
    default int keptCount(String accountKey) throws AccountStoreException {
        return kept(accountKey).size();
    }

    /** One registered room by the key of its name without {@code #}, or null. */
    default RegisteredRoom room(String roomKey) throws AccountStoreException {
        for (RegisteredRoom room : rooms()) {
            if (chat.server.core.Names.key(chat.server.core.Names.bareRoomName(room.name())).equals(roomKey)) {
                return room;
            }
        }
        return null;
    }

    /** Removes an account and the messages kept for it. */
    void delete(String accountKey) throws AccountStoreException;

    /** Keeps a private message for an account. */
    void keep(String accountKey, StoredMessage message) throws AccountStoreException;

    /** The messages kept for an account, oldest first. */
    List<StoredMessage> kept(String accountKey) throws AccountStoreException;

    /** Forgets the messages kept for an account up to {@code lastId}, once they were delivered. */
    void forgetKept(String accountKey, long lastId) throws AccountStoreException;

    /**
     * Forgets exactly the messages {@code ids} kept for an account, once delivered. On a store
     * shared by several servers another may have kept one with a smaller id meanwhile, which
     * {@link #forgetKept(String, long)} would take undelivered; one server's store keeps in id order.
     */
    default void forgetKept(String accountKey, List<Long> ids) throws AccountStoreException {
        if (!ids.isEmpty()) {
            forgetKept(accountKey, java.util.Collections.max(ids));
        }
    }

    /** Every registered room. */
    List<RegisteredRoom> rooms() throws AccountStoreException;

    /** Adds a registered room, or replaces the one of the same name (a change): all it keeps at once. */
    void saveRoom(RegisteredRoom room) throws AccountStoreException;

    /** Forgets a registered room, by the {@link chat.server.core.Names#key} of its name without {@code #}. */
    void dropRoom(String roomKey) throws AccountStoreException;

    @Override
    void close();
}
