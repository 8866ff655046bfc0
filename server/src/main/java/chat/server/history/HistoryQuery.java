package chat.server.history;

/**
 * Which messages of one target to read: those strictly between two ids and strictly between two
 * times, at most {@code limit} of them, taken from the newest end or the oldest end of that range.
 * The answer is always oldest first. {@link #NONE_BELOW} and {@link #NONE_ABOVE} leave a bound open.
 *
 * @param target the room's or conversation's key ({@link HistoryTargets})
 * @param afterId only ids greater than this
 * @param beforeId only ids smaller than this
 * @param afterTime only times (epoch ms) greater than this
 * @param beforeTime only times smaller than this
 * @param limit at most this many, at least 1
 * @param newest true to take the newest {@code limit} of the range (LATEST, BEFORE), false the oldest (AFTER)
 */
public record HistoryQuery(String target, long afterId, long beforeId, long afterTime, long beforeTime, int limit,
        boolean newest) {

    public static final long NONE_BELOW = Long.MIN_VALUE;
    public static final long NONE_ABOVE = Long.MAX_VALUE;

    public HistoryQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit);
        }
    }

    /** The newest {@code limit} messages of {@code target}. */
    public static HistoryQuery latest(String target, int limit) {
        return new HistoryQuery(target, NONE_BELOW, NONE_ABOVE, NONE_BELOW, NONE_ABOVE, limit, true);
    }

    /** The newest {@code limit} messages before id {@code beforeId}. */
    public static HistoryQuery before(String target, long beforeId, int limit) {
        return new HistoryQuery(target, NONE_BELOW, beforeId, NONE_BELOW, NONE_ABOVE, limit, true);
    }

    /** The oldest {@code limit} messages after id {@code afterId}. */
    public static HistoryQuery after(String target, long afterId, int limit) {
        return new HistoryQuery(target, afterId, NONE_ABOVE, NONE_BELOW, NONE_ABOVE, limit, false);
    }

    /** Whether {@code message} lies in the range (its target aside). */
    public boolean covers(StoredMessage message) {
        return message.id() > afterId && message.id() < beforeId
                && message.time() > afterTime && message.time() < beforeTime;
    }
}
