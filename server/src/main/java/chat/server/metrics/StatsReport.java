package chat.server.metrics;

import chat.server.net.CloseReason;
import chat.server.net.ConnectionCensus.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The key figures of a {@link ServerStats} as a few lines of text, the same for both dialects:
 * the native {@code /stats} prints them as they are, IRC's {@code STATS z} puts each in a
 * numeric. Each line stays well under IRC's 512 bytes. Stateless.
 */
public final class StatsReport {

    private StatsReport() {
    }

    public static List<String> lines(ServerStats s) {
        List<String> lines = new ArrayList<>();
        lines.add("uptime " + uptime(s.uptimeMillis()) + "; loop busy " + percent(s.loopBusyRatio())
                + " of the last interval, task queue lag " + lag(s.taskLagNanos()) + ", "
                + s.loopIterations() + " iterations");
        StringBuilder connections = new StringBuilder();
        StringBuilder users = new StringBuilder();
        for (Dialect dialect : Dialect.values()) {
            String name = dialect.label();
            connections.append(connections.length() == 0 ? "" : ", ").append(name).append(' ')
                    .append(s.connections(dialect, false)).append(", ").append(name).append(" TLS ")
                    .append(s.connections(dialect, true));
            if (dialect.hasUsers()) {
                users.append(users.length() == 0 ? "" : ", ").append(name).append(' ')
                        .append(s.users(dialect, false) + s.users(dialect, true));
            }
        }
        lines.add("connections " + s.connections() + " (" + connections + "); users " + s.users() + " (" + users
                + "); rooms " + s.rooms());
        lines.add("messages " + s.messages() + ", lines in " + s.traffic().linesIn() + ", deliveries " + s.traffic().linesQueued()
                + ", writes " + s.traffic().writes() + "; bytes in " + s.traffic().bytesIn() + ", out " + s.traffic().bytesOut()
                + "; send queues " + s.sendQueueBytes() + " bytes");
        StringBuilder closes = new StringBuilder();
        for (CloseReason reason : CloseReason.values()) {
            closes.append(closes.length() == 0 ? "" : ", ").append(reason.description()).append(' ')
                    .append(s.traffic().closed(reason));
        }
        lines.add("accepted " + s.traffic().accepted() + ", refused " + s.traffic().refused() + ", flood pauses " + s.traffic().floodPauses()
                + "; disconnects: " + closes);
        ServerStats.HistoryFigures h = s.history();
        lines.add(h == ServerStats.HistoryFigures.NONE ? "history: not written to disk"
                : "history: " + h.pending() + " waiting to be saved, the oldest for " + h.lagMillis() + " ms; "
                        + h.dropped() + " dropped, " + h.failed() + " failed");
        return lines;
    }

    static String uptime(long millis) {
        long seconds = TimeUnit.MILLISECONDS.toSeconds(millis);
        return String.format(Locale.ROOT, "%dd %02d:%02d:%02d", seconds / 86400, seconds / 3600 % 24,
                seconds / 60 % 60, seconds % 60);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    private static String lag(long nanos) {
        return nanos < 0 ? "not measured (metrics off)"
                : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
