package chat.server.cluster;

import chat.server.net.EventLoop;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's Redis through Lettuce: one connection for the data commands, one for the
 * channel, one for the node's registration and heartbeats. Lettuce
 * was chosen over Jedis because it never blocks its caller: a command is queued and its answer
 * comes on Lettuce's own thread, which suits a loop that may not wait; it also keeps one
 * connection's commands in order, reconnects by itself with backoff and subscribes again after a
 * reconnect. Its I/O and computation threads (two each, its least) hand everything to the loop's task
 * queue; messages from the channel go through a queue drained by one task at a time, so a burst
 * costs the loop one wake-up.
 *
 * <p>Commands are not flushed one by one: the loop's iteration end flushes what the iteration
 * queued, so the publishes of one iteration's messages leave in one write.
 */
final class RedisBus implements ClusterBus {

    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    /** How long a command may wait for Redis before it counts as failed. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** Most nodes in a cluster: each has its own residue of message ids modulo this. */
    static final int MAX_NODES = 64;

    private final EventLoop loop;
    private final ClusterOptions options;
    private final String channel;
    private final String keyPrefix;
    private final Script nickScript = Script.load("nick.lua");
    private final Script nodeScript = Script.load("node.lua");
    private final ClientResources resources;
    /** The channel and the data commands (claims, publishes): no command timeout, a dead link is seen as such. */
    private final RedisClient client;
    /**
     * The node's registration and heartbeats, on a connection of their own: under a storm of
     * claims and publishes a heartbeat would wait behind them and the node be dropped while alive.
     */
    private final RedisClient controlClient;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    /** Messages from the channel not yet handed to the listener; drained on the loop. */
    private final Queue<String> inbound = new ConcurrentLinkedQueue<>();
    /** How many {@link #inbound} holds: past {@link ClusterOptions#maxQueued} what arrives is dropped. */
    private final java.util.concurrent.atomic.AtomicInteger inboundSize = new java.util.concurrent.atomic.AtomicInteger();
    /** Messages from the channel dropped because the loop fell that far behind; read by the loop. */
    private final AtomicLong inboundDropped = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Most channel messages one loop task hands over: a burst from Redis does not hold the loop. */
    static final int DRAIN_BATCH = 4096;
    /** {@link #inboundDropped} as last reported to the listener. */
    private long droppedReported;
    /** Set by {@link #leave} or {@link #close}, on any thread: nothing connects or reports after it. */
    private volatile boolean closed;
    private final AtomicBoolean clientShutDown = new AtomicBoolean();
    /** Set by {@link #leave}: its answer, or its timeout, shuts the client down. */
    private volatile boolean leaving;

    // Loop thread only:
    private Listener listener;
    private StatefulRedisConnection<String, String> commands;
    private StatefulRedisConnection<String, String> control;
    private boolean controlUp;
    private StatefulRedisPubSubConnection<String, String> pubSub;
    private boolean commandsUp;
    private boolean subscribed;
    private boolean up;
    /** Commands queued in this iteration and not flushed yet. */
    private int unflushed;
    /** Commands queued before a flush within one iteration: a dump of thousands of users does not pile up unsent. */
    static final int FLUSH_EVERY = 1024;
    private long connectBackoffMillis = 100;

