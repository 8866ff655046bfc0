package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A native line longer than an IRC line can carry reaches IRC users whole, in several messages. */
class IrcLongLineTest {

    private final IrcHarness server = new IrcHarness();

    @Test
    void aLongNativeLineIsCutBetweenCharactersIntoWholePrivmsgs() {
        Client nora = server.nativeUser("nora");
        Client ian = server.irc("ian", "message-tags", "server-time");
        Client plain = server.irc("pat");
        ian.send("JOIN #lobby");
        plain.send("JOIN #lobby");
        server.settle();

        // 1,500 characters of 1 to 4 UTF-8 bytes each, with no place where a cut is harmless.
        StringBuilder text = new StringBuilder();
        String[] pieces = {"a", "é", "你", "\uD83D\uDE00"};
        for (int i = 0; i < 1500; i++) {
            text.append(pieces[i % pieces.length]);
        }
        nora.send(text.toString());

        for (Client client : List.of(ian, plain)) {
            List<String> lines = client.take();
            assertThat(lines).hasSizeGreaterThan(1);
            StringBuilder joined = new StringBuilder();
            String firstTime = null;
            for (String line : lines) {
                assertThat((line + "\r\n").getBytes(StandardCharsets.UTF_8).length - tagsLength(line))
                        .as("each message within 512 bytes, tags apart").isLessThanOrEqualTo(512);
                IrcMessage message = IrcMessage.parse(line);
                assertThat(message.command()).isEqualTo("PRIVMSG");
                assertThat(message.param(0)).isEqualTo("#lobby");
                joined.append(message.param(1));
                if (client == ian) {
                    assertThat(message.tags()).containsKeys("time", "msgid");
                    firstTime = firstTime == null ? message.tags().get("time") : firstTime;
                    assertThat(message.tags().get("time")).isEqualTo(firstTime);
                } else {
                    assertThat(message.tags()).isEmpty();
                }
            }
            assertThat(joined.toString()).as("nothing lost, nothing torn").isEqualTo(text.toString());
        }
    }

    @Test
    void aLineThatFitsStaysOneMessage() {
        Client nora = server.nativeUser("nora");
        Client ian = server.irc("ian");
        ian.send("JOIN #lobby");
        server.settle();
        nora.send("x".repeat(400));
        assertThat(ian.take()).hasSize(1);
    }

    private static int tagsLength(String line) {
        return line.startsWith("@") ? line.indexOf(' ') + 1 : 0;
    }
}
