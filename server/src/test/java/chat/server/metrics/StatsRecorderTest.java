package chat.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import chat.server.core.ChatCore;
import chat.server.net.CloseReason;
import chat.server.net.Connection;
import chat.server.net.ConnectionCensus.Dialect;
import chat.server.net.Limits;
import chat.server.net.LoopHarness;
import chat.server.net.RecordingProtocol;
import chat.server.net.ScriptedTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snapshots: taken on the loop from its plain counters, then fixed, whatever the loop does next;
 * and the meters, which read only the latest snapshot, under the names the docs give.
 */
class StatsRecorderTest {

    private final RecordingProtocol protocol = new RecordingProtocol(4096);
    private final LoopHarness harness = new LoopHarness(Limits.defaults(), LoopHarness.only(protocol));
    private final ChatCore core = new ChatCore("lobby", ChatCore.DEFAULT_ANNOUNCE_LIMIT);
    private final StatsRecorder recorder = new StatsRecorder(harness.loop, List.of(harness.server), core, null,
            () -> 1_000L);

    private Connection chattyClient() {
        Connection connection = harness.accept(new ScriptedTransport().chunk("one\ntwo\n"));
        protocol.reaction = (handler, frame) -> handler.connection.send((frame + "\n").getBytes(StandardCharsets.US_ASCII));
        harness.readable(connection);
        harness.iterate();
        return connection;
    }

    @Test
    void nothingIsPublishedBeforeTheFirstSnapshot() {
        assertThat(recorder.latest()).isNull();
    }

    @Test
    void aSnapshotCopiesTheCountersAndStaysAsItWasTaken() {
        Connection connection = chattyClient();

        ServerStats first = recorder.publish(42_000);

        assertThat(recorder.latest()).isSameAs(first);
        assertThat(first.traffic().linesIn()).isEqualTo(2);
        assertThat(first.traffic().linesQueued()).isEqualTo(2);
        assertThat(first.traffic().bytesIn()).isEqualTo(8);
        assertThat(first.traffic().bytesOut()).isEqualTo(8);
        assertThat(first.traffic().writes()).isEqualTo(1);
        assertThat(first.connections(Dialect.NATIVE, false)).isEqualTo(1);
        assertThat(first.taskLagNanos()).isEqualTo(42_000);
        assertThat(first.history()).isSameAs(ServerStats.HistoryFigures.NONE);

        connection.send("three\n".getBytes(StandardCharsets.US_ASCII));
        connection.close(CloseReason.LIMIT, "test");
        harness.iterate();

        assertThat(first.traffic().linesQueued()).as("a snapshot never changes").isEqualTo(2);
        assertThat(first.traffic().closed(CloseReason.LIMIT)).isZero();
        ServerStats second = recorder.publish(0);
        assertThat(second.traffic().linesQueued()).isEqualTo(3);
        assertThat(second.connections()).isZero();
    }

    @Test
    void aSnapshotForTheStatsCommandDoesNotReplaceThePublishedOne() {
        ServerStats published = recorder.publish(7);
        chattyClient();

        ServerStats now = recorder.sampleNow();

        assertThat(recorder.latest()).isSameAs(published);
        assertThat(now.traffic().linesQueued()).isEqualTo(2);
        assertThat(now.taskLagNanos()).as("the published lag: only the probe measures it").isEqualTo(7);
    }

    @Test
    void theBusyRatioIsTheShareOfTheIntervalNotSpentIdle() {
        assertThat(StatsRecorder.busyRatio(1_000, 250)).isCloseTo(0.75, within(1e-9));
        assertThat(StatsRecorder.busyRatio(1_000, 0)).isEqualTo(1.0);
        assertThat(StatsRecorder.busyRatio(1_000, 1_500)).as("never below 0").isEqualTo(0.0);
        assertThat(StatsRecorder.busyRatio(0, 0)).as("an empty interval").isEqualTo(0.0);
    }

    @Test
    void metersReadTheLatestSnapshot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChatMeters.bind(registry, recorder);
        assertThat(registry.get("chat.deliveries").functionCounter().count()).isZero();

        chattyClient();
        assertThat(registry.get("chat.deliveries").functionCounter().count()).as("not before it is published").isZero();
        recorder.publish(0);

        assertThat(registry.get("chat.deliveries").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("chat.connections").tags("dialect", "native", "tls", "false").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("chat.disconnects").tag("reason", "quit").functionCounter().count()).isZero();
    }

    @Test
    void prometheusNamesAreTheOnesTheDocsGive() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ChatMeters.bind(registry, recorder);
        chattyClient();
        recorder.publish(0);

        String text = registry.scrape();

        assertThat(text).contains("chat_connections{dialect=\"native\",tls=\"false\"} 1.0",
                "chat_users{dialect=\"irc\",tls=\"true\"} 0.0",
                "chat_rooms ", "chat_messages_total ", "chat_lines_received_total 2.0", "chat_deliveries_total 2.0",
                "chat_received_bytes_total 8.0", "chat_sent_bytes_total 8.0", "chat_writes_total 1.0",
                "chat_send_queue_bytes 0.0", "chat_disconnects_total{reason=\"quit\"} 0.0", "chat_flood_pauses_total ",
                "chat_connections_accepted_total ", "chat_connections_refused_total ", "chat_loop_iterations_total ",
                "chat_loop_busy_ratio ", "chat_loop_task_lag_seconds ", "chat_history_pending ",
                "chat_history_lag_seconds ", "chat_history_dropped_total ", "chat_history_failed_total ",
                "chat_stats_age_seconds ");
    }
}
