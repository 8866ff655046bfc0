package chat.server.cluster;

import java.util.function.Consumer;

/**
 * What a node needs of the Redis its cluster shares: one channel every node publishes on and
 * hears, in the one order Redis gives it, and the scripts that keep the nodes and the nicks.
 * {@link RedisBus} is the real one; tests may drive a node with another.
 *
 * <p>Every method is called on the loop thread and returns at once; every callback, the
 * {@link Listener}'s included, runs on the loop thread.
 */
interface ClusterBus {

    /** What the bus reports, on the loop thread. */
    interface Listener {
        /** The link works: subscribed, scripts ready. After the first connect and after each reconnect. */
        void linkUp();

        /** The link broke; Redis is tried again with backoff until {@link #linkUp}. */
        void linkDown();

        /** A message on the channel, this node's own included. */
        void received(String message);

        /**
         * {@code dropped} messages from the channel were lost: the loop fell behind by more than
         * the queue holds. Reported once the queue is drained.
         */
        void fellBehind(long dropped);
    }

    /** Connects, and keeps connecting; reports to {@code listener} from now on. */
    void start(Listener listener);

    /**
     * Registers this node under {@code node} with a new incarnation; hands back the incarnation,
     * the node's message-id residue, and whether a node of that name was registered already.
     */
    void register(String node, long lifetimeMillis, Consumer<Registration> done, Consumer<Throwable> failed);

    /**
     * Renews the node's heartbeat; hands back whether the incarnation is still registered and,
     * when it is, the incarnations of every node registered now.
     */
    void beat(String node, long incarnation, long lifetimeMillis, Consumer<Beat> done, Consumer<Throwable> failed);

    /**
     * Gives up every nick this incarnation holds on Redis, before its users claim theirs again
     * (a resync: some may have quit or changed nick while the link was down).
     */
    void resetNicks(String node, long incarnation);

    /** Publishes {@code message} on the channel. Lost, and counted, when the link is down or full. */
    void publish(String message);

    /**
     * Claims {@code askedKey} for {@code uid} (or its guest nick when another user holds it),
     * gives up {@code oldKey}, and publishes the message {@code split} makes with the nick
     * granted, in one step. With {@code askedKey} empty, only gives up {@code oldKey} and
     * publishes.
     */
    void publishNick(long incarnation, String uid, String askedKey, String oldKey, String asked, String guest,
            ClusterCodec.Split split);

    /** Deregisters the node and frees its nicks (a clean stop), then closes; waits a bounded time. */
    void leave(String node, long incarnation);

    /** Closes the link at once, without deregistering. Any thread; nothing is called back after it. */
    void close();

    /** Messages published since start, and those lost (link down, queue full, failed). */
    long published();

    long lost();

    /** A node's registration: {@code incarnation}, {@code residue} of message ids, and whether it replaced a node of its name. */
    record Registration(long incarnation, int residue, boolean replaced) {
    }

    /** A heartbeat's answer: still registered, and every node registered now, name by incarnation (empty when not). */
    record Beat(boolean alive, java.util.Map<Long, String> live) {
    }
}
