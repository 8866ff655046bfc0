package chat.server.cluster;

import chat.server.core.MessageKind;
import chat.server.history.HistoryException;
import chat.server.history.HistoryQuery;
import chat.server.history.HistoryStore;
import chat.server.history.StoredMessage;
import chat.server.history.StoredTags;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TransactionResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * History on the cluster's Redis, shared by every node: one sorted set per room or conversation
 * ({@code chat:history:<target>}), each message a member scored by its id, and the set of targets
 * for retention. Each node writes the messages its own users said ({@code History#savesOnly});
 * should two write one message, it is the same member and the second write changes nothing. Ids
 * are below 2^53, so a
 * score holds one exactly. A read takes the members of an id range and filters times; members
 * that differ only in the room's spelling (two nodes' rooms spelled differently) are read once.
 *
 * <p>Blocking, like every {@link HistoryStore}: the history writer's thread appends and prunes on
 * one connection, the reader thread reads on another, both made on first use and made again
 * after a failure, so a Redis that is down at start or later makes calls fail (the writer keeps
 * its batch and retries) rather than the server.
 */
public final class RedisHistoryStore implements HistoryStore {

    /** Members read per round trip while filtering by time. */
    private static final int PAGE = 256;
    private static final String RAISE = "local c = tonumber(redis.call('GET', KEYS[1]) or '0') "
            + "if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1]) end return 1";

    private final BlockingRedis redis;
    private final String prefix;
    private final BlockingRedis.Connection writer;
    private final BlockingRedis.Connection reader;

    public RedisHistoryStore(ClusterOptions options) {
        this.redis = new BlockingRedis(options);
        this.prefix = redis.prefix + "history:";
        this.writer = redis.connection();
        this.reader = redis.connection();
    }

    /** Runs {@code call} on {@code connection}, a failure as a {@link HistoryException} saying what was being done. */
    private static <T> T run(BlockingRedis.Connection connection, String doing, BlockingRedis.Call<T> call)
            throws HistoryException {
        try {
            return connection.run(call);
        } catch (RedisException e) {
            throw new HistoryException("history on Redis: " + doing + ": " + e.getMessage(), e);
        }
    }

    private String key(String target) {
        return prefix + target;
    }

    @Override
    public void append(List<StoredMessage> batch) throws HistoryException {
        if (batch.isEmpty()) {
            return;
        }
        run(writer, "saving " + batch.size() + " messages", redis -> {
            long highest = 0;
            Set<String> targets = new HashSet<>();
            redis.multi();
            for (StoredMessage m : batch) {
                redis.zadd(key(m.target()), (double) m.id(), encode(m));
                targets.add(m.target());
                highest = Math.max(highest, m.id());
            }
            redis.sadd(prefix + "targets", targets.toArray(String[]::new));
            redis.eval(RAISE, ScriptOutputType.INTEGER, new String[] {prefix + "last-id"}, Long.toString(highest));
            TransactionResult result = redis.exec();
            if (result.wasDiscarded()) {
                throw new RedisException("the transaction was discarded");
            }
            return null;
        });
    }

    @Override
    public List<StoredMessage> read(HistoryQuery query) throws HistoryException {
        return run(reader, "reading " + query.target(), redis -> {
            // An id is never below its time times 1,024, so a time bound gives an id bound below.
            long afterId = query.afterId();
            if (query.afterTime() != HistoryQuery.NONE_BELOW) {
                afterId = Math.max(afterId, ((query.afterTime() + 1) << 10) - 1);
            }
            Range<Long> range = Range.from(
                    afterId == HistoryQuery.NONE_BELOW ? Range.Boundary.unbounded() : Range.Boundary.excluding(afterId),
                    query.beforeId() == HistoryQuery.NONE_ABOVE ? Range.Boundary.unbounded()
                            : Range.Boundary.excluding(query.beforeId()));
            List<StoredMessage> found = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (long offset = 0; found.size() < query.limit(); offset += PAGE) {
                List<String> page = query.newest()
                        ? redis.zrevrangebyscore(key(query.target()), range, Limit.create(offset, PAGE))
                        : redis.zrangebyscore(key(query.target()), range, Limit.create(offset, PAGE));
                for (String member : page) {
                    StoredMessage m = decode(member);
                    if (m != null && query.covers(m) && seen.add(m.id()) && found.size() < query.limit()) {
                        found.add(m);
                    }
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
            if (query.newest()) {
                java.util.Collections.reverse(found);
            }
            return found;
        });
    }

    @Override
    public List<TargetActivity> targets(Collection<String> targets, long afterTime, long beforeTime, int limit)
            throws HistoryException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit);
        }
        List<TargetActivity> active = new ArrayList<>();
        for (String target : new java.util.LinkedHashSet<>(targets)) {
            List<StoredMessage> newest = read(new HistoryQuery(target, HistoryQuery.NONE_BELOW, HistoryQuery.NONE_ABOVE,
                    afterTime, beforeTime, 1, true));
            if (!newest.isEmpty()) {
                active.add(new TargetActivity(target, newest.get(0).time()));
            }
        }
        return TargetActivity.newestFirst(active, limit);
    }

    @Override
    public void delete(String target, long id) throws HistoryException {
        run(writer, "forgetting message " + id + " of " + target, redis ->
                redis.zremrangebyscore(key(target), Range.create((double) id, (double) id)));
    }

    @Override
    public long lastId() throws HistoryException {
        return run(reader, "reading the last id", redis -> {
            String last = redis.get(prefix + "last-id");
            return last == null ? 0L : Long.parseLong(last);
        });
    }

    @Override
    public long prune(long olderThan, Collection<String> trimmed, int keepPerTarget) throws HistoryException {
        return run(writer, "pruning", redis -> {
            long deleted = 0;
            // No message of a time from olderThan on has an id below (olderThan << 10): the bound
            // never takes one too young. The few whose ids ran ahead of their time go a prune later.
            for (String target : redis.smembers(prefix + "targets")) {
                deleted += redis.zremrangebyscore(key(target),
                        Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(olderThan << 10)));
                if (redis.zcard(key(target)) == 0) {
                    redis.srem(prefix + "targets", target);
                }
            }
            for (String target : trimmed) {
                deleted += redis.zremrangebyrank(key(target), 0, -keepPerTarget - 1L);
            }
            return deleted;
        });
    }

    @Override
    public void close() {
        writer.close();
        reader.close();
        redis.close();
    }

    static String encode(StoredMessage m) {
        return ClusterCodec.join(List.of(Long.toString(m.id()), Long.toString(m.time()), m.target(),
                m.room() == null ? "" : m.room(), m.from(), m.fromAddress(), m.to() == null ? "" : m.to(), m.kind().name(),
                m.text(), m.tags().isEmpty() ? "" : StoredTags.encode(m.tags())));
    }

    /** The message a member holds, or null for one this version cannot read. */
    static StoredMessage decode(String member) {
        List<String> f = ClusterCodec.split(member);
        if (f == null || f.size() != 10) {
            return null;
        }
        try {
            return new StoredMessage(Long.parseLong(f.get(0)), Long.parseLong(f.get(1)), f.get(2),
                    f.get(3).isEmpty() ? null : f.get(3), f.get(4), f.get(5), f.get(6).isEmpty() ? null : f.get(6),
                    MessageKind.valueOf(f.get(7)), f.get(8), StoredTags.decode(f.get(9)));
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }
}
