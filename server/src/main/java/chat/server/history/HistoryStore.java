package chat.server.history;

import java.util.List;

/**
 * Where history lasts: the embedded database by default, Redis for a cluster. Every method
 * blocks on disk or network, so the loop never calls one: the {@link HistoryWriter}'s thread
 * appends and prunes, a reader thread answers queries, and results go back to the loop through
 * its task queue. Implementations are safe for one writer thread and one reader thread at once.
 */
public interface HistoryStore extends AutoCloseable {

    /** Keeps these messages, all or none (one transaction). */
    void append(List<StoredMessage> batch) throws HistoryException;

    /** The messages {@code query} asks for, oldest first. */
    List<StoredMessage> read(HistoryQuery query) throws HistoryException;

    /**
     * The targets among {@code targets} with a message in the time range (epoch ms, exclusive),
     * each with the time of its newest message there, newest first, at most {@code limit}
     * (IRCv3 CHATHISTORY TARGETS).
     */
    List<TargetActivity> targets(java.util.Collection<String> targets, long afterTime, long beforeTime, int limit)
            throws HistoryException;

    /** Forgets one message (a redaction); nothing when it is not kept. */
    void delete(String target, long id) throws HistoryException;

    /**
     * The greatest id appended, even if pruned since, or 0 when nothing ever was: message ids go on
     * from there after a restart, and an id a client kept is never given to another message.
     */
    long lastId() throws HistoryException;

    /**
     * Forgets messages older than {@code olderThan} (epoch ms), and of each target in
     * {@code trimmed} all but its newest {@code keepPerTarget}.
     *
     * @return how many messages were deleted
     */
    long prune(long olderThan, java.util.Collection<String> trimmed, int keepPerTarget) throws HistoryException;

    /** Releases the database; pending appends are the caller's to finish first. */
    @Override
    void close();

    /** A target and the time of its newest message in a range. */
    record TargetActivity(String target, long lastTime) {

        /** {@code active} newest first (then by target), at most {@code limit}: what {@link #targets} answers. */
        public static List<TargetActivity> newestFirst(List<TargetActivity> active, int limit) {
            active.sort(java.util.Comparator.comparingLong(TargetActivity::lastTime).reversed()
                    .thenComparing(TargetActivity::target));
            return active.size() > limit ? List.copyOf(active.subList(0, limit)) : active;
        }
    }
}
