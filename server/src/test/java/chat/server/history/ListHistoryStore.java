package chat.server.history;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store in a list, for tests of what reads the store: it answers queries as the real one does
 * (the range, the newest or oldest end, oldest first), counts reads, may fail them, and may make
 * the reads of one target wait for a gate, so a test decides when an answer from the store comes.
 */
public class ListHistoryStore implements HistoryStore {

    public final List<StoredMessage> kept = new CopyOnWriteArrayList<>();
    public final AtomicInteger reads = new AtomicInteger();
    public volatile boolean failing;
    /** Reads of {@link #gatedTarget} wait for this while it is set. */
    private volatile CountDownLatch gate;
    private volatile String gatedTarget;

    public ListHistoryStore(StoredMessage... messages) {
        kept.addAll(List.of(messages));
    }

    /** Makes the reads of {@code target} wait until the returned latch is counted down. */
    public CountDownLatch gate(String target) {
        CountDownLatch latch = new CountDownLatch(1);
        gatedTarget = target;
        gate = latch;
        return latch;
    }

    @Override
    public void append(List<StoredMessage> batch) {
        kept.addAll(batch);
    }

    @Override
    public List<StoredMessage> read(HistoryQuery q) throws HistoryException {
        CountDownLatch wait = gate;
        if (wait != null && q.target().equals(gatedTarget)) {
            try {
                wait.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reads.incrementAndGet();
        if (failing) {
            throw new HistoryException("disk on fire", null);
        }
        List<StoredMessage> matching = kept.stream().filter(m -> m.target().equals(q.target()) && q.covers(m)).toList();
        int from = q.newest() ? Math.max(0, matching.size() - q.limit()) : 0;
        return List.copyOf(matching.subList(from, Math.min(matching.size(), from + q.limit())));
    }

    @Override
    public List<TargetActivity> targets(Collection<String> targets, long afterTime, long beforeTime, int limit) {
        return List.of();
    }

    @Override
    public void delete(String target, long id) {
        kept.removeIf(m -> m.id() == id && m.target().equals(target));
    }

    @Override
    public long lastId() {
        return kept.stream().mapToLong(StoredMessage::id).max().orElse(0);
    }

    @Override
    public long prune(long olderThan, Collection<String> trimmed, int keepPerTarget) {
        return 0;
    }

    @Override
    public void close() {
    }
}
