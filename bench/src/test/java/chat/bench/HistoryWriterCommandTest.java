package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short real run: the server's writer into SQLite in a temporary directory, nothing dropped, nothing left. */
class HistoryWriterCommandTest {

    @TempDir
    Path parent;

    private Map<String, String> run(String... args) {
        return BenchOutput.run(BenchOutput.join(new String[] {"history-writer"}, args));
    }

    @Test
    void twoShortRoundsCommitWithoutDropsAndRemoveTheirDirectories() throws IOException {
        Map<String, String> result = run("--dir", parent.toString(), "--rounds", "2", "--warmup", "0.2",
                "--duration", "0.5", "--sync", "10", "--prune-interval", "200", "--history-size", "10");
        assertThat(result).containsEntry("exit", "0").containsEntry("mode", "history-writer")
                .containsEntry("dropped", "0").containsEntry("failed", "0").containsEntry("rounds", "2");
        assertThat(result.get("per_round").split(",")).hasSize(2);
        assertThat(Double.parseDouble(result.get("committed_per_s"))).isPositive();
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void thePaceIsKeptWhenTheWriterKeepsUp() {
        Map<String, String> result = run("--dir", parent.toString(), "--rounds", "1", "--warmup", "0.2",
                "--duration", "0.5", "--sync", "10", "--rate", "2000");
        assertThat(result).containsEntry("exit", "0").containsEntry("rate", "2000").containsEntry("dropped", "0");
    }

    @Test
    void theProducerStopsShortOfTheWritersLimit() {
        assertThat(HistoryWriterCommand.highWater(200_000)).isEqualTo(180_000);
        assertThat(HistoryWriterCommand.highWater(10)).isEqualTo(9);
        assertThat(HistoryWriterCommand.highWater(1)).isEqualTo(1);
    }

    @Test
    void badOptionsAreAUsageError() {
        assertThat(run("--rounds", "0")).containsEntry("exit", "2");
        assertThat(run("--size", "3")).containsEntry("exit", "2");
    }
}
