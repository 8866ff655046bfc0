package chat.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The spread of one figure over several rounds: its median, lowest and highest value, and every
 * round's value in order. This machine's speed drifts from minute to minute, so a figure is
 * reported with its spread, never from one round.
 *
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param min the lowest
 * @param max the highest
 * @param values every round's value, in the order measured
 */
record Spread(double median, double min, double max, double[] values) {

    static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], values.clone());
    }

    /** {@code median (min-max; a, b, c)} with {@code format} for each number, e.g. {@code "%.0f"}. */
    String text(String format) {
        StringBuilder each = new StringBuilder();
        for (double v : values) {
            each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, format, v));
        }
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + "; %s)", median, min, max, each);
    }

    /** The values joined by commas, for a RESULT line. */
    String joined(String format) {
        StringBuilder all = new StringBuilder();
        for (double v : values) {
            all.append(all.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, format, v));
        }
        return all.toString();
    }
}
