package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.Replays.Kind;
import org.junit.jupiter.api.Test;

/** Which history lines were missed, asked for or replayed on join, and where a run of them begins. */
class ReplaysTest {

    private final Replays replays = new Replays();

    private Kind kind(String text) {
        return replays.kindOf(ServerLineParser.parse(text));
    }

    private String heading(String text) {
        ServerLine line = ServerLineParser.parse(text);
        return replays.maybeHeading(line, replays.kindOf(line));
    }

    @Test
    void liveLinesAreLive() {
        assertThat(kind("@a1 [#lobby] bob: hi")).isEqualTo(Kind.LIVE);
        assertThat(kind("[#lobby] -- bob joined")).isEqualTo(Kind.LIVE);
        assertThat(heading("@a1 [#lobby] bob: hi")).isNull();
    }

    @Test
    void historyAfterAResumeIsMissedUntilItsEnd() {
        replays.resumeSent("#Lobby");
        assertThat(replays.resumedHere("#lobby")).isTrue();
        assertThat(kind("@a1 [#lobby] 2026-12-01T09:14:03Z bob: hi")).isEqualTo(Kind.MISSED);
        assertThat(kind("@a2 [#dev] 2026-12-01T09:14:03Z bob: hi")).as("another room").isEqualTo(Kind.EARLIER);
        assertThat(kind("-- resumed #lobby: 1 missed message")).isEqualTo(Kind.LIVE);
        assertThat(kind("@a3 [#lobby] 2026-12-01T09:14:03Z bob: hi")).isEqualTo(Kind.EARLIER);
        // Resumed all the same: its join line may come after the answer.
        assertThat(replays.resumedHere("#lobby")).isTrue();
    }

    @Test
    void aConversationIsResumedToo() {
        replays.resumeSent("bob");
        assertThat(kind("@a1 [pm] 2026-12-01T09:14:03Z bob: psst")).isEqualTo(Kind.MISSED);
        assertThat(kind("@a2 [pm -> Bob] 2026-12-01T09:14:04Z yes?")).isEqualTo(Kind.MISSED);
        assertThat(heading("@a3 [pm] 2026-12-01T09:14:05Z bob: psst"))
                .isEqualTo("missed in the conversation with bob while disconnected:");
    }

    @Test
    void historyWhileAHistoryCommandIsAnsweredWasAskedFor() {
        replays.historySent();
        assertThat(kind("@a1 [#lobby] 2026-12-01T09:14:03Z bob: hi")).isEqualTo(Kind.ASKED);
        assertThat(kind("-- history of #lobby: 1 messages, none earlier")).isEqualTo(Kind.LIVE);
        assertThat(kind("@a1 [#lobby] 2026-12-01T09:14:03Z bob: hi")).isEqualTo(Kind.EARLIER);

        replays.historySent();
        kind("! history is off on this server"); // a refusal ends the answer too
        assertThat(kind("@a1 [#lobby] 2026-12-01T09:14:03Z bob: hi")).isEqualTo(Kind.EARLIER);
    }

    @Test
    void aLostConnectionEndsEveryAnswer() {
        replays.resumeSent("#lobby");
        replays.historySent();
        replays.connectionLost();
        assertThat(replays.resumedHere("#lobby")).isFalse();
        assertThat(kind("@a1 [#lobby] 2026-12-01T09:14:03Z bob: hi")).isEqualTo(Kind.EARLIER);
    }

    @Test
    void eachRunOfHistoryLinesIsHeadedOnce() {
        replays.resumeSent("#lobby");
        assertThat(heading("@a1 [#lobby] 2026-12-01T09:14:03Z bob: one"))
                .isEqualTo("missed in #lobby while disconnected:");
        assertThat(heading("@a2 [#lobby] 2026-12-01T09:14:04Z bob: two")).isNull();
        assertThat(heading("-- resumed #lobby: 2 missed messages")).isNull();
        assertThat(heading("[#dev] -- alice joined")).isNull();
        assertThat(heading("@a3 [#dev] 2026-12-01T09:14:04Z bob: before we came")).isEqualTo("earlier in #dev:");
        assertThat(heading("@a4 [#dev] bob: live")).isNull();
        assertThat(heading("@a5 [#dev] 2026-12-01T09:14:04Z bob: a new run")).isEqualTo("earlier in #dev:");
        replays.historySent();
        assertThat(heading("@a5 [#dev] 2026-12-01T09:14:04Z bob: asked for")).as("the user just asked").isNull();
    }
}
