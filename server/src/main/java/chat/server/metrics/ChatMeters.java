package chat.server.metrics;

import chat.server.net.CloseReason;
import chat.server.net.ConnectionCensus.Dialect;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The server's meters in a Micrometer registry. Every meter reads the latest {@link ServerStats}
 * the {@link StatsRecorder} published; none touches the loop or its state, so a scrape or a JMX
 * read on any thread costs the loop nothing, and sees figures at most about a second old (plus
 * the loop's lag: {@code chat.stats.age} says how old).
 *
 * <p>Names follow Micrometer's dotted convention; the Prometheus registry makes them
 * {@code chat_..._total}, {@code ..._bytes}, {@code ..._seconds} (docs/operations.md, "Metrics").
 */
public final class ChatMeters {

    private ChatMeters() {
    }

    /** Registers every meter of the server in {@code registry}, reading {@code recorder}'s snapshots. */
    public static void bind(MeterRegistry registry, StatsRecorder recorder) {
        for (Dialect dialect : Dialect.values()) {
            for (boolean tls : new boolean[] {false, true}) {
                String dialectLabel = dialect.label();
                String tlsLabel = Boolean.toString(tls);
                gauge("chat.connections", "open connections", recorder, s -> s.connections(dialect, tls))
                        .tags("dialect", dialectLabel, "tls", tlsLabel).register(registry);
                if (dialect.hasUsers()) {
                    gauge("chat.users", "connections with a chat user", recorder, s -> s.users(dialect, tls))
                            .tags("dialect", dialectLabel, "tls", tlsLabel).register(registry);
                }
            }
        }
        gauge("chat.rooms", "rooms that exist", recorder, ServerStats::rooms).register(registry);
        gauge("chat.send.queue", "bytes queued for clients and not yet written", recorder,
                ServerStats::sendQueueBytes).baseUnit("bytes").register(registry);
        gauge("chat.loop.busy.ratio", "share of the last interval the event loop was not waiting", recorder,
                ServerStats::loopBusyRatio).register(registry);
        gauge("chat.history.pending", "messages waiting to be committed to the history store", recorder,
                s -> s.history().pending()).register(registry);

        counter("chat.messages", "messages said (room, private, multiline), each once", recorder,
                ServerStats::messages).register(registry);
        counter("chat.lines.received", "lines received from clients", recorder, s -> s.traffic().linesIn())
                .register(registry);
        counter("chat.deliveries", "lines queued to clients; a message to N members counts N", recorder,
                s -> s.traffic().linesQueued()).register(registry);
        counter("chat.received", "bytes read from clients (plaintext, after TLS)", recorder,
                s -> s.traffic().bytesIn()).baseUnit("bytes").register(registry);
        counter("chat.sent", "bytes written to clients (plaintext, before TLS)", recorder,
                s -> s.traffic().bytesOut()).baseUnit("bytes").register(registry);
        counter("chat.writes", "flushes that wrote to a client", recorder, s -> s.traffic().writes())
                .register(registry);
        counter("chat.flood.pauses", "times flood control paused reading from a client", recorder,
                s -> s.traffic().floodPauses()).register(registry);
        counter("chat.connections.accepted", "connections accepted", recorder, s -> s.traffic().accepted())
                .register(registry);
        counter("chat.connections.refused", "connections refused by a connection-count limit", recorder,
                s -> s.traffic().refused()).register(registry);
        for (CloseReason reason : CloseReason.values()) {
            counter("chat.disconnects", "connections closed, by reason", recorder, s -> s.traffic().closed(reason))
                    .tags("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        counter("chat.loop.iterations", "event loop iterations", recorder, ServerStats::loopIterations)
                .register(registry);
        counter("chat.history.dropped", "messages the history writer refused (its queue was full)", recorder,
                s -> s.history().dropped()).register(registry);
        counter("chat.history.failed", "messages lost in a failed history commit", recorder,
                s -> s.history().failed()).register(registry);

        TimeGauge.builder("chat.loop.task.lag", recorder, TimeUnit.NANOSECONDS,
                        r -> r.latest() == null ? Double.NaN : Math.max(0, r.latest().taskLagNanos()))
                .description("how long the latest probe task waited in the event loop's task queue").register(registry);
        TimeGauge.builder("chat.history.lag", recorder, TimeUnit.MILLISECONDS,
                        r -> r.latest() == null ? Double.NaN : r.latest().history().lagMillis())
                .description("how long the oldest message waiting for a history commit has waited").register(registry);
        TimeGauge.builder("chat.stats.age", recorder, TimeUnit.MILLISECONDS,
                        r -> r.latest() == null ? Double.NaN : System.currentTimeMillis() - r.latest().takenMillis())
                .description("age of the figures: grows past a second or two only when the event loop is stuck")
                .register(registry);
    }

    private static Gauge.Builder<StatsRecorder> gauge(String name, String description,
            StatsRecorder recorder, ToDoubleFunction<ServerStats> figure) {
        return Gauge.builder(name, recorder, r -> r.latest() == null ? Double.NaN : figure.applyAsDouble(r.latest()))
                .description(description).strongReference(true);
    }

    private static FunctionCounter.Builder<StatsRecorder> counter(String name,
            String description, StatsRecorder recorder, ToDoubleFunction<ServerStats> figure) {
        return FunctionCounter.builder(name, recorder, r -> r.latest() == null ? 0 : figure.applyAsDouble(r.latest()))
                .description(description);
    }
}
