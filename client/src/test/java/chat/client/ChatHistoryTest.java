package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editor's history as the session builds it: lines that may carry a password never kept. */
class ChatHistoryTest {

    private static final List<String> SECRET = List.of(
            "/login alice s3cret", "/IDENTIFY alice s3cret", "/register s3cret", "/password s3cret n3w",
            "/unregister n3w", "/msg NickServ identify s3cret", "/login");

    @TempDir
    Path home;

    /** Types each line into the editor, as a user would, then saves the history as the session does. */
    private List<String> typeAndSave(Path file, List<String> lines) throws IOException {
        Keyboard keyboard = new Keyboard();
        lines.forEach(l -> keyboard.type(l + "\r"));
        List<String> inMemory = new ArrayList<>();
        try (Terminal terminal = TerminalBuilder.builder().system(false).streams(keyboard, new ByteArrayOutputStream())
                .type("xterm-256color").encoding(StandardCharsets.UTF_8).size(new Size(80, 24)).build()) {
            LineReader reader = ConsoleReader.create(terminal, new ChatState(), file);
            for (String line : lines) {
                assertThat(reader.readLine("> ")).isEqualTo(line); // typed lines still go out as typed
            }
            reader.getHistory().add("/login alice s3cret"); // as a half-typed line kept at the end
            ConsoleReader.saveHistory(reader);
            for (History.Entry e : reader.getHistory()) {
                inMemory.add(e.line());
            }
        }
        return inMemory;
    }

    @Test
    void linesWithAPasswordAreNeitherRecalledNorWritten() throws IOException {
        Path file = home.resolve(".chat_history");
        List<String> typed = new ArrayList<>(List.of("hello", "/nick alice"));
        typed.addAll(SECRET);
        typed.add("bye");

        List<String> inMemory = typeAndSave(file, typed);

        assertThat(inMemory).containsExactly("hello", "/nick alice", "bye");
        String written = Files.readString(file);
        assertThat(written).contains("hello").contains("bye").doesNotContain("s3cret").doesNotContain("n3w")
                .doesNotContainIgnoringCase("/login").doesNotContainIgnoringCase("nickserv");
    }

    @Test
    void anOldFileIsCleanedOfThemWhenLoaded() throws IOException {
        Path file = home.resolve(".chat_history");
        Files.writeString(file, "1700000000000:before\n1700000000001:/login alice s3cret\n"
                + "1700000000002:/msg nickserv IDENTIFY s3cret\n1700000000003:after\n");

        List<String> inMemory = typeAndSave(file, List.of("now"));

        assertThat(inMemory).containsExactly("before", "after", "now");
        assertThat(Files.readString(file)).doesNotContain("s3cret")
                .contains("1700000000000:before\n1700000000003:after\n");
    }

    @Test
    void aFileWithoutThemIsLeftAsItWas() throws IOException {
        Path file = home.resolve(".chat_history");
        String before = "1700000000000:before\n1700000000003:after\n";
        Files.writeString(file, before);
        ChatHistory.scrub(file);
        assertThat(Files.readString(file)).isEqualTo(before);
        ChatHistory.scrub(home.resolve("none")); // no file: nothing to do
        assertThat(home.resolve("none")).doesNotExist();
    }
}
