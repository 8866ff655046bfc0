package chat.server.net;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Addresses seen doing something lately, each forgotten after a while, at most a bounded number
 * of them (the oldest go first). Here: addresses that made an HTTP request, so that a browser's
 * spare connections, opened ahead of need and silent for seconds, are not taken for nc users.
 *
 * <p>Loop thread only.
 */
final class RecentAddresses {

    private final int capacity;
    private final long ttlNanos;
    /** When each address was last seen, oldest first (re-seen addresses move to the end). */
    private final LinkedHashMap<InetAddress, Long> seen = new LinkedHashMap<>();

    RecentAddresses(int capacity, long ttlNanos) {
        this.capacity = capacity;
        this.ttlNanos = ttlNanos;
    }

    void note(InetAddress address, long nowNanos) {
        seen.remove(address);
        seen.put(address, nowNanos);
        while (seen.size() > capacity) {
            Map.Entry<InetAddress, Long> oldest = seen.entrySet().iterator().next();
            seen.remove(oldest.getKey());
        }
    }

    boolean contains(InetAddress address, long nowNanos) {
        Long at = seen.get(address);
        if (at == null) {
            return false;
        }
        if (nowNanos - at > ttlNanos) {
            seen.remove(address);
            return false;
        }
        return true;
    }

    int size() {
        return seen.size();
    }
}
