package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last id per room and conversation, and no message shown twice. */
class SeenMessagesTest {

    private final SeenMessages seen = new SeenMessages();

    private static ServerLine.Message line(String text) {
        return (ServerLine.Message) ServerLineParser.parse(text);
    }

    private boolean show(String text) {
        return seen.firstShowing(line(text), false);
    }

    @Test
    void remembersTheLastIdOfEachRoomAndConversation() {
        assertThat(show("@a1 [#lobby] bob: one")).isTrue();
        assertThat(show("@a2 [#dev] * bob waves")).isTrue();
        assertThat(show("@a3 [#lobby] alice: my own, echoed")).isTrue();
        assertThat(show("@a4 [pm] carol: psst")).isTrue();
        assertThat(show("@a5 [pm -> Dave] hello")).isTrue();
        assertThat(show("@a6 [pm] 2026-12-01T09:14:03Z dave: from history")).isTrue();

        assertThat(seen.lastId("#LOBBY")).isEqualTo("a3");
        assertThat(seen.lastId("#dev")).isEqualTo("a2");
        assertThat(seen.lastId("carol")).isEqualTo("a4");
        // The conversation with Dave is one, whichever side spoke and however its nick is cased.
        assertThat(seen.lastId("dave")).isEqualTo("a6");
        assertThat(seen.lastIds()).containsExactly(Map.entry("#dev", "a2"), Map.entry("#lobby", "a3"),
                Map.entry("carol", "a4"), Map.entry("dave", "a6")); // as spelled last
    }

    @Test
    void aMessageShownBeforeIsNotShownAgain() {
        assertThat(show("@a1 [#lobby] bob: one")).isTrue();
        assertThat(show("@a2 [#lobby] bob: two")).isTrue();
        // A replay that overlaps: a1 and a2 were shown, a3 was not.
        assertThat(show("@a1 [#lobby] 2026-12-01T09:14:03Z bob: one")).isFalse();
        assertThat(show("@a2 [#lobby] 2026-12-01T09:14:04Z bob: two")).isFalse();
        assertThat(show("@a3 [#lobby] 2026-12-01T09:14:05Z bob: three")).isTrue();
        assertThat(show("@a3 [#lobby] bob: three")).isFalse(); // and live again, the same message
        assertThat(seen.lastId("#lobby")).isEqualTo("a3");
    }

    @Test
    void theAnswerToHistoryIsShownAgainAndLeavesTheLastIdAlone() {
        show("@b7 [#lobby] bob: latest");
        // /history pages backwards: older messages, one of them shown before.
        assertThat(seen.firstShowing(line("@b6 [#lobby] 2026-12-01T09:14:03Z bob: older"), true)).isTrue();
        assertThat(seen.firstShowing(line("@b7 [#lobby] 2026-12-01T09:14:04Z bob: latest"), true)).isTrue();
        assertThat(seen.lastId("#lobby")).isEqualTo("b7");
        // Once shown by /history, a message is not shown again by a replay.
        assertThat(show("@b6 [#lobby] 2026-12-01T09:14:03Z bob: older")).isFalse();
    }

    @Test
    void idsAreComparedForEqualityOnly() {
        show("@z9 [#lobby] bob: one");
        show("@a1 [#lobby] bob: two"); // "smaller", yet said later: ids have no order for the client
        assertThat(seen.lastId("#lobby")).isEqualTo("a1");
        assertThat(show("@Z9 [#lobby] bob: another")).as("ids are case-sensitive").isTrue();
    }

    @Test
    void linesWithoutIdsAreAlwaysShownAndRememberNothing() {
        assertThat(show("[#lobby] bob: hi")).isTrue();
        assertThat(show("[#lobby] bob: hi")).isTrue();
        assertThat(seen.lastIds()).isEmpty();
    }

    @Test
    void linesForOperatorsAreNotResumedFrom() {
        show("@c1 [#dev] bob: everyone");
        show("@c2 [@#dev] bob: operators only");
        assertThat(seen.lastIds()).containsExactly(Map.entry("#dev", "c1"));
        assertThat(show("@c2 [@#dev] bob: operators only")).isFalse();
    }

    @Test
    void aForgottenRoomIsNotResumed() {
        show("@d1 [#dev] bob: hi");
        show("@d2 [#lobby] bob: hi");
        seen.forget("#DEV");
        assertThat(seen.lastIds()).containsExactly(Map.entry("#lobby", "d2"));
        assertThat(show("@d1 [#dev] 2026-12-01T09:14:03Z bob: hi")).as("still shown before").isFalse();
    }

    @Test
    void knowsWhichLastIdsWereSetOnThisConnection() {
        show("@e1 [#dev] bob: before the reconnect");
        seen.newConnection();
        assertThat(seen.setOnThisConnection("#dev")).isFalse();
        seen.firstShowing(line("@e2 [#dev] 2026-12-01T09:14:03Z bob: asked for"), true);
        assertThat(seen.setOnThisConnection("#dev")).as("/history sets no last id").isFalse();
        show("@e3 [#Dev] 2026-12-01T09:14:03Z bob: replayed");
        assertThat(seen.setOnThisConnection("#dev")).isTrue();
    }

    @Test
    void onlyTheRecentIdsAreKept() {
        for (int i = 0; i <= SeenMessages.RECENT_IDS; i++) {
            show("@m" + i + " [#lobby] bob: " + i);
        }
        assertThat(show("@m" + SeenMessages.RECENT_IDS + " [#lobby] bob: again")).isFalse();
        assertThat(show("@m0 [#lobby] bob: the oldest, forgotten")).isTrue();
    }
}
