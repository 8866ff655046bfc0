package chat.server.metrics;

/**
 * Whether and how the server's figures are exported.
 *
 * @param port the Prometheus endpoint's port, 0 for any free one, -1 for no endpoint
 * @param host the address it listens on; loopback by default, since the figures are for the
 *     operator, not the world
 * @param jmx true to register the meters as MBeans too
 */
public record MetricsOptions(int port, String host, boolean jmx) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    /** How often the loop's figures are copied out, and the exposition text made again. */
    public static final long PUBLISH_INTERVAL_MILLIS = 1000;

    public MetricsOptions {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("--metrics-port must be 0-65535, not " + port);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--metrics-host must not be empty");
        }
    }

    /** No metrics: no registry, no thread, no listener (the stats command still works). */
    public static MetricsOptions none() {
        return new MetricsOptions(-1, DEFAULT_HOST, false);
    }

    /** A Prometheus endpoint on {@code port} of the loopback address, without JMX. */
    public static MetricsOptions prometheus(int port) {
        return new MetricsOptions(port, DEFAULT_HOST, false);
    }

    /** True when anything is exported. */
    public boolean enabled() {
        return port >= 0 || jmx;
    }
}
