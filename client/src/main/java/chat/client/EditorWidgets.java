package chat.client;

import java.util.Map;
import org.jline.reader.Buffer;
import org.jline.reader.LineReader;
import org.jline.reader.Widget;

/**
 * The line editor's keys that JLine does by code point or leaves waiting, done the way a chat
 * needs: Left, Right, Backspace and Delete step over a whole grapheme cluster ({@link
 * Graphemes}); a bracketed paste of several lines is sent at once, as lines, when it is short,
 * and waits for Enter with a note when it is long (as irssi asks).
 */
final class EditorWidgets {

    /** Lines a paste may have and still go at once; a longer one waits for Enter. */
    static final int PASTE_LINES_SENT_AT_ONCE = 5;

    private EditorWidgets() {
    }

    /** Installs the widgets on {@code reader}; {@code note} prints a line above the prompt. */
    static void install(LineReader reader, java.util.function.Consumer<String> note) {
        Map<String, Widget> widgets = reader.getWidgets();
        widgets.put(LineReader.BACKWARD_CHAR, () -> move(reader.getBuffer(), false));
        widgets.put(LineReader.FORWARD_CHAR, () -> move(reader.getBuffer(), true));
        widgets.put(LineReader.BACKWARD_DELETE_CHAR, () -> delete(reader.getBuffer(), false));
        widgets.put(LineReader.DELETE_CHAR, () -> delete(reader.getBuffer(), true));
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
