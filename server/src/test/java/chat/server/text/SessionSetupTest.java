package chat.server.text;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.text.SessionSetup.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which lines are setup, and what a setup keeps: the rules alone, with no session around them. */
class SessionSetupTest {

    private final SessionSetup setup = new SessionSetup();

    @Test
    void eachKindIsRecognizedWhateverTheCaseOfItsName() {
        assertThat(SessionSetup.kindOf("/nick carol")).isEqualTo(Kind.NICK);
        assertThat(SessionSetup.kindOf("/NICK carol")).isEqualTo(Kind.NICK);
        assertThat(SessionSetup.kindOf("/charset GBK")).isEqualTo(Kind.CHARSET);
        assertThat(SessionSetup.kindOf("/ChArSeT utf-8")).isEqualTo(Kind.CHARSET);
        assertThat(SessionSetup.kindOf("/join dev")).isEqualTo(Kind.JOIN);
        assertThat(SessionSetup.kindOf("/Join #dev")).isEqualTo(Kind.JOIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/charset", "/charset   ", "/nick", "/join", "//nick x", "//join dev", "hello", "nick carol",
        "/msg bob hi", "/who", "/nickname carol", "/quit now", " /nick carol",
    })
    void otherLinesAreNotSetup(String line) {
        assertThat(SessionSetup.kindOf(line)).isNull();
    }

    @Test
    void readyEndsTheSetupWhateverItsCaseAndIsNoSetupLineItself() {
        assertThat(SessionSetup.isEnd("/ready")).isTrue();
        assertThat(SessionSetup.isEnd("/Ready ")).isTrue();
        assertThat(SessionSetup.isEnd("/ready now")).isFalse();
        assertThat(SessionSetup.isEnd("ready")).isFalse();
        assertThat(SessionSetup.kindOf("/ready")).isNull();
    }

    @Test
    void takeStopsAfterMaxLinesAndKeepsNothingMore() {
        for (int i = 1; i <= SessionSetup.MAX_LINES; i++) {
            assertThat(setup.take(Kind.JOIN, "/join r" + i)).as("line %d", i).isTrue();
        }

        assertThat(setup.take(Kind.JOIN, "/join over")).isFalse();
        assertThat(setup.take(Kind.NICK, "/nick late")).isFalse();
        assertThat(setup.commands()).hasSize(SessionSetup.MAX_LINES).doesNotContain("/join over");
        assertThat(setup.nick()).isNull();
    }

    @Test
    void theLastNickWinsAndOtherLinesKeepTheirOrder() {
        setup.take(Kind.NICK, "/nick first");
        setup.take(Kind.CHARSET, "/charset GBK");
        setup.take(Kind.JOIN, "/join dev");
        setup.take(Kind.NICK, "/nick  second ");
        setup.take(Kind.JOIN, "/join ops");

        assertThat(setup.nick()).isEqualTo("second");
        assertThat(setup.commands()).containsExactly("/charset GBK", "/join dev", "/join ops");
    }

    @Test
    void nicksCountTowardsTheLimitToo() {
        for (int i = 1; i <= SessionSetup.MAX_LINES; i++) {
            setup.take(Kind.NICK, "/nick n" + i);
        }

        assertThat(setup.take(Kind.CHARSET, "/charset GBK")).isFalse();
        assertThat(setup.nick()).isEqualTo("n" + SessionSetup.MAX_LINES);
        assertThat(setup.commands()).isEmpty();
    }
}
