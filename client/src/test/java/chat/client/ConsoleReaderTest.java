package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jline.reader.LineReader;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

/** The line editor as the session builds it, driven by keys on a virtual xterm. */
class ConsoleReaderTest {

    private final ChatState state = new ChatState();

    ConsoleReaderTest() {
        for (String line : List.of("-- welcome alice; /help lists the commands", "[#lobby] -- alice joined",
                "-- #lobby (4): alice bobby carol dave", "[#dev] -- alice joined", "-- now talking in #lobby")) {
            state.apply(ServerLineParser.parse(line));
        }
    }

    /** The line the editor returns after these keys (ending with Enter). */
    private String typed(String keys) throws IOException {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Keyboard keyboard = new Keyboard(); // waits for keys rather than ending, as a terminal does
        keyboard.type(keys);
        try (Terminal terminal = TerminalBuilder.builder().system(false).streams(keyboard, screen)
                .type("xterm-256color").encoding(StandardCharsets.UTF_8).size(new Size(80, 24)).build()) {
            LineReader reader = ConsoleReader.create(terminal, state, null);
            return reader.readLine("> ");
        }
    }

    @Test
    void tabCompletesRealPrefixes() throws IOException {
        assertThat(typed("/join #d\t\r")).isEqualTo("/join #dev ");
        assertThat(typed("thanks ca\t\r")).isEqualTo("thanks carol ");
    }

    @Test
    void tabLeavesAWordThatIsThePrefixOfNothingAsTyped() throws IOException {
        assertThat(typed("thanks cx\t\r")).isEqualTo("thanks cx");
        assertThat(typed("at bi\t\r")).isEqualTo("at bi");
        assertThat(typed("/join #x\t\r")).isEqualTo("/join #x");
    }
}
