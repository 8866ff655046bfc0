package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.history.HistoryOptions;
import chat.server.irc.IrcHarness.Client;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** draft/multiline: a batch in, one message out, as a batch to those with the capability and line by line to the rest. */
class IrcMultilineTest {

    private static final String[] BASE = {"message-tags", "batch", "echo-message", "server-time", "labeled-response"};

    private final IrcHarness server = IrcHarness.withHistory(HistoryOptions.inMemory());
    private Client alice;
    private Client bob;
    private Client charlie;
    private Client dave;

    @BeforeEach
    void threeIrcUsersAndANativeOne() {
        alice = server.irc("alice", with("draft/multiline"));
        bob = server.irc("bob", with("draft/multiline"));
        charlie = server.irc("charlie", BASE);
        for (Client c : List.of(alice, bob, charlie)) {
            c.send("JOIN #test");
        }
        dave = server.nativeUser("dave");
        dave.send("/join #test");
        server.settle();
    }

    @Test
    void aBatchIsSaidOnceAsABatchToThoseWithTheCapabilityAndLineByLineToOthers() {
        alice.send("@label=xyz BATCH +123 draft/multiline #test", "@batch=123 PRIVMSG #test hello",
                "@batch=123 PRIVMSG #test :#how is ", "@batch=123;draft/multiline-concat PRIVMSG #test :everyone?",
                "BATCH -123");

        List<String> echo = alice.take();
        assertThat(echo).hasSize(5);
        assertThat(echo.get(0)).startsWith("@label=xyz;time=").contains(";msgid=").contains(" BATCH +")
                .endsWith(" draft/multiline #test");
        String msgid = tag(echo.get(0), "msgid");
        String ref = echo.get(0).split(" ")[3].substring(1);
        assertThat(echo.get(1)).isEqualTo("@batch=" + ref + " :alice!~alice@127.0.0.1 PRIVMSG #test :hello");
        assertThat(echo.get(3)).isEqualTo("@batch=" + ref + ";draft/multiline-concat :alice!~alice@127.0.0.1 PRIVMSG #test :everyone?");
        assertThat(echo.get(4)).isEqualTo(":alice!~alice@127.0.0.1 BATCH -" + ref);

        List<String> relay = bob.take();
        assertThat(relay.get(0)).doesNotContain("label").contains("msgid=" + msgid);
        assertThat(relay.subList(1, 4)).allMatch(l -> l.startsWith("@batch=" + ref) && !l.contains("msgid"));

        List<String> fallback = charlie.take();
        assertThat(fallback).hasSize(3);
        assertThat(tag(fallback.get(0), "msgid")).isEqualTo(msgid);
        assertThat(fallback.subList(1, 3)).noneMatch(l -> l.contains("msgid") || l.contains("concat"));
        assertThat(fallback.get(2)).endsWith("PRIVMSG #test :everyone?");
        assertThat(fallback).allMatch(l -> tag(l, "time").equals(tag(echo.get(0), "time")));

        assertThat(dave.take()).containsExactly("[#test] alice: hello", "[#test] alice: #how is everyone?");
    }

    @Test
    void blankLinesReachTheBatchButNotTheFallback() {
        alice.send("@label=xyz BATCH +1 draft/multiline #test", "@batch=1 PRIVMSG #test :",
                "@batch=1 PRIVMSG #test :#how is ", "@batch=1;draft/multiline-concat PRIVMSG #test :everyone?", "BATCH -1");
        assertThat(bob.take()).hasSize(5).element(1).asString().endsWith("PRIVMSG #test :");
        assertThat(charlie.take()).hasSize(2);
    }

    @Test
    void aPartTooLongToRelayWithItsPrefixGoesOutAsLinesThatContinueIt() {
        String wide = "é".repeat(240); // 480 bytes: fits as the client sent it, not with alice's prefix
        String narrow = "n".repeat(490);
        alice.send("BATCH +w draft/multiline #test", "@batch=w PRIVMSG #test :" + wide,
                "@batch=w;draft/multiline-concat PRIVMSG #test :" + narrow, "@batch=w PRIVMSG #test :end", "BATCH -w");

        List<String> relay = bob.take();
        List<String> parts = relay.subList(1, relay.size() - 1);
        assertThat(parts).hasSize(5);
        assertThat(parts).allSatisfy(l -> assertThat(
                l.substring(l.indexOf(' ') + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2)
                .isLessThanOrEqualTo(512));
        assertThat(parts).extracting(l -> l.contains(MultilineCommands.CONCAT))
                .containsExactly(false, true, true, true, false);
        StringBuilder joined = new StringBuilder();
        for (String l : parts) {
            joined.append(l.contains(MultilineCommands.CONCAT) ? "" : "|").append(l.substring(l.indexOf(" :", l.indexOf(" PRIVMSG ")) + 2));
        }
        assertThat(joined.toString()).isEqualTo("|" + wide + narrow + "|end");
    }

    @Test
    void aWrongBatchLimitsAndBlankContinuationsAreRefusedAndNothingIsSaid() {
        alice.send("BATCH +a draft/multiline #test", "@batch=b PRIVMSG #test :hi");
        assertThat(alice.take()).singleElement().asString().contains(" FAIL BATCH MULTILINE_INVALID ");
        alice.send("BATCH +c draft/multiline #test", "@batch=c PRIVMSG #test :hi",
                "@batch=c;draft/multiline-concat PRIVMSG #test :", "BATCH -c");
        assertThat(alice.take()).singleElement().asString().contains(" FAIL BATCH MULTILINE_INVALID ");
        String[] lines = new String[MultilineCommands.MAX_LINES + 2];
        lines[0] = "BATCH +d draft/multiline #test";
        for (int i = 1; i < lines.length; i++) {
            lines[i] = "@batch=d PRIVMSG #test :x";
        }
        alice.send(lines);
        assertThat(alice.take()).anyMatch(l -> l.contains(" FAIL BATCH MULTILINE_MAX_LINES " + MultilineCommands.MAX_LINES + " "));
        String big = "y".repeat(400);
        alice.send("BATCH +e draft/multiline #test");
        for (int i = 0; i < 11; i++) {
            alice.send("@batch=e PRIVMSG #test :" + big);
        }
        assertThat(alice.take()).anyMatch(l -> l.contains(" FAIL BATCH MULTILINE_MAX_BYTES " + MultilineCommands.MAX_BYTES + " "));
        assertThat(bob.take()).noneMatch(l -> l.contains("PRIVMSG"));
        assertThat(dave.take()).isEmpty();
    }

    @Test
    void historyKeepsTheMessageAsItsLines() {
        alice.send("BATCH +h draft/multiline #test", "@batch=h PRIVMSG #test :first", "@batch=h PRIVMSG #test :second", "BATCH -h");
        server.settle();
        dave.send("/history #test");
        List<String> lines = dave.take();
        assertThat(lines.get(0)).matches("\\[#test\\] \\S+Z alice: first");
        assertThat(lines.get(1)).matches("\\[#test\\] \\S+Z alice: second");
    }

    private static String[] with(String cap) {
        String[] caps = java.util.Arrays.copyOf(BASE, BASE.length + 1);
        caps[BASE.length] = cap;
        return caps;
    }

    private static String tag(String line, String name) {
        for (String tag : line.substring(1, line.indexOf(' ')).split(";")) {
            if (tag.startsWith(name + "=")) {
                return tag.substring(name.length() + 1);
            }
        }
        return null;
    }
}
