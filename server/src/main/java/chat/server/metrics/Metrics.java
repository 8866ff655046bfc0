package chat.server.metrics;

import chat.server.net.EventLoop;
import chat.server.net.HttpListener;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The metrics export, when it is on: Micrometer registries (Prometheus, JMX) with the server's
 * meters ({@link ChatMeters}) and a few of the JVM's, the {@code chat-metrics} thread that
 * copies the loop's figures out ({@link MetricsPublisher}), and the {@code /metrics} listener on
 * the loop ({@link HttpListener}). With metrics off none of this exists.
 *
 * <p>Made and bound before the loop runs; {@link #close} on the loop thread at shutdown.
 */
public final class Metrics implements AutoCloseable {

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final MetricsPublisher publisher;
    /** The endpoint; null without {@code --metrics-port}. */
    private final HttpListener http;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private Metrics(MetricsOptions options, StatsRecorder recorder, EventLoop loop) {
        PrometheusMeterRegistry prometheus = null;
        if (options.port() >= 0) {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.add(prometheus);
        }
        if (options.jmx()) {
            registry.add(new JmxMeterRegistry(JmxConfig.DEFAULT, Clock.SYSTEM));
        }
        ChatMeters.bind(registry, recorder);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        PrometheusMeterRegistry scraped = prometheus;
        this.publisher = new MetricsPublisher(loop, recorder, scraped == null ? null : scraped::scrape,
                MetricsOptions.PUBLISH_INTERVAL_MILLIS);
        this.http = options.port() < 0 ? null
                : new HttpListener(loop, new InetSocketAddress(options.host(), options.port()), publisher::exposition);
    }

    /** Builds the registries and binds the endpoint; the figures start flowing once the loop runs. */
    public static Metrics start(MetricsOptions options, StatsRecorder recorder, EventLoop loop) throws IOException {
        Metrics metrics = new Metrics(options, recorder, loop);
        if (metrics.http != null) {
            metrics.http.bind();
        }
        metrics.publisher.start();
        return metrics;
    }

    /** The endpoint's port, or -1 without one. Any thread. */
    public int port() {
        return http == null ? -1 : http.port();
    }

    /** The registries, for tests and for an embedding application's own meters. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        publisher.close();
        if (http != null) {
            http.close();
        }
        gc.close();
        registry.close();
    }
}
