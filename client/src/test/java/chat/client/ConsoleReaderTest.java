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

    /** The line the editor returns after these keys (ending with Enter); a key the editor does not take fails the test rather than hanging it. */
    private String typed(String keys) throws IOException {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Keyboard keyboard = new Keyboard(); // waits for keys rather than ending, as a terminal does
        keyboard.type(keys);
        try (Terminal terminal = TerminalBuilder.builder().system(false).streams(keyboard, screen)
                .type("xterm-256color").encoding(StandardCharsets.UTF_8).size(new Size(80, 24)).build()) {
            LineReader reader = ConsoleReader.create(terminal, state, null);
            java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> reader.readLine("> "));
            try {
                return line.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                keyboard.close();
                throw new AssertionError("the editor still waits after " + keys.replace("\033", "ESC") + "; screen: "
                        + screen.toString(StandardCharsets.UTF_8).replace("\033", "ESC"));
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new AssertionError(e);
            }
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

    private static final String LEFT = "\033OD"; // xterm keypad mode, as JLine sets it (terminfo kcub1)
    private static final String RIGHT = "\033OC";
    private static final String BACKSPACE = "\b"; // terminfo kbs of xterm
    private static final String DELETE = "\033[3~";
    private static final String PASTE_START = "\033[200~";
    private static final String PASTE_END = "\033[201~";

    /** The case: typed 👍🏽ab, Left three times and X sent 👍X🏽ab; the cursor now steps over 👍🏽 whole. */
    @Test
    void leftStepsOverAnEmojiWithItsModifierWhole() throws IOException {
        assertThat(typed("👍🏽ab" + LEFT + LEFT + LEFT + "X\r")).isEqualTo("X👍🏽ab");
        assertThat(typed("👍🏽ab" + LEFT + LEFT + "X\r")).isEqualTo("👍🏽Xab");
    }

    @Test
    void rightStepsOverAZwjFamilyWhole() throws IOException {
        String family = "👨\u200d👩\u200d👧";
        assertThat(typed("a" + family + "b" + LEFT + LEFT + LEFT + RIGHT + RIGHT + "X\r"))
                .isEqualTo("a" + family + "Xb");
    }

    @Test
    void backspaceAndDeleteRemoveAWholeCluster() throws IOException {
        String accented = "e\u0301"; // e and a combining acute: one character on screen
        assertThat(typed("a👍🏽b" + LEFT + BACKSPACE + "\r")).isEqualTo("ab");
        assertThat(typed("x" + accented + "y" + LEFT + LEFT + DELETE + "\r")).isEqualTo("xy");
        assertThat(typed("ab" + BACKSPACE + "\r")).isEqualTo("a");
    }

    /** A paste of a few lines is accepted without Enter: the session sends its lines in order. */
    @Test
    void aShortMultiLinePasteIsAcceptedAtOnce() throws IOException {
        assertThat(typed(PASTE_START + "one\ntwo\nthree" + PASTE_END)).isEqualTo("one\ntwo\nthree");
    }

    @Test
    void aOneLinePasteWaitsForEnterLikeTyping() throws IOException {
        assertThat(typed(PASTE_START + "just one" + PASTE_END + " more\r")).isEqualTo("just one more");
    }

    @Test
    void aLongPasteWaitsForEnterAndSaysSo() throws IOException {
        java.util.List<String> notes = new java.util.ArrayList<>();
        String lines = String.join("\n", java.util.Collections.nCopies(EditorWidgets.PASTE_LINES_SENT_AT_ONCE + 1, "line"));
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Keyboard keyboard = new Keyboard();
        keyboard.type(PASTE_START + lines + PASTE_END + "\r");
        try (Terminal terminal = TerminalBuilder.builder().system(false).streams(keyboard, screen)
                .type("xterm-256color").encoding(StandardCharsets.UTF_8).size(new Size(80, 24)).build()) {
            LineReader reader = ConsoleReader.create(terminal, state, null, notes::add);
            assertThat(reader.readLine("> ")).isEqualTo(lines);
        }
        assertThat(notes).containsExactly((EditorWidgets.PASTE_LINES_SENT_AT_ONCE + 1)
                + " lines pasted: Enter sends them, one message each; Ctrl-C drops them");
    }

    @Test
    void clusterBoundariesCountCodePoints() {
        String line = "a👍🏽b"; // code points: a, 👍, 🏽, b
        assertThat(Graphemes.previous(line, 3)).isEqualTo(1);
        assertThat(Graphemes.previous(line, 2)).as("from inside a cluster, to its start").isEqualTo(1);
        assertThat(Graphemes.previous(line, 1)).isZero();
        assertThat(Graphemes.previous(line, 0)).isZero();
        assertThat(Graphemes.next(line, 1)).isEqualTo(3);
        assertThat(Graphemes.next(line, 3)).isEqualTo(4);
        assertThat(Graphemes.next(line, 4)).isEqualTo(4);
    }

    /** A paste the terminal did not bracket: taken in as it waits, and still exactly what was pasted. */
    @Test
    void aLongUnbracketedPasteArrivesWholeAndInOrder() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append((char) ('a' + i % 26));
        }
        text.append(" 你好 👍🏽");
        assertThat(typed(text + "\r")).isEqualTo(text.toString());
        assertThat(typed("abc" + LEFT + "X" + LEFT + LEFT + BACKSPACE + "\r"))
                .as("an escape sequence and a control character in the stream are still keys of their own")
                .isEqualTo("bXc");
    }
}
