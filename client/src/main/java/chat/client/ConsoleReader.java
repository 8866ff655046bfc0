package chat.client;

import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the JLine line reader for chat: history kept in a file ({@link ChatHistory}, which never
 * keeps a line that may carry a password), Tab completion from
 * {@link ChatCompleter}, and none of a shell's habits. Chat text is not a command line, so quotes
 * and backslashes are ordinary characters (an unclosed quote in "don't" must not make JLine wait
 * for more input) and {@code !} does not expand history ("hi!!" is sent as typed).
 *
 * <p>Stateless; the reader it builds is JLine's, whose {@code printAbove} may be called from any
 * thread while another reads.
 */
final class ConsoleReader {

    private static final Logger log = LoggerFactory.getLogger(ConsoleReader.class);

    /** Lines kept in memory for Up/Down. */
    static final int HISTORY_LINES = 1000;
    /** Lines kept in the history file. */
    static final int HISTORY_FILE_LINES = 5000;

    private ConsoleReader() {
    }

    static LineReader create(Terminal terminal, ChatState state, Path historyFile) {
        return create(terminal, state, historyFile, text -> { });
    }

    /** As above; {@code note} prints a line of the client's own above the prompt (the editor's notices). */
    static LineReader create(Terminal terminal, ChatState state, Path historyFile,
            java.util.function.Consumer<String> note) {
        DefaultParser parser = new DefaultParser();
        parser.setQuoteChars(new char[0]);
        parser.setEscapeChars(new char[0]);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("chat-client")
                .parser(parser)
                .completer(new ChatCompleter(state))
                .history(new ChatHistory(historyFile))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.INSERT_TAB, false)
                // The typed line goes once it is accepted: the session shows it again as everyone
                // sees it (time, room, nick), not as "#lobby> hi".
                .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
                // Complete real prefixes only: JLine's typo and camel-case matching turned
                // "thanks cx" into "thanks carol" and "/join #d" into "/join #lobby".
                .option(LineReader.Option.COMPLETE_MATCHER_TYPO, false)
                .option(LineReader.Option.COMPLETE_MATCHER_CAMELCASE, false)
                // A pasted line after the first is marked as a continuation, not with "> ", the
                // prompt of a session in no room.
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "  | ")
                .variable(LineReader.HISTORY_SIZE, HISTORY_LINES)
                .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_FILE_LINES);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        EditorWidgets.install(reader, note);
        return reader;
    }

    /** Writes the history file; a failure costs the history only, so it is logged, not thrown. */
    static void saveHistory(LineReader reader) {
        try {
            reader.getHistory().save();
        } catch (IOException | RuntimeException e) {
            log.warn("could not save the history file: {}", e.toString());
        }
    }
}
