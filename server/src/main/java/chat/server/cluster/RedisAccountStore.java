package chat.server.cluster;

import chat.server.accounts.AccountStore;
import chat.server.accounts.AccountStoreException;
import chat.server.accounts.StoredAccount;
import chat.server.core.Names;
import chat.server.core.RegisteredRoom;
import chat.server.history.StoredMessage;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accounts, the messages kept for absent owners and the registered rooms on the cluster's Redis,
 * shared by every node: accounts in one hash ({@code chat:accounts}, by key), each account's
 * kept messages in a sorted set by id ({@code chat:kept:<key>}), registered rooms in one hash
 * ({@code chat:registered-rooms}). A registration is {@code HSETNX}, so of two nodes
 * registering one nick at once, one is told it exists. Each node holds all of it in memory, as
 * with one server; a change is announced on the cluster's channel and the others read that entry
 * again ({@link chat.server.accounts.Accounts#reloadAccount}).
 *
 * <p>Blocking, on the accounts' store thread (and once at start), as every {@link AccountStore}.
 */
public final class RedisAccountStore implements AccountStore {

    /** HSETNX, and on success the account's kept messages cleared: a former owner's orphans are not the new owner's. */
    private static final String CREATE = "if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then "
            + "redis.call('DEL', KEYS[2]) return 1 end return 0";
    /** ZADD only for an account that exists: a message kept by a server that has not heard of an unregistration is dropped. */
    private static final String KEEP = "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then "
            + "redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) return 1 end return 0";

    private final BlockingRedis redis;
    private final BlockingRedis.Connection connection;
    private final String accounts;
    private final String rooms;
    private final String keptPrefix;

    public RedisAccountStore(ClusterOptions options) {
        this.redis = new BlockingRedis(options);
        this.connection = redis.connection();
        this.accounts = redis.prefix + "accounts";
        this.rooms = redis.prefix + "registered-rooms";
        this.keptPrefix = redis.prefix + "kept:";
    }

    private <T> T run(String doing, BlockingRedis.Call<T> call) throws AccountStoreException {
        try {
            return connection.run(call);
        } catch (RedisException e) {
            throw new AccountStoreException("accounts on Redis: " + doing + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredAccount> accounts() throws AccountStoreException {
        return run("reading the accounts", r -> {
            List<StoredAccount> all = new ArrayList<>();
            for (String value : r.hgetall(accounts).values()) {
                StoredAccount account = decodeAccount(value);
                if (account != null) {
                    all.add(account);
                }
            }
            return all;
        });
    }

    @Override
    public StoredAccount account(String accountKey) throws AccountStoreException {
        return run("reading account " + accountKey, r -> {
            String value = r.hget(accounts, accountKey);
            return value == null ? null : decodeAccount(value);
        });
    }

    @Override
    public Map<String, Integer> keptCounts() throws AccountStoreException {
        return run("counting the kept messages", r -> {
            Map<String, Integer> counts = new HashMap<>();
            for (String key : r.hkeys(accounts)) {
                long count = r.zcard(keptPrefix + key);
                if (count > 0) {
                    counts.put(key, (int) count);
                }
            }
            return counts;
        });
    }

    @Override
    public int keptCount(String accountKey) throws AccountStoreException {
        return run("counting the messages kept for " + accountKey, r -> (int) (long) r.zcard(keptPrefix + accountKey));
    }

    @Override
    public void save(StoredAccount account) throws AccountStoreException {
        run("saving account " + account.name(), r -> r.hset(accounts, Names.key(account.name()), encode(account)));
    }

    @Override
    public boolean create(StoredAccount account) throws AccountStoreException {
        String key = Names.key(account.name());
        return run("registering account " + account.name(), r -> r.<Long>eval(CREATE, io.lettuce.core.ScriptOutputType.INTEGER,
                new String[] {accounts, keptPrefix + key}, key, encode(account)) == 1);
    }

    @Override
    public void delete(String accountKey) throws AccountStoreException {
        run("removing account " + accountKey, r -> {
            r.hdel(accounts, accountKey);
            return r.del(keptPrefix + accountKey);
        });
    }

    @Override
    public void keep(String accountKey, StoredMessage message) throws AccountStoreException {
        run("keeping a message for " + accountKey, r -> r.<Long>eval(KEEP, io.lettuce.core.ScriptOutputType.INTEGER,
                new String[] {accounts, keptPrefix + accountKey}, accountKey, Long.toString(message.id()),
                RedisHistoryStore.encode(message)));
    }

    @Override
    public List<StoredMessage> kept(String accountKey) throws AccountStoreException {
        return run("reading the messages kept for " + accountKey, r -> {
            List<StoredMessage> kept = new ArrayList<>();
            for (String member : r.zrange(keptPrefix + accountKey, 0, -1)) {
                StoredMessage message = RedisHistoryStore.decode(member);
                if (message != null) {
                    kept.add(message);
                }
            }
            return kept;
        });
    }

    @Override
    public void forgetKept(String accountKey, long lastId) throws AccountStoreException {
        run("forgetting the messages kept for " + accountKey, r -> r.zremrangebyscore(keptPrefix + accountKey,
                Range.create(Double.NEGATIVE_INFINITY, (double) lastId)));
    }

    @Override
    public void forgetKept(String accountKey, List<Long> ids) throws AccountStoreException {
        run("forgetting the messages kept for " + accountKey, r -> {
            long removed = 0;
            for (long id : ids) {
                removed += r.zremrangebyscore(keptPrefix + accountKey, Range.create((double) id, (double) id));
            }
            return removed;
        });
    }

    @Override
    public List<RegisteredRoom> rooms() throws AccountStoreException {
        return run("reading the registered rooms", r -> {
            List<RegisteredRoom> all = new ArrayList<>();
            for (String value : r.hgetall(rooms).values()) {
                RegisteredRoom room = decodeRoom(value);
                if (room != null) {
                    all.add(room);
                }
            }
            return all;
        });
    }

    @Override
    public RegisteredRoom room(String roomKey) throws AccountStoreException {
        return run("reading registered room " + roomKey, r -> {
            String value = r.hget(rooms, roomKey);
            return value == null ? null : decodeRoom(value);
        });
    }

    @Override
    public void saveRoom(RegisteredRoom room) throws AccountStoreException {
        run("saving registered room " + room.name(),
                r -> r.hset(rooms, Names.key(Names.bareRoomName(room.name())), encode(room)));
    }

    @Override
    public void dropRoom(String roomKey) throws AccountStoreException {
        run("dropping registered room " + roomKey, r -> r.hdel(rooms, roomKey));
    }

    @Override
    public void close() {
        connection.close();
        redis.close();
    }

    static String encode(StoredAccount account) {
        return ClusterCodec.join(List.of(account.name(), account.passwordHash(), Long.toString(account.createdMillis())));
    }

    static StoredAccount decodeAccount(String value) {
        List<String> f = ClusterCodec.split(value);
        if (f == null || f.size() != 3) {
            return null;
        }
        try {
            return new StoredAccount(f.get(0), f.get(1), Long.parseLong(f.get(2)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String encode(RegisteredRoom room) {
        List<String> f = new ArrayList<>(List.of(room.name(), room.founder(), Long.toString(room.registeredMillis()),
                room.topic(), room.topicSetBy(), Long.toString(room.topicSetAt()), room.flags(),
                room.key() == null ? "" : "=" + room.key(), Integer.toString(room.limit())));
        for (List<String> list : List.of(room.operators(), room.bans(), room.exceptions(), room.invitations())) {
            f.add(Integer.toString(list.size()));
            f.addAll(list);
        }
        return ClusterCodec.join(f);
    }

    static RegisteredRoom decodeRoom(String value) {
        List<String> f = ClusterCodec.split(value);
        if (f == null || f.size() < 13) {
            return null;
        }
        try {
            int at = 9;
            List<List<String>> lists = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int count = Integer.parseInt(f.get(at++));
                lists.add(List.copyOf(f.subList(at, at + count)));
                at += count;
            }
            if (at != f.size()) {
                return null;
            }
            String key = f.get(7);
            return new RegisteredRoom(f.get(0), f.get(1), Long.parseLong(f.get(2)), lists.get(0), f.get(3), f.get(4),
                    Long.parseLong(f.get(5)), f.get(6), key.isEmpty() ? null : key.substring(1),
                    Integer.parseInt(f.get(8)), lists.get(1), lists.get(2), lists.get(3));
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