    RedisBus(EventLoop loop, ClusterOptions options) {
        this.loop = loop;
        this.options = options;
        int database = options.database();
        this.keyPrefix = database == 0 ? "chat:" : "chat:" + database + ":";
        this.channel = keyPrefix + "events"; // channels ignore SELECT: the database is in the name
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2) // Lettuce's least
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(options.redis());
        uri.setTimeout(COMMAND_TIMEOUT);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(options.maxQueued())
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                .build());
        this.controlClient = RedisClient.create(resources, uri);
        controlClient.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        loop.addIterationEndHook(this::flush);
        RedisConnectionStateListener states = new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                loop.execute(() -> connected(connection));
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                loop.execute(() -> disconnected(connection));
            }
        };
        client.addListener(states);
        controlClient.addListener(states);
    }

    String channel() {
        return channel;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        connect();
    }

    /** Opens both connections; retried with backoff until it works (Lettuce reconnects only what once connected). */
    private void connect() {
        if (closed) {
            return;
        }
        CompletableFuture<StatefulRedisConnection<String, String>> c =
                client.connectAsync(StringCodec.UTF8, RedisURI.create(options.redis())).toCompletableFuture();
        CompletableFuture<StatefulRedisPubSubConnection<String, String>> p =
                client.connectPubSubAsync(StringCodec.UTF8, RedisURI.create(options.redis())).toCompletableFuture();
        CompletableFuture<StatefulRedisConnection<String, String>> k =
                controlClient.connectAsync(StringCodec.UTF8, RedisURI.create(options.redis())).toCompletableFuture();
        CompletableFuture.allOf(c, p, k).whenComplete((ignored, failure) -> loop.execute(() -> {
            if (failure != null) {
                c.thenAccept(StatefulRedisConnection::closeAsync);
                p.thenAccept(StatefulRedisPubSubConnection::closeAsync);
                k.thenAccept(StatefulRedisConnection::closeAsync);
                log.warn("cluster: cannot reach Redis at {}: {}; trying again in {} ms", options.redis(),
                        rootMessage(failure), connectBackoffMillis);
                loop.schedule(connectBackoffMillis, this::connect);
                connectBackoffMillis = Math.min(connectBackoffMillis * 2, 5000);
                return;
            }
            if (closed) {
                c.join().closeAsync();
                p.join().closeAsync();
                k.join().closeAsync();
                return;
            }
            control = k.join();
            commands = c.join();
            commands.setAutoFlushCommands(false);
            pubSub = p.join();
            pubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    if (inboundSize.incrementAndGet() > options.maxQueued()) {
                        inboundSize.decrementAndGet();
                        inboundDropped.incrementAndGet();
                    } else {
                        inbound.add(message);
                    }
                    if (drainScheduled.compareAndSet(false, true)) {
                        loop.execute(RedisBus.this::drain);
                    }
                }
            });
            log.info("cluster: connected to Redis at {}", options.redis());
            connected(commands);
            connected(pubSub);
            connected(control);
        }));
    }

    private void connected(Object connection) {
        if (closed) {
            return;
        }
        if (connection == commands && !commandsUp) {
            // Scripts first: Redis may have restarted and lost them, and this connection keeps order.
            RedisAsyncCommands<String, String> async = commands.async();
            async.scriptLoad(nickScript.text);
            CompletableFuture<String> loaded = async.scriptLoad(nodeScript.text).toCompletableFuture();
            commands.flushCommands();
            loaded.whenComplete((sha, failure) -> loop.execute(() -> {
                if (connection != commands || closed) {
                    return;
                }
                if (failure == null) {
                    commandsUp = true;
                    maybeUp();
                } else { // a Redis still loading its data answers LOADING: try again
                    log.warn("cluster: cannot load the scripts into Redis: {}; trying again in 1 s", rootMessage(failure));
                    loop.schedule(1000, () -> connected(connection));
                }
            }));
        } else if (connection == control && !controlUp) {
            controlUp = true;
            maybeUp();
        } else if (connection == pubSub && !subscribed) {
            pubSub.async().subscribe(channel).toCompletableFuture().whenComplete((ignored, failure) -> loop.execute(() -> {
                if (connection != pubSub || closed) {
                    return;
                }
                if (failure == null) {
                    subscribed = true;
                    maybeUp();
                } else {
                    log.warn("cluster: cannot subscribe to {}: {}; trying again in 1 s", channel, rootMessage(failure));
                    loop.schedule(1000, () -> connected(connection));
                }
            }));
        }
    }

    private void disconnected(Object connection) {
        if (connection == control) {
            controlUp = false;
        } else if (connection == commands) {
            commandsUp = false;
        } else if (connection == pubSub) {
            subscribed = false;
        } else {
            return;
        }
        if (up && !closed) {
            up = false;
            log.warn("cluster: lost the link to Redis at {}; reconnecting", options.redis());
            listener.linkDown();
        }
    }

    private void maybeUp() {
        if (!up && commandsUp && subscribed && controlUp && !closed) {
            up = true;
            connectBackoffMillis = 100;
            listener.linkUp();
        }
    }

    private void drain() {
        drainScheduled.set(false);
        String message;
        for (int i = 0; i < DRAIN_BATCH && (message = inbound.poll()) != null; i++) {
            inboundSize.decrementAndGet();
            listener.received(message);
        }
        if (!inbound.isEmpty()) {
            if (drainScheduled.compareAndSet(false, true)) {
                loop.execute(this::drain); // the rest after this iteration's sockets
            }
        } else if (inboundDropped.get() != droppedReported) {
            long dropped = inboundDropped.get() - droppedReported;
            droppedReported += dropped;
            log.warn("cluster: this node fell behind the channel and dropped {} messages from other nodes", dropped);
            listener.fellBehind(dropped);
        }
    }

    /** Channel messages dropped since start because the loop fell behind. */
    long inboundDropped() {
        return inboundDropped.get();
    }

    private void flush() {
        if (unflushed > 0 && commands != null) {
            unflushed = 0;
            commands.flushCommands();
        }
    }

    /** A command was queued: flushed at the iteration's end, or now when an iteration queues many (a dump). */
    private void queued() {
        if (++unflushed >= FLUSH_EVERY) {
            flush();
        }
    }

    @Override
    public void register(String node, long lifetimeMillis, Consumer<Registration> done, Consumer<Throwable> failed) {
        this.<List<Object>>node("register", node, 0, lifetimeMillis).whenComplete((reply, failure) -> loop.execute(() -> {
            if (failure != null) {
                failed.accept(failure);
            } else {
                done.accept(new Registration((Long) reply.get(0), ((Long) reply.get(1)).intValue(),
                        ((Long) reply.get(2)) != 0));
            }
        }));
    }

    @Override
    public void beat(String node, long incarnation, long lifetimeMillis, Consumer<Beat> done, Consumer<Throwable> failed) {
        this.<List<Object>>node("beat", node, incarnation, lifetimeMillis).whenComplete((reply, failure) -> loop.execute(() -> {
            if (failure != null) {
                failed.accept(failure);
                return;
            }
            java.util.Map<Long, String> live = new java.util.HashMap<>();
            for (int i = 1; i + 1 < reply.size(); i += 2) {
                live.put((Long) reply.get(i), (String) reply.get(i + 1));
            }
            done.accept(new Beat((Long) reply.get(0) != 0, live));
        }));
    }

    @Override
    public void resetNicks(String node, long incarnation) {
        if (up) {
            counted(node("reset", node, incarnation, 0)); // on the data connection: before the claims that follow
        }
    }

    /**
     * Runs node.lua: a reset on the data connection, in order with the claims around it; the rest
     * (registration, heartbeat, departure) on the control connection, which nothing queues ahead of.
     */
    private <T> CompletableFuture<T> node(String mode, String node, long incarnation, long lifetimeMillis) {
        if (!up) {
            return CompletableFuture.failedFuture(new IOException("not connected to Redis"));
        }
        ScriptOutputType type = mode.equals("register") || mode.equals("beat") ? ScriptOutputType.MULTI
                : ScriptOutputType.INTEGER;
        StatefulRedisConnection<String, String> on = mode.equals("reset") ? commands : control;
        if (on == commands) {
            queued();
        }
        return on.async().<T>evalsha(nodeScript.sha, type,
                new String[] {keyPrefix + "nodes", keyPrefix + "node-info", keyPrefix + "nicks", keyPrefix + "incarnations"},
                mode, node, Long.toString(incarnation), Long.toString(lifetimeMillis), channel, keyPrefix + "nicks:",
                Integer.toString(MAX_NODES)).toCompletableFuture();
    }

    @Override
    public void publish(String message) {
        if (!up) {
            lost.incrementAndGet();
            return;
        }
        queued();
        counted(commands.async().publish(channel, message).toCompletableFuture());
    }

    @Override
    public void publishNick(long incarnation, String uid, String askedKey, String oldKey, String asked, String guest,
            ClusterCodec.Split split) {
        if (!up) {
            lost.incrementAndGet();
            return;
        }
        queued();
        counted(commands.async().<String>evalsha(nickScript.sha, ScriptOutputType.VALUE,
                new String[] {keyPrefix + "nicks", keyPrefix + "nicks:" + incarnation, keyPrefix + "node-info"},
                uid, askedKey, oldKey, asked, guest, channel, split.prefix(), split.suffix()).toCompletableFuture());
    }

    private void counted(CompletableFuture<?> sent) {
        published.incrementAndGet();
        sent.whenComplete((ignored, failure) -> {
            if (failure != null && lost.incrementAndGet() % 1000 == 1) {
                log.warn("cluster: a message to Redis was lost ({} so far): {}", lost.get(), rootMessage(failure));
            }
        });
    }

    @Override
    public void leave(String node, long incarnation) {
        CompletableFuture<?> left = up && incarnation > 0
                ? node("leave", node, incarnation, 0) : CompletableFuture.completedFuture(null);
        flush();
        closed = true;
        up = false;
        leaving = true;
        // Closed from Lettuce's side once Redis has answered (or in two seconds): the loop does not wait.
        left.orTimeout(2, TimeUnit.SECONDS).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("cluster: could not deregister from Redis: {}", rootMessage(failure));
            }
            shutDownClient();
        });
    }

    @Override
    public void close() {
        closed = true;
        if (!leaving) { // else the departure closes the client once Redis has answered it
            shutDownClient();
        }
    }

    private void shutDownClient() {
        if (clientShutDown.compareAndSet(false, true)) {
            CompletableFuture.allOf(client.shutdownAsync(0, 2, TimeUnit.SECONDS),
                    controlClient.shutdownAsync(0, 2, TimeUnit.SECONDS))
                    .whenComplete((done, error) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
        }
    }

    @Override
    public long published() {
        return published.get();
    }

    @Override
    public long lost() {
        return lost.get();
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    /** A Lua script of this package's resources, with its SHA-1 for EVALSHA. */
    private record Script(String text, String sha) {
        static Script load(String name) {
            try (InputStream in = RedisBus.class.getResourceAsStream("/cluster/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource /cluster/" + name);
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Script(text, sha1(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String sha1(String text) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
