package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IrcLinesTest {

    private static int bytesWithCrLf(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aLineThatFitsIsTheSameInstance() {
        String line = ":alice!a@host TOPIC #room :" + "t".repeat(400);
        assertThat(IrcLines.fit(line)).isSameAs(line);
        String exactly = ":alice!a@host TOPIC #room :" + "t".repeat(510 - ":alice!a@host TOPIC #room :".length());
        assertThat(bytesWithCrLf(exactly)).isEqualTo(512);
        assertThat(IrcLines.fit(exactly)).isSameAs(exactly);
    }

    @Test
    void aLongLastParameterIsCutToFit512WithItsCrLf() {
        String head = ":alice!a@host QUIT :";
        String fitted = IrcLines.fit(head + "q".repeat(3000));
        assertThat(bytesWithCrLf(fitted)).isEqualTo(512);
        assertThat(fitted).startsWith(head).isEqualTo(head + "q".repeat(510 - head.length()));
    }

    @Test
    void theCutFallsBetweenCharactersNeverInsideOne() {
        String head = ":alice!a@host TOPIC #room :";
        String fitted = IrcLines.fit(head + "话".repeat(400)); // 3 bytes each
        int room = 510 - head.length();
        assertThat(fitted).isEqualTo(head + "话".repeat(room / 3));
        String emoji = IrcLines.fit(head + "x" + "😃".repeat(200)); // 4 bytes each, two chars
        assertThat(bytesWithCrLf(emoji)).isLessThanOrEqualTo(512).isGreaterThan(508);
        assertThat(emoji.substring(head.length() + 1)).matches("(😃)+");
    }

    @Test
    void tagsDoNotCountAndStayWhole() {
        String tags = "@time=2026-12-03T17:00:00.000Z;msgid=" + "m".repeat(300);
        String head = ":alice!a@host PART #room :";
        String fitted = IrcLines.fit(tags + " " + head + "p".repeat(1000));
        assertThat(fitted).startsWith(tags + " " + head);
        assertThat(bytesWithCrLf(fitted.substring(tags.length() + 1))).isEqualTo(512);
    }

    @Test
    void aLineWhoseLongPartIsNotTheLastParameterIsLeftAlone() {
        String line = ":server 353 alice = #room " + "n".repeat(600); // no trailing parameter to cut
        assertThat(IrcLines.fit(line)).isSameAs(line);
        String longMiddle = ":server 301 " + "x".repeat(600) + " :away";
        assertThat(IrcLines.fit(longMiddle)).isSameAs(longMiddle);
    }

    @Test
    void eachOfSeveralLinesIsFittedOnItsOwn() {
        String shortLine = ":bob!b@host PRIVMSG #room :hi";
        String longLine = ":alice!a@host KICK #room bob :" + "k".repeat(700);
        String fitted = IrcLines.fit(shortLine + "\r\n" + longLine);
        String[] parts = fitted.split("\r\n");
        assertThat(parts).hasSize(2);
        assertThat(parts[0]).isEqualTo(shortLine);
        assertThat(bytesWithCrLf(parts[1])).isEqualTo(512);
        assertThat(parts[1]).startsWith(":alice!a@host KICK #room bob :k");
    }
}
