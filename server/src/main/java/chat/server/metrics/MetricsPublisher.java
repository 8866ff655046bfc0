package chat.server.metrics;

import chat.server.net.BackgroundThreads;
import chat.server.net.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics thread ({@code chat-metrics}): once a second it hands the loop a probe task that
 * publishes a {@link ServerStats} snapshot, timing how long the task waited in the loop's queue
 * (the lag any other thread's request sees), then renders the Prometheus text from that snapshot
 * into bytes the endpoint serves as they are. So the loop never calls into Micrometer, and a
 * scrape costs it a copy.
 *
 * <p>At most one probe is in the loop's queue: a stuck loop gets no pile of them, and its last
 * snapshot ages, which {@code chat.stats.age} shows. The loop ends the wait with a latch, which
 * takes no lock on its side.
 *
 * <p>{@link #start} and {@link #close} from any thread; {@link #exposition} from any thread.
 */
final class MetricsPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsPublisher.class);

    private final EventLoop loop;
    private final StatsRecorder recorder;
    /** Renders the exposition text; null when there is no Prometheus endpoint. */
    private final Supplier<String> render;
    private final long intervalMillis;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            BackgroundThreads.named("chat-metrics"));
    /** False while a probe waits in the loop's queue or runs. */
    private volatile boolean probeDone = true;
    /** The latest exposition text, as served. */
    private volatile byte[] exposition = new byte[0];

    MetricsPublisher(EventLoop loop, StatsRecorder recorder, Supplier<String> render, long intervalMillis) {
        this.loop = loop;
        this.recorder = recorder;
        this.render = render;
        this.intervalMillis = intervalMillis;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** The latest exposition text. Any thread; the bytes are never changed. */
    byte[] exposition() {
        return exposition;
    }

    private void tick() {
        try {
            if (probeDone) {
                probeDone = false;
                CountDownLatch published = new CountDownLatch(1);
                long submitted = loop.nanoTime();
                loop.execute(() -> {
                    try {
                        recorder.publish(loop.nanoTime() - submitted);
                    } finally {
                        probeDone = true;
                        published.countDown();
                    }
                });
                published.await(intervalMillis, TimeUnit.MILLISECONDS);
            }
            if (render != null) {
                exposition = render.get().getBytes(StandardCharsets.UTF_8);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("metrics: publishing failed", e); // and next second it is tried again
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
