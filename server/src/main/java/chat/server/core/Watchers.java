package chat.server.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who watches which nick (IRC's MONITOR), both ways: by nick, to tell watchers when its holder
 * changes, and by watcher, to clean up after it. Only nicks someone watches and users that watch
 * are held, so a server where nobody monitors pays nothing.
 *
 * <p>Owned by {@link ChatCore}; loop thread only.
 */
final class Watchers {

    /** Most nicks one user may watch. */
    static final int MAX_PER_WATCHER = 100;

    /** Watchers of each nick, by {@link Names#key}. */
    private final Map<String, List<User>> byNick = new HashMap<>();
    /** The nicks each watcher watches, by key, in the order added. */
    private final Map<User, Set<String>> byWatcher = new IdentityHashMap<>();

    /** Adds {@code key}; false when the watcher already watches {@link #MAX_PER_WATCHER} nicks. */
    boolean add(User watcher, String key) {
        Set<String> mine = byWatcher.computeIfAbsent(watcher, w -> new LinkedHashSet<>());
        if (mine.contains(key)) {
            return true;
        }
        if (mine.size() >= MAX_PER_WATCHER) {
            return false;
        }
        mine.add(key);
        byNick.computeIfAbsent(key, k -> new ArrayList<>(2)).add(watcher);
        return true;
    }

    void remove(User watcher, String key) {
        Set<String> mine = byWatcher.get(watcher);
        if (mine != null && mine.remove(key)) {
            dropWatcher(key, watcher);
            if (mine.isEmpty()) {
                byWatcher.remove(watcher);
            }
        }
    }

    void clear(User watcher) {
        Set<String> mine = byWatcher.remove(watcher);
        if (mine != null) {
            for (String key : mine) {
                dropWatcher(key, watcher);
            }
        }
    }

    List<String> watchedBy(User watcher) {
        Set<String> mine = byWatcher.get(watcher);
        return mine == null ? List.of() : List.copyOf(mine);
    }

    /** Tells whoever watches {@code nick} that it is now {@code holder}'s, or nobody's (null). */
    void tell(String nick, User holder) {
        if (byNick.isEmpty()) {
            return; // the common case: nobody monitors anyone
        }
        List<User> watchers = byNick.get(Names.key(nick));
        if (watchers != null) {
            ChatEvent event = new ChatEvent.PresenceChanged(nick, holder);
            for (User watcher : List.copyOf(watchers)) {
                watcher.recipient().deliver(event);
            }
        }
    }

    /** Who watches {@code nick}; empty for most nicks. */
    List<User> watchersOf(String nick) {
        if (byNick.isEmpty()) {
            return List.of();
        }
        List<User> watchers = byNick.get(Names.key(nick));
        return watchers == null ? List.of() : List.copyOf(watchers);
    }

    private void dropWatcher(String key, User watcher) {
        List<User> watchers = byNick.get(key);
        if (watchers != null) {
            watchers.remove(watcher);
            if (watchers.isEmpty()) {
                byNick.remove(key);
            }
        }
    }
}
