package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.server.ServerConfig;
import chat.server.net.Limits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Input the server holds back (fairness, flood control) against what else happens to the
 * connection meanwhile: output piling up for others, a peer that resets, the idle limit. Each
 * case is one that used to lose lines or cut off a client that did nothing wrong.
 */
class BackpressureEndToEndTest {

    @RegisterExtension
    final RunningServer server = new RunningServer();

    private static ServerConfig config(Limits limits) {
        return ServerConfig.loopbackEphemeral().withLimits(limits);
    }

    private static byte[] lines(String prefix, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(prefix).append(i).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLargePasteWithoutFloodControlReachesAHealthyReaderWithoutCuttingItOff() throws Exception {
        // 32,768 one-byte lines in one 64 KiB write. Relayed under a 32-character nick they are
        // 1.5 MB for the reader, over the 1 MiB send-queue limit if they were all handled before
        // one flush; handled 256 per iteration, with a flush after each, they never pile up.
        server.start(config(Limits.defaults().withFlood(0, 0)));
        String nick = "p".repeat(32);
        try (LineClient paster = LineClient.named(server.port(), nick);
             LineClient reader = LineClient.named(server.port(), "reader")) {
            StringBuilder paste = new StringBuilder();
            for (int i = 0; i < 32_768; i++) {
                paste.append(i == 32_767 ? "z" : "x").append('\n');
            }
            paster.sendBytes(paste.toString().getBytes(StandardCharsets.US_ASCII));
            reader.awaitExact("[#lobby] " + nick + ": z");
            assertThat(reader.lines()).filteredOn(l -> l.startsWith("[#lobby] " + nick + ": ")).hasSize(32_768);
            assertThat(reader.lines()).noneMatch(l -> l.startsWith("! send queue exceeded"));
            paster.send("still here");
            reader.awaitExact("[#lobby] " + nick + ": still here");
        }
    }

    @Test
    void linesHeldByFloodControlAreDeliveredWhenAWriteFindsTheSenderGone() throws Exception {
        // A burst of 21 (its /nick takes one), then one line every 10 s: 10 of the 30 lines wait
        // in the server. The sender resets; the next line someone says fails to reach it, and
        // what it sent must still arrive, at once, not lost and not 100 s later.
        server.start(config(Limits.defaults().withFlood(0.1, 21)));
        try (LineClient watcher = LineClient.named(server.port(), "watcher");
             LineClient talker = LineClient.named(server.port(), "talker")) {
            LineClient leaver = LineClient.named(server.port(), "leaver");
            leaver.sendBytes(lines("line ", 30));
            watcher.awaitExact("[#lobby] leaver: line 19");
            leaver.reset();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                talker.send("anyone there?"); // a write to the gone sender fails
                return watcher.hasLine(l -> l.startsWith("-- leaver quit"));
            });
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                expected.add("[#lobby] leaver: line " + i);
            }
            assertThat(watcher.lines()).filteredOn(l -> l.startsWith("[#lobby] leaver: ")).isEqualTo(expected);
        }
    }

    @Test
    void aClientWhoseLinesAreHeldByFloodControlIsNotCutOffAsIdle() throws Exception {
        // One line every 200 ms after the first: the paste takes about 1.8 s to go through,
        // longer than the 1 s idle limit. Held input is not silence.
        server.start(config(Limits.defaults().withFlood(5, 1).withIdleTimeout(1)));
        try (LineClient watcher = LineClient.named(server.port(), "watcher");
             LineClient paster = LineClient.named(server.port(), "paster")) {
            watcher.send(""); // the watcher's last input was its name, before the paster came
            paster.sendBytes(lines("paste ", 10));
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
                watcher.send(""); // the watcher is not idle: blank lines are input, and say nothing
                return watcher.hasLine("[#lobby] paster: paste 9"::equals);
            });
            List<String> seen = watcher.lines();
            int lastLine = seen.indexOf("[#lobby] paster: paste 9");
            assertThat(seen.subList(0, lastLine)).noneMatch(l -> l.startsWith("-- paster quit"));
            assertThat(seen).filteredOn(l -> l.startsWith("[#lobby] paster: ")).hasSize(10);
            // Once all of it went through and it stays silent, the limit applies as usual.
            paster.awaitLine(l -> l.startsWith("! idle for "));
        }
    }
}
