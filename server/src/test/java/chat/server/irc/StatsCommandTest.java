package chat.server.irc;

import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.auth.QuickHashes;
import chat.server.irc.IrcHarness.Client;
import chat.server.metrics.StatsRecorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operators' figures in both dialects: IRC's {@code STATS z} and the native {@code /stats}
 * print the same lines, only to server operators; {@code STATS u} is the uptime for anyone, and
 * an unknown letter gets only the end of the report. Operator {@code op} has password
 * {@code secret}, for IRC's OPER and the native /oper alike.
 */
class StatsCommandTest {

    private final IrcHarness server = new IrcHarness(Map.of("op", QuickHashes.hash("secret")));
    private StatsRecorder recorder;

    @BeforeEach
    void giveTheDialectsTheirFigures() {
        recorder = new StatsRecorder(server.loop.loop, List.of(server.loop.server), server.core, null, () -> 0L);
        server.irc.stats(recorder::sampleNow);
        server.lineDialect.stats(recorder::sampleNow);
        server.lineDialect.operators(server.operators);
    }

    @AfterEach
    void stopChecker() {
        server.operators.close();
    }

    @Test
    void ircStatsZIsRefusedToWhoIsNoOperator() {
        Client alice = server.irc("alice");

        alice.send("STATS z");

        assertThat(alice.take()).containsExactly(server("481 alice :Permission Denied- You're not an IRC operator"));
    }

    @Test
    void ircStatsZGivesAnOperatorTheFiguresThenTheEnd() {
        Client alice = server.irc("alice");
        server.nativeUser("bob");
        alice.send("OPER op secret");
        server.awaitAnswer(alice);
        alice.take();

        alice.send("STATS z");

        List<String> lines = alice.take();
        assertThat(lines).last().isEqualTo(server("219 alice z :End of /STATS report"));
        assertThat(lines.subList(0, lines.size() - 1)).isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith(server("249 alice z :")));
        assertThat(String.join("\n", lines))
                .contains("connections 2 (native 1, native TLS 0, irc 1, irc TLS 0, http 0, http TLS 0, websocket 0, websocket TLS 0, other 0, other TLS 0); users 2 (native 1, irc 1, websocket 0)")
                .contains("task queue lag not measured (metrics off)")
                .contains("history: not written to disk");
    }

    @Test
    void ircStatsUIsTheUptimeForAnyone() {
        Client alice = server.irc("alice");
        server.loop.advanceMillis(61_000);

        alice.send("STATS u");

        assertThat(alice.take()).containsExactly(server("242 alice :Server Up 0 days 0:01:01"),
                server("219 alice u :End of /STATS report"));
    }

    @Test
    void ircStatsWithALetterWithNothingToReportIsOnlyTheEnd() {
        Client alice = server.irc("alice");

        alice.send("STATS k");

        assertThat(alice.take()).containsExactly(server("219 alice k :End of /STATS report"));
    }

    @Test
    void nativeStatsIsRefusedToWhoIsNoOperator() {
        Client bob = server.nativeUser("bob");

        bob.send("/stats");

        assertThat(bob.take()).containsExactly("! /stats is for server operators (/oper NAME PASSWORD)");
    }

    @Test
    void nativeOperThenStatsPrintsTheSameLinesAsIrc() {
        Client bob = server.nativeUser("bob");
        Client alice = server.irc("alice");
        alice.send("OPER op secret");
        server.awaitAnswer(alice);
        alice.take();

        bob.arrive("/oper op secret", "/stats"); // /stats waits for the check, so it is answered as an operator
        server.awaitAnswer(bob);

        List<String> lines = bob.take();
        assertThat(lines.get(0)).isEqualTo("-- you are now a server operator");
        List<String> nativeFigures = lines.subList(1, lines.size()).stream().map(l -> l.substring(3)).toList();
        alice.send("STATS z");
        List<String> ircFigures = alice.take().stream().filter(l -> l.startsWith(server("249 ")))
                .map(l -> l.substring(server("249 alice z :").length())).toList();
        assertThat(nativeFigures).hasSize(ircFigures.size());
        assertThat(nativeFigures.get(1)).isEqualTo(ircFigures.get(1)); // the census: nothing moved between the two
        assertThat(nativeFigures.get(1)).startsWith("connections 2 ");
    }

    @Test
    void nativeOperWithAWrongPasswordMakesNoOperator() {
        Client bob = server.nativeUser("bob");

        bob.arrive("/oper op wrong", "/stats");
        server.awaitAnswer(bob);

        assertThat(bob.take()).containsExactly("! operator name or password incorrect",
                "! /stats is for server operators (/oper NAME PASSWORD)");
        assertThat(server.core.user("bob").isServerOperator()).isFalse();
    }
}
