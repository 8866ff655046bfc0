package chat.client;

import java.util.Map;
import org.jline.reader.Buffer;
import org.jline.reader.LineReader;
import org.jline.reader.Widget;
import org.jline.reader.impl.LineReaderImpl;

/**
 * The line editor's keys that JLine does by code point or leaves waiting, done the way a chat
 * needs: Left, Right, Backspace and Delete step over a whole grapheme cluster ({@link
 * Graphemes}); typed text already waiting is inserted in one go; a bracketed paste of several lines is sent at once, as lines, when it is short,
 * and waits for Enter with a note when it is long (as irssi asks).
 */
final class EditorWidgets {

    /** Lines a paste may have and still go at once; a longer one waits for Enter. */
    static final int PASTE_LINES_SENT_AT_ONCE = 5;
    /** Most characters taken in by one keystroke's insert, so a runaway input still gets redrawn now and then. */
    static final int MAX_INSERTED_AT_ONCE = 64 * 1024;

    private EditorWidgets() {
    }

    /** Installs the widgets on {@code reader}; {@code note} prints a line above the prompt. */
    static void install(LineReader reader, java.util.function.Consumer<String> note) {
        Map<String, Widget> widgets = reader.getWidgets();
        widgets.put(LineReader.BACKWARD_CHAR, () -> move(reader.getBuffer(), false));
        widgets.put(LineReader.FORWARD_CHAR, () -> move(reader.getBuffer(), true));
        widgets.put(LineReader.BACKWARD_DELETE_CHAR, () -> delete(reader.getBuffer(), false));
        widgets.put(LineReader.DELETE_CHAR, () -> delete(reader.getBuffer(), true));
        Widget selfInsert = widgets.get(LineReader.SELF_INSERT);
        if (selfInsert != null && reader instanceof LineReaderImpl) {
            LineReaderImpl impl = (LineReaderImpl) reader;
            widgets.put(LineReader.SELF_INSERT, () -> {
                boolean done = selfInsert.apply();
                insertWaitingText(impl);
                return done;
            });
        }
        Widget paste = widgets.get(LineReader.BEGIN_PASTE);
        if (paste != null) {
            widgets.put(LineReader.BEGIN_PASTE, () -> {
                boolean done = paste.apply();
                String pasted = reader.getBuffer().toString();
                long lines = pasted.chars().filter(c -> c == '\n').count() + 1;
                if (lines > 1) {
                    if (lines <= PASTE_LINES_SENT_AT_ONCE) {
                        reader.callWidget(LineReader.ACCEPT_LINE);
                    } else {
                        note.accept(lines + " lines pasted: Enter sends them, one message each; Ctrl-C drops them");
                    }
                }
                return done;
            });
        }
    }

    /**
     * Takes in, with the key just typed, every printable character already waiting (a paste the
     * terminal did not bracket), so the line is redrawn once rather than once per character:
     * JLine redraws the whole line after each key, and a 3,000-character paste took 3.3 s to
     * show. Stops at the first control character (Enter, Tab, an escape sequence), which is
     * then read as a key of its own.
     */
    private static void insertWaitingText(LineReaderImpl reader) {
        StringBuilder waiting = new StringBuilder();
        while (waiting.length() < MAX_INSERTED_AT_ONCE) {
            int next = reader.peekCharacter(1);
            if (next < 0x20 || next == 0x7f) { // nothing waiting (negative), or a control character
                break;
            }
            waiting.appendCodePoint(reader.readCharacter());
        }
        if (waiting.length() > 0) {
            reader.getBuffer().write(waiting);
        }
    }

    private static boolean move(Buffer buffer, boolean forward) {
        String line = buffer.toString();
        int cursor = buffer.cursor();
        if (forward ? cursor >= buffer.length() : cursor == 0) {
            return false; // JLine beeps
        }
        buffer.cursor(forward ? Graphemes.next(line, cursor) : Graphemes.previous(line, cursor));
        return true;
    }

    private static boolean delete(Buffer buffer, boolean forward) {
        String line = buffer.toString();
        int cursor = buffer.cursor();
        if (forward ? cursor >= buffer.length() : cursor == 0) {
            return false;
        }
        if (forward) {
            buffer.delete(Graphemes.next(line, cursor) - cursor);
        } else {
            buffer.backspace(cursor - Graphemes.previous(line, cursor));
        }
        return true;
    }
}
