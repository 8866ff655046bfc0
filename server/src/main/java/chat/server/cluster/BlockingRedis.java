package chat.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's Redis for the stores that live on it (history, accounts), whose calls block by
 * contract and run on their own threads, never the loop's. Each {@link Connection} is one
 * thread's: made on first use and made again after a failure, so a Redis that is down at start
 * or later fails the call (the caller reports it) instead of the server.
 */
final class BlockingRedis implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Key prefix of this cluster: {@code chat:}, with the database number when it is not 0. */
    final String prefix;
    private final ClientResources resources;
    private final RedisClient client;

    BlockingRedis(ClusterOptions options) {
        int database = options.database();
        this.prefix = database == 0 ? "chat:" : "chat:" + database + ":";
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        RedisURI uri = RedisURI.create(options.redis());
        uri.setTimeout(TIMEOUT);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
                .build());
    }

    /** A call on one connection. */
    interface Call<T> {
        T on(RedisCommands<String, String> redis);
    }

    /** One thread's connection. */
    final class Connection {
        private StatefulRedisConnection<String, String> connection;

        /** Runs {@code call}; a failure closes the connection, so the next call makes a new one. */
        synchronized <T> T run(Call<T> call) {
            try {
                if (connection == null || !connection.isOpen()) {
                    close();
                    connection = client.connect(StringCodec.UTF8);
                }
                return call.on(connection.sync());
            } catch (RedisException | IllegalStateException e) {
                close();
                throw e instanceof RedisException r ? r : new RedisException(e.getMessage(), e);
            }
        }

        synchronized void close() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    Connection connection() {
        return new Connection();
    }

    @Override
    public void close() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
