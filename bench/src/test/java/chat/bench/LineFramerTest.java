package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private final List<String> lines = new ArrayList<>();
    private final LoadLoop.LineListener collect =
            (c, b, s, e, now) -> lines.add(new String(b, s, e - s, StandardCharsets.US_ASCII));

    private void feed(BenchConnection c, String chunk) {
        byte[] bytes = chunk.getBytes(StandardCharsets.US_ASCII);
        LineFramer.frame(c, bytes, bytes.length, 0, collect);
    }

    @Test
    void everySplitPointGivesTheSameLines() {
        String stream = "*3\r\n$7\r\nmessage\r\n[#lobby] a: hi\nlast\n";
        for (int split = 0; split <= stream.length(); split++) {
            lines.clear();
            BenchConnection c = new BenchConnection(BenchConnection.Role.RECEIVER, 0, new byte[0], new byte[0]);
            feed(c, stream.substring(0, split));
            feed(c, stream.substring(split));
            assertEquals(List.of("*3", "$7", "message", "[#lobby] a: hi", "last"), lines, "split at " + split);
        }
    }

    @Test
    void anOverlongLineIsSkippedAndTheNextOneArrives() {
        BenchConnection c = new BenchConnection(BenchConnection.Role.RECEIVER, 0, new byte[0], new byte[0]);
        String longLine = "x".repeat(BenchConnection.MAX_CARRIED_LINE + 10);
        for (int round = 0; round < 3; round++) {
            feed(c, longLine.substring(0, 600));
            feed(c, longLine.substring(600));
            feed(c, "\nok\n");
        }
        assertEquals(List.of("ok", "ok", "ok"), lines);
    }
}
