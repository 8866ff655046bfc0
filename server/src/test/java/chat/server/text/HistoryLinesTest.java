package chat.server.text;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.core.MessageKind;
import chat.server.history.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A room history line is made once and shared; the cache stays bounded. */
class HistoryLinesTest {

    private final HistoryLines lines = new HistoryLines();

    private static StoredMessage said(long id) {
        return new StoredMessage(id, 1_796_115_600_000L, "#dev", "#Dev", "alice", "~chat@127.0.0.1", null,
                MessageKind.TEXT, "line " + id, Map.of());
    }

    @Test
    void aLineIsMadeOnceAndReadsAsTheHistoryForm() {
        byte[] first = lines.roomLine(said(7));
        assertThat(lines.roomLine(said(7))).isSameAs(first);
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("[#Dev] 2026-12-01T09:00:00Z alice: line 7\n");
    }

    @Test
    void theLeastRecentlyReplayedLinesAreForgottenPastTheBound() {
        byte[] kept = lines.roomLine(said(0));
        for (int i = 1; i <= HistoryLines.CAPACITY; i++) {
            lines.roomLine(said(i));
            if (i % 100 == 0) {
                lines.roomLine(said(0)); // replayed now and then: stays
            }
        }
        assertThat(lines.size()).isEqualTo(HistoryLines.CAPACITY);
        assertThat(lines.roomLine(said(0))).isSameAs(kept);
        byte[] remade = lines.roomLine(said(1));
        assertThat(new String(remade, StandardCharsets.UTF_8)).endsWith("alice: line 1\n");
    }
}
