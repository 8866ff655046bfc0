package chat.server.text;

import chat.common.TextCodec;
import chat.server.history.StoredMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Room history lines as UTF-8 bytes, made once per message however many joiners replay it: a
 * join replay of a busy room then costs the loop a copy of references, not formatting and
 * encoding every line again. Holds the {@value #CAPACITY} most recently replayed lines; private
 * lines, which read differently to each side, and other charsets are made per reader.
 *
 * <p>Loop thread only: one per event loop, shared by its native sessions.
 */
final class HistoryLines {

    static final int CAPACITY = 4096;

    private final Map<Long, byte[]> lines = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The history line of a room message, with its LF, encoded in UTF-8. */
    byte[] roomLine(StoredMessage m) {
        byte[] line = lines.get(m.id());
        if (line == null) {
            line = TextCodec.UTF_8.encode(LineFormatter.history(m, "") + "\n").bytes();
            lines.put(m.id(), line);
        }
        return line;
    }

    int size() {
        return lines.size();
    }
}
