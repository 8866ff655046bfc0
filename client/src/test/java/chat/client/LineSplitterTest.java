package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private static final Charset UTF8 = StandardCharsets.UTF_8;

    @Test
    void aLineThatFitsIsSentAsItIs() {
        assertThat(LineSplitter.split("hello", UTF8, 10)).containsExactly("hello");
        assertThat(LineSplitter.split("/join dev", UTF8, 4)).as("other commands are the server's to judge")
                .containsExactly("/join dev");
    }

    @Test
    void chineseIsCutByBytesAtCharacterBoundariesAndNothingIsLost() {
        String line = "你好".repeat(700); // 1,400 characters, 4,200 bytes in UTF-8
        List<String> pieces = LineSplitter.split(line, UTF8, LineSplitter.SERVER_LINE_BYTES);
        assertThat(pieces).hasSize(2);
        assertThat(pieces).allSatisfy(p -> assertThat(p.getBytes(UTF8).length).isLessThanOrEqualTo(4096));
        assertThat(String.join("", pieces)).isEqualTo(line);
        assertThat(LineSplitter.split(line, Charset.forName("GBK"), 4096)).as("2,800 bytes in GBK").hasSize(1);
    }

    @Test
    void anEmojiWithItsModifierIsNeverTorn() {
        String thumb = "\uD83D\uDC4D\uD83C\uDFFD"; // 👍🏽: two code points, 8 bytes
        List<String> pieces = LineSplitter.split("ab" + thumb + "cd", UTF8, 6);
        assertThat(pieces).containsExactly("ab", thumb, "cd");
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // 👨‍👩‍👧, 18 bytes
        assertThat(LineSplitter.split("x" + family + "y", UTF8, 10)).as("longer than the room: alone, whole")
                .containsExactly("x", family, "y");
    }

    @Test
    void aSpaceInTheSecondHalfIsWhereItBreaks() {
        assertThat(LineSplitter.split("one two three four", UTF8, 10)).containsExactly("one two ", "three four");
        assertThat(LineSplitter.split("abcdefghij klm", UTF8, 10)).as("no space in the second half: cut at the limit")
                .containsExactly("abcdefghij", " klm");
    }

    @Test
    void msgAndMeKeepTheirHeadOnEveryPiece() {
        assertThat(LineSplitter.split("/msg bob 0123456789", UTF8, 14))
                .containsExactly("/msg bob 01234", "/msg bob 56789");
        assertThat(LineSplitter.split("/me abcdefgh", UTF8, 8)).containsExactly("/me abcd", "/me efgh");
    }
}
