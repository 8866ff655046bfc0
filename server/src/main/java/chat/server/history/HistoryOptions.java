package chat.server.history;

/**
 * How much history is kept and replayed (docs/operations.md, "History").
 *
 * @param size messages kept per room or conversation; 0 turns history off
 * @param retentionMillis how long a message is kept at most
 * @param onJoin messages replayed to whoever joins a room
 * @param ircOnJoin the same for IRC clients without {@code draft/chathistory}
 * @param cachedMessages most messages held in memory for quick replay, over all targets
 * @param dataDir where the store lives ({@code --data-dir}); null to keep history in memory only
 * @param syncMillis longest a message waits in memory before the writer commits it ({@code --history-sync})
 */
public record HistoryOptions(int size, long retentionMillis, int onJoin, int ircOnJoin, int cachedMessages,
        java.nio.file.Path dataDir, long syncMillis) {

    public static final int DEFAULT_SIZE = 1000;
    public static final int DEFAULT_DAYS = 30;
    public static final int DEFAULT_ON_JOIN = 20;
    /** None: IRC clients keep logs of their own and fetch history with CHATHISTORY. */
    public static final int DEFAULT_IRC_ON_JOIN = 0;
    public static final int DEFAULT_CACHED = 100_000;
    public static final String DEFAULT_DATA_DIR = "chat-data";
    public static final long DEFAULT_SYNC_MILLIS = 1000;
    /** Messages waiting for the writer beyond which new ones are not kept (and that is logged). */
    public static final int MAX_QUEUED = 200_000;
    /** How often retention runs. */
    public static final long PRUNE_INTERVAL_MILLIS = 60_000;
    /** Most messages of one target held in memory (besides those not yet on disk). */
    static final int CACHED_PER_TARGET = 200;

    public HistoryOptions {
        if (size < 0 || retentionMillis <= 0 || onJoin < 0 || ircOnJoin < 0 || cachedMessages < 0 || syncMillis < 0) {
            throw new IllegalArgumentException("history options: " + size + ", " + retentionMillis + ", " + onJoin
                    + ", " + cachedMessages);
        }
    }

    /** The defaults, in memory only: what tests want. */
    public static HistoryOptions inMemory() {
        return new HistoryOptions(DEFAULT_SIZE, java.util.concurrent.TimeUnit.DAYS.toMillis(DEFAULT_DAYS),
                DEFAULT_ON_JOIN, DEFAULT_IRC_ON_JOIN, DEFAULT_CACHED, null, DEFAULT_SYNC_MILLIS);
    }

    /** No history at all ({@code --history-size 0}). */
    public static HistoryOptions off() {
        return new HistoryOptions(0, 1, 0, 0, 0, null, DEFAULT_SYNC_MILLIS);
    }

    public HistoryOptions withDataDir(java.nio.file.Path dir) {
        return new HistoryOptions(size, retentionMillis, onJoin, ircOnJoin, cachedMessages, dir, syncMillis);
    }

    public HistoryOptions withSize(int messages) {
        return new HistoryOptions(messages, retentionMillis, onJoin, ircOnJoin, cachedMessages, dataDir, syncMillis);
    }

    public HistoryOptions withIrcOnJoin(int messages) {
        return new HistoryOptions(size, retentionMillis, onJoin, messages, cachedMessages, dataDir, syncMillis);
    }

    public HistoryOptions withOnJoin(int messages) {
        return new HistoryOptions(size, retentionMillis, messages, ircOnJoin, cachedMessages, dataDir, syncMillis);
    }

    public boolean enabled() {
        return size > 0;
    }
}
