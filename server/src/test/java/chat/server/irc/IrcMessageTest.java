package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message grammar both ways, with no socket. */
class IrcMessageTest {

    @Test
    void aPlainCommandWithMiddleAndTrailingParameters() {
        IrcMessage m = IrcMessage.parse("PRIVMSG #chan :hello there");
        assertThat(m.command()).isEqualTo("PRIVMSG");
        assertThat(m.params()).containsExactly("#chan", "hello there");
        assertThat(m.source()).isNull();
        assertThat(m.tags()).isEmpty();
    }

    @Test
    void theCommandIsUpperCasedAndExtraSpacesBetweenParametersDoNotCount() {
        IrcMessage m = IrcMessage.parse("nick   alice  ");
        assertThat(m.command()).isEqualTo("NICK");
        assertThat(m.params()).containsExactly("alice");
    }

    @Test
    void aTrailingParameterMayBeEmptyOrHoldColonsAndSpaces() {
        assertThat(IrcMessage.parse("TOPIC #c :").params()).containsExactly("#c", "");
        assertThat(IrcMessage.parse("PRIVMSG #c ::) ok: yes ").params()).containsExactly("#c", ":) ok: yes ");
        assertThat(IrcMessage.parse("USER u 0 * :Real Name").params()).containsExactly("u", "0", "*", "Real Name");
    }

    @Test
    void aSourceIsReadWithoutItsColon() {
        IrcMessage m = IrcMessage.parse(":alice!a@host JOIN #c");
        assertThat(m.source()).isEqualTo("alice!a@host");
        assertThat(m.command()).isEqualTo("JOIN");
    }

    @Test
    void tagsAreUnescaped() {
        IrcMessage m = IrcMessage.parse("@a=b\\:c;flag;e=x\\sy\\\\z\\r\\n;f=\\q;g=end\\ :src CMD p");
        assertThat(m.tags()).containsExactly(
                Map.entry("a", "b;c"), Map.entry("flag", ""), Map.entry("e", "x y\\z\r\n"),
                Map.entry("f", "q"), Map.entry("g", "end"));
        assertThat(m.source()).isEqualTo("src");
        assertThat(m.params()).containsExactly("p");
    }

    @Test
    void aLineWithoutACommandIsRefused() {
        assertThatThrownBy(() -> IrcMessage.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IrcMessage.parse(":source.only")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IrcMessage.parse("@tag=1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writingPutsAColonOnlyWhereItIsNeededOrAsked() {
        assertThat(IrcMessage.of("PRIVMSG", "#c", "hi").toLine()).isEqualTo("PRIVMSG #c hi");
        assertThat(IrcMessage.of("PRIVMSG", "#c", "hi there").toLine()).isEqualTo("PRIVMSG #c :hi there");
        assertThat(IrcMessage.of("PRIVMSG", "#c", ":)").toLine()).isEqualTo("PRIVMSG #c ::)");
        assertThat(IrcMessage.of("TOPIC", "#c", "").toLine()).isEqualTo("TOPIC #c :");
        assertThat(IrcMessage.of("001", "alice", "Welcome").toLine(true)).isEqualTo("001 alice :Welcome");
    }

    @Test
    void onlyTheLastParameterMayNeedTheTrailingForm() {
        assertThatThrownBy(() -> IrcMessage.of("CMD", "a b", "c").toLine()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IrcMessage.of("CMD", "", "c").toLine()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tagsAndSourceAreWrittenEscaped() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("time", "2026-12-01T00:00:00.000Z");
        tags.put("x", "a;b c\\d\r\n");
        tags.put("flag", "");
        IrcMessage m = new IrcMessage(tags, "alice!a@h", "PRIVMSG", List.of("#c", "hi"));
        assertThat(m.toLine()).isEqualTo("@time=2026-12-01T00:00:00.000Z;x=a\\:b\\sc\\\\d\\r\\n;flag :alice!a@h PRIVMSG #c hi");
    }

    @Test
    void whatIsWrittenParsesBackToTheSameMessage() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ab :;\\=@#!\r\n\u00e9\u4f60";
        for (int round = 0; round < 2000; round++) {
            Map<String, String> tags = new LinkedHashMap<>();
            for (int t = random.nextInt(3); t > 0; t--) {
                tags.put("k" + t, randomText(random, alphabet, 6));
            }
            String trailing = randomText(random, alphabet, 10).replace("\r", "").replace("\n", "");
            IrcMessage written = new IrcMessage(tags, random.nextBoolean() ? "n!u@h" : null, "PRIVMSG",
                    List.of("#c" + round, trailing));
            IrcMessage read = IrcMessage.parse(written.toLine());
            assertThat(read).as(written.toLine()).isEqualTo(written);
        }
    }

    private static String randomText(java.util.Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
