package chat.server.accounts;

import chat.server.core.Names;
import chat.server.core.RegisteredRoom;
import chat.server.core.RoomRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered rooms, as the loop sees them: all of them in memory, loaded at start with the
 * accounts, each change written through {@link Accounts}' store thread, so the loop never waits
 * for the disk. They belong to accounts (a founder, operators), so they live and die with them:
 * an account removed drops the rooms it founded and leaves the others' operator lists.
 *
 * <p>Loop thread only.
 */
public final class RegisteredRooms implements RoomRegistry {

    private static final Logger log = LoggerFactory.getLogger(RegisteredRooms.class);

    /** By {@link #key} of their name. */
    private final Map<String, RegisteredRoom> byKey = new HashMap<>();
    /** Most rooms one account may found. */
    private final int maxPerFounder;
    private final AccountStore store;
    /** Runs the store's writes on the accounts' store thread, in the order given. */
    private final Accounts.StoreQueue storing;
    /** Told, on the loop, of each room whose change is stored: other servers sharing the store read it again. */
    private java.util.function.Consumer<String> changed = key -> { };
    /** Where a change's notice goes back to the loop from the store thread. */
    private java.util.concurrent.Executor loop = Runnable::run;
    /** Counts this server's own changes, and when each room last changed here: see {@link Accounts}. */
    private long changeCount;
    private final Map<String, Long> changedHereAt = new HashMap<>();

    long changeCount() {
        return changeCount;
    }

    private boolean newerHere(String key, long readAt) {
        return changedHereAt.getOrDefault(key, 0L) > readAt;
    }

    RegisteredRooms(List<RegisteredRoom> loaded, int maxPerFounder, AccountStore store, Accounts.StoreQueue storing) {
        for (RegisteredRoom room : loaded) {
            byKey.put(key(room.name()), room);
        }
        this.maxPerFounder = maxPerFounder;
        this.store = store;
        this.storing = storing;
    }

    void changes(java.util.function.Consumer<String> changed) {
        this.changed = changed;
    }

    void loop(java.util.concurrent.Executor loop) {
        this.loop = loop;
    }

    /** Writes on the store thread, then tells {@link #changed} on the loop. */
    private void store(String doing, String key, Accounts.StoreWork work) {
        changedHereAt.put(key, ++changeCount);
        storing.submit(doing, () -> {
            work.run();
            loop.execute(() -> changed.accept(key));
        });
    }

    /** Room {@code key} as another server stored it (null: no longer registered), applied here silently. */
    public void apply(String key, RegisteredRoom room) {
        if (room == null) {
            byKey.remove(key);
        } else {
            byKey.put(key, room);
        }
    }

    /** Every registered room as the store held them when read, but those changed here since {@code readAt}. */
    void replaceAll(List<RegisteredRoom> rooms, long readAt) {
        Map<String, RegisteredRoom> read = new HashMap<>();
        for (RegisteredRoom room : rooms) {
            read.put(key(room.name()), room);
        }
        for (String key : new java.util.HashSet<>(byKey.keySet())) {
            if (!read.containsKey(key) && !newerHere(key, readAt)) {
                byKey.remove(key);
            }
        }
        read.forEach((key, room) -> {
            if (!newerHere(key, readAt)) {
                byKey.put(key, room);
            }
        });
    }

    /** Reads room {@code key} again from the store (another server changed it) and applies it, unless it changed here since. */
    public void reload(String key) {
        long readAt = changeCount;
        storing.submit("reading registered room " + key + " again", () -> {
            RegisteredRoom room = store.room(key);
            loop.execute(() -> {
                if (!newerHere(key, readAt)) {
                    apply(key, room);
                }
            });
        });
    }

    private static String key(String room) {
        return Names.key(Names.bareRoomName(room));
    }

    /** How many rooms are registered. */
    public int count() {
        return byKey.size();
    }

    @Override
    public RegisteredRoom find(String room) {
        return byKey.get(key(room));
    }

    @Override
    public boolean register(RegisteredRoom room) {
        String founder = Names.key(room.founder());
        int founded = 0;
        for (RegisteredRoom each : byKey.values()) {
            if (Names.key(each.founder()).equals(founder)) {
                founded++;
            }
        }
        if (founded >= maxPerFounder) {
            return false;
        }
        byKey.put(key(room.name()), room);
        store("registering room " + room.name(), key(room.name()), () -> store.saveRoom(room));
        log.info("room {} registered by {}", room.name(), room.founder());
        return true;
    }

    @Override
    public int maxPerFounder() {
        return maxPerFounder;
    }

    @Override
    public void save(RegisteredRoom room) {
        String key = key(room.name());
        if (byKey.replace(key, room) != null) {
            store("saving registered room " + room.name(), key, () -> store.saveRoom(room));
        }
    }

    @Override
    public void drop(String room) {
        RegisteredRoom dropped = byKey.remove(key(room));
        if (dropped != null) {
            forget(dropped);
        }
    }

    private void forget(RegisteredRoom dropped) {
        String key = key(dropped.name());
        store("dropping registered room " + dropped.name(), key, () -> store.dropRoom(key));
        log.info("room {} of {} no longer registered", dropped.name(), dropped.founder());
    }

    /**
     * For an account removed: drops the rooms it founded and takes it off the operators of the
     * others.
     *
     * @return the names of the rooms dropped
     */
    List<String> forgetAccount(String account) {
        List<String> dropped = new ArrayList<>();
        for (RegisteredRoom room : List.copyOf(byKey.values())) {
            if (room.isFounder(account)) {
                byKey.remove(key(room.name()));
                forget(room);
                dropped.add(room.name());
            } else {
                RegisteredRoom without = room.withoutOperator(account);
                if (without != room) {
                    save(without);
                }
            }
        }
        dropped.sort(String::compareToIgnoreCase);
        return dropped;
    }
}
