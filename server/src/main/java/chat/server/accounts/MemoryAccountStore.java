package chat.server.accounts;

import chat.server.core.Names;
import chat.server.core.RegisteredRoom;
import chat.server.history.StoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accounts and registered rooms in memory: for a server without a data directory (they last
 * until it stops) and for tests. Synchronized, as the store thread and a test may both call it.
 */
public final class MemoryAccountStore implements AccountStore {

    private final Map<String, StoredAccount> accounts = new LinkedHashMap<>();
    private final Map<String, List<StoredMessage>> kept = new HashMap<>();
    private final Map<String, RegisteredRoom> rooms = new LinkedHashMap<>();

    @Override
    public synchronized List<StoredAccount> accounts() {
        return new ArrayList<>(accounts.values());
    }

    @Override
    public synchronized Map<String, Integer> keptCounts() {
        Map<String, Integer> counts = new HashMap<>();
        kept.forEach((account, messages) -> counts.put(account, messages.size()));
        return counts;
    }

    @Override
    public synchronized void save(StoredAccount account) {
        accounts.put(chat.server.core.Names.key(account.name()), account);
    }

    @Override
    public synchronized void delete(String accountKey) {
        accounts.remove(accountKey);
        kept.remove(accountKey);
    }

    @Override
    public synchronized void keep(String accountKey, StoredMessage message) {
        kept.computeIfAbsent(accountKey, k -> new ArrayList<>()).add(message);
    }

    @Override
    public synchronized List<StoredMessage> kept(String accountKey) {
        return List.copyOf(kept.getOrDefault(accountKey, List.of()));
    }

    @Override
    public synchronized void forgetKept(String accountKey, long lastId) {
        List<StoredMessage> messages = kept.get(accountKey);
        if (messages != null) {
            messages.removeIf(m -> m.id() <= lastId);
            if (messages.isEmpty()) {
                kept.remove(accountKey);
            }
        }
    }

    @Override
    public synchronized List<RegisteredRoom> rooms() {
        return new ArrayList<>(rooms.values());
    }

    @Override
    public synchronized void saveRoom(RegisteredRoom room) {
        rooms.put(Names.key(Names.bareRoomName(room.name())), room);
    }

    @Override
    public synchronized void dropRoom(String roomKey) {
        rooms.remove(roomKey);
    }

    @Override
    public void close() {
    }
}
