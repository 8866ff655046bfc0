package chat.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles taken from a nanosecond {@link Histogram}, reported in microseconds.
 *
 * <p>HdrHistogram keeps 3 significant digits, so every figure here is within 0.1% of the value
 * it stands for. An empty histogram reports zeros with {@code count == 0}, never an exception.
 *
 * @param count values recorded
 * @param p50Micros median
 * @param p99Micros 99th percentile
 * @param p999Micros 99.9th percentile
 * @param maxMicros largest value
 */
public record LatencyReport(long count, double p50Micros, double p99Micros, double p999Micros, double maxMicros) {

    /** Largest latency a histogram tracks: a minute, far past any sane delivery. */
    public static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;
    public static final int SIGNIFICANT_DIGITS = 3;

    /** A histogram fit for {@link #of}: 1 ns to a minute, 3 significant digits. */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }

    /** Records {@code nanos}, clamped into the trackable range so an outlier never throws. */
    public static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(1, Math.min(nanos, HIGHEST_TRACKABLE_NANOS)));
    }

    public static LatencyReport of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return new LatencyReport(0, 0, 0, 0, 0);
        }
        return new LatencyReport(nanos.getTotalCount(),
                micros(nanos.getValueAtPercentile(50.0)),
                micros(nanos.getValueAtPercentile(99.0)),
                micros(nanos.getValueAtPercentile(99.9)),
                micros(nanos.getMaxValue()));
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    /** One human-readable line: {@code p50 12.3 us  p99 ...}. */
    public String summary() {
        return String.format(Locale.ROOT, "p50 %.1f us  p99 %.1f us  p99.9 %.1f us  max %.1f us  (n=%d)",
                p50Micros, p99Micros, p999Micros, maxMicros, count);
    }

    /** {@code prefix_p50_us=.. prefix_p99_us=..} for the machine-readable RESULT line. */
    public String keyValues(String prefix) {
        return String.format(Locale.ROOT, "%1$s_p50_us=%2$.1f %1$s_p99_us=%3$.1f %1$s_p999_us=%4$.1f %1$s_max_us=%5$.1f",
                prefix, p50Micros, p99Micros, p999Micros, maxMicros);
    }
}
