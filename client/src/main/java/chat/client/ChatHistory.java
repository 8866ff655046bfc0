package chat.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.impl.history.DefaultHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JLine's history (Up/Down, and the history file) without the lines that may carry a password
 * ({@link ClientCommands#carriesPassword}). Such a line is never added: Up does not bring it back,
 * so nothing can write it to the file later. A file written before this filter existed, or by an
 * older client, is cleaned of such lines when it is loaded, in place: otherwise JLine's trimming of
 * the file, which rereads it, would bring them back into memory.
 *
 * <p>The file format is JLine's, one {@code MILLIS:LINE} per line in UTF-8, where the escapes JLine
 * uses ({@code \n}, {@code \r}, {@code \\}) cannot occur in a command word, so a line is judged
 * as written.
 *
 * <p>Used by the console thread only, like the {@code DefaultHistory} it extends.
 */
final class ChatHistory extends DefaultHistory {

    private static final Logger log = LoggerFactory.getLogger(ChatHistory.class);

    /** The history file, or null for none; the same path the reader is given. */
    private final Path file;

    ChatHistory(Path file) {
        this.file = file;
    }

    @Override
    public void add(Instant time, String line) {
        if (!ClientCommands.carriesPassword(line)) {
            super.add(time, line);
        }
    }

    /** Every line that reaches memory, typed or loaded, passes here: the last guard. */
    @Override
    protected void internalAdd(Instant time, String line, boolean checkDuplicates) {
        if (!ClientCommands.carriesPassword(line)) {
            super.internalAdd(time, line, checkDuplicates);
        }
    }

    @Override
    public void load() throws IOException {
        if (file != null) {
            scrub(file);
        }
        super.load();
    }

    /**
     * Rewrites {@code file} without the lines that carry a password, if it has any; the new file
     * replaces the old in one move, so a failure leaves the old one whole. A failure is logged:
     * the loaded history is filtered all the same.
     */
    static void scrub(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            log.warn("could not read the history file {} to clean it: {}", file, e.toString());
            return;
        }
        List<String> kept = new ArrayList<>(lines.size());
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0 || !ClientCommands.carriesPassword(line.substring(colon + 1))) {
                kept.add(line);
            }
        }
        if (kept.size() == lines.size()) {
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try {
                Files.write(temp, kept, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            log.info("removed {} lines carrying a password from the history file {}", lines.size() - kept.size(), file);
        } catch (IOException e) {
            log.warn("could not clean the history file {}: {}", file, e.toString());
        }
    }
}
