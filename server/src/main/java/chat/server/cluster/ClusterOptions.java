package chat.server.cluster;

import java.net.URI;
import java.time.Duration;

/**
 * Whether this server is a node of a cluster, and how: the Redis its nodes share
 * ({@code --cluster redis://HOST:PORT[/DB]}, {@code rediss://} for TLS), its own name among them
 * ({@code --node-name}), and how long a silent node is still taken for alive
 * ({@code --node-timeout}).
 *
 * @param redis the shared Redis, or null for a single node (the default)
 * @param nodeName this node's name, unique among the nodes; shown in logs and in quit reasons
 * @param nodeTimeout a node that has not renewed its heartbeat for this long is dropped, its
 *     users with it; a node cut off from Redis this long drops the other nodes' users
 * @param maxQueued most messages waiting for Redis (its client's request queue); beyond it,
 *     what this node's users do reaches only this node, and the loss is logged
 */
public record ClusterOptions(URI redis, String nodeName, Duration nodeTimeout, int maxQueued) {

    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_QUEUED = 100_000;

    public ClusterOptions {
        if (redis != null) {
            String scheme = redis.getScheme();
            if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
                throw new IllegalArgumentException("--cluster takes redis://HOST:PORT[/DB] or rediss://..., not " + redis);
            }
            if (redis.getHost() == null) {
                throw new IllegalArgumentException("--cluster: no host in " + redis);
            }
            if (nodeName == null || !nodeName.matches("[A-Za-z0-9._:-]{1,64}")) {
                throw new IllegalArgumentException("--node-name takes 1 to 64 letters, digits and . _ : -, not \""
                        + nodeName + "\"");
            }
        }
        if (nodeTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("--node-timeout must be at least 1 second");
        }
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1");
        }
    }

    /** A single node. */
    public static ClusterOptions none() {
        return new ClusterOptions(null, "", DEFAULT_NODE_TIMEOUT, DEFAULT_MAX_QUEUED);
    }

    public boolean enabled() {
        return redis != null;
    }

    /** The Redis database number the URI names ({@code /3}), 0 when it names none. */
    public int database() {
        String path = redis.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cluster: the database must be a number, not " + path.substring(1));
        }
    }
}
