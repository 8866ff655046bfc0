package chat.server.net;

import org.slf4j.Logger;

/**
 * A warning that may fire thousands of times a second under attack (a connection storm), logged
 * at most once per interval with the number of occurrences it stands for, so the log stays
 * readable and cheap. Loop thread only.
 */
public final class ThrottledLog {

    private final Logger log;
    private final long intervalNanos;
    private long lastLoggedNanos;
    private boolean loggedOnce;
    private long suppressed;

    public ThrottledLog(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    public void warn(String format, Object... args) {
        long now = System.nanoTime();
        if (loggedOnce && now - lastLoggedNanos < intervalNanos) {
            suppressed++;
            return;
        }
        loggedOnce = true;
        lastLoggedNanos = now;
        if (suppressed > 0) {
            log.warn(format + " (and {} more like it since the last such line)", append(args, suppressed));
            suppressed = 0;
        } else {
            log.warn(format, args);
        }
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }
}
