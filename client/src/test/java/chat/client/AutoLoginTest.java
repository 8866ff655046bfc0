package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the client logs in, and what it makes of the server's answers. */
class AutoLoginTest {

    private static ServerLine line(String text) {
        return ServerLineParser.parse(text);
    }

    private static AutoLogin withPassword(boolean reconnecting) {
        return new AutoLogin("alice", new Password("s3cret".toCharArray()), reconnecting);
    }

    @Test
    void logsInAfterEveryWelcomeWhileThePasswordIsRight() {
        AutoLogin login = withPassword(true);
        assertThat(login.active()).isTrue();
        assertThat(login.onWelcome()).isTrue();
        assertThat(new String(login.loginLine())).isEqualTo("/login alice s3cret");
        assertThat(login.onServerLine(line("-- logged in as Alice")))
                .isEqualTo(new AutoLogin.Outcome.LoggedIn("Alice"));
        assertThat(login.onServerLine(line("-- logged in as Alice")))
                .as("answered already").isEqualTo(new AutoLogin.Outcome.None());

        assertThat(login.onWelcome()).as("a reconnect").isTrue();
        assertThat(new String(login.loginLine())).isEqualTo("/login alice s3cret");
        assertThat(login.onServerLine(line("-- logged in as alice; 2 messages kept for you")))
                .isEqualTo(new AutoLogin.Outcome.LoggedIn("alice"));
    }

    @Test
    void aWrongPasswordStopsItForTheSessionAndWipesThePassword() {
        AutoLogin login = withPassword(true);
        login.onWelcome();
        assertThat(login.onServerLine(line("! wrong password for alice")))
                .isEqualTo(new AutoLogin.Outcome.WrongPassword("alice"));
        assertThat(login.active()).isFalse();
        assertThat(login.loginLine()).isNull();
        assertThat(login.onServerLine(line("! wrong password for alice"))).isEqualTo(new AutoLogin.Outcome.None());

        assertThat(login.onWelcome()).as("no retry after a reconnect either").isFalse();
        assertThat(login.beginLogIn("alice")).isFalse();
    }

    @Test
    void linesThatAnswerNoLoginOfOursAreNothingToIt() {
        AutoLogin login = withPassword(true);
        // Before the welcome, nothing of ours is waiting for an answer.
        assertThat(login.onServerLine(line("! wrong password for alice"))).isEqualTo(new AutoLogin.Outcome.None());
        assertThat(login.active()).isTrue();
        login.onWelcome();
        for (String other : new String[] {"! wrong password for bob", "-- logged in as bob", "! no account bob; x",
                "[#lobby] bob: ! wrong password for alice", "-- charset is now UTF-8", "! nickname \"x\" is taken"}) {
            assertThat(login.onServerLine(line(other))).as(other).isEqualTo(new AutoLogin.Outcome.None());
        }
        assertThat(login.onServerLine(line("-- logged in as alice"))).isInstanceOf(AutoLogin.Outcome.LoggedIn.class);
    }

    @Test
    void noAccountKeepsThePasswordForTheNextConnection() {
        AutoLogin login = withPassword(true);
        login.onWelcome();
        assertThat(login.onServerLine(line("! no account alice; /register PASSWORD registers your nick")))
                .isEqualTo(new AutoLogin.Outcome.NoAccount("alice"));
        assertThat(login.onWelcome()).isTrue();
    }

    @Test
    void aServerWithoutAccountsStopsIt() {
        AutoLogin login = withPassword(true);
        login.onWelcome();
        assertThat(login.onServerLine(line("! unknown command \"/login\"; /help lists the commands")))
                .isEqualTo(new AutoLogin.Outcome.Unsupported());
        assertThat(login.active()).isFalse();
    }

    @Test
    void tooManyFailedLoginsIsAskedAgainAfterTheWaitABoundedNumberOfTimes() {
        AutoLogin login = withPassword(true);
        login.onWelcome();
        for (int attempt = 1; attempt <= AutoLogin.MAX_RATE_LIMITED_RETRIES; attempt++) {
            AutoLogin.Outcome outcome = login.onServerLine(line("! too many failed logins: try again in 30 s"));
            assertThat(outcome).isInstanceOf(AutoLogin.Outcome.RetryAfter.class);
            AutoLogin.Outcome.RetryAfter retry = (AutoLogin.Outcome.RetryAfter) outcome;
            assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(30));
            assertThat(retry.attempt()).isEqualTo(attempt);
            assertThat(login.retry(retry.generation())).isTrue();
        }
        assertThat(login.onServerLine(line("! too many failed logins: try again in 30 s")))
                .isEqualTo(new AutoLogin.Outcome.GaveUp());
        assertThat(login.active()).as("the next connection tries again").isTrue();
    }

    @Test
    void aRetryScheduledOnAnEarlierConnectionOrAfterTheAnswerIsVoid() {
        AutoLogin login = withPassword(true);
        login.onWelcome();
        int generation = ((AutoLogin.Outcome.RetryAfter) login.onServerLine(
                line("! too many failed logins: try again in 5 s"))).generation();
        login.onWelcome(); // reconnected meanwhile: that connection logs in on its own
        assertThat(login.retry(generation)).isFalse();

        int next = ((AutoLogin.Outcome.RetryAfter) login.onServerLine(
                line("! too many failed logins: try again in 5 s"))).generation();
        login.stop(); // /logout, or the session ended
        assertThat(login.retry(next)).isFalse();
    }

    @Test
    void aRegisteredNickIsTakenByLoggingInOnlyWhenItIsOurAccountAndNothingIsUnderWay() {
        AutoLogin login = withPassword(true);
        login.onWelcome();
        assertThat(login.beginLogIn("alice")).as("our login is under way").isFalse();
        login.onServerLine(line("! no account alice; /register PASSWORD registers your nick"));
        assertThat(login.beginLogIn("bob")).as("not our account").isFalse();
        assertThat(login.beginLogIn("ALICE")).isTrue();
        assertThat(login.onServerLine(line("-- logged in as alice"))).isInstanceOf(AutoLogin.Outcome.LoggedIn.class);
    }

    @Test
    void withoutReconnectsThePasswordIsWipedOnceAnswered() {
        AutoLogin login = withPassword(false);
        login.onWelcome();
        login.onServerLine(line("-- logged in as alice"));
        assertThat(login.active()).isFalse();
        assertThat(login.loginLine()).isNull();
    }

    @Test
    void withoutPasswordOrNickItNeverLogsIn() {
        assertThat(new AutoLogin("alice", null, true).onWelcome()).isFalse();
        assertThat(new AutoLogin(null, new Password("x".toCharArray()), true).active()).isFalse();
    }

    @Test
    void stopSaysWhetherItWasOn() {
        AutoLogin login = withPassword(true);
        assertThat(login.stop()).isTrue();
        assertThat(login.stop()).isFalse();
    }
}
