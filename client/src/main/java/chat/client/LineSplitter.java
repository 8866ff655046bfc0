package chat.client;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a typed line that the server would refuse as too long (its limit counts bytes on the wire,
 * so 1,400 Chinese characters are over 4,096 bytes in UTF-8) into several lines that each fit,
 * at character boundaries (grapheme clusters: an emoji with its modifier stays whole), at a space
 * when there is one in the second half of the piece. A command's head ({@code /msg bob},
 * {@code /me}) is repeated on every piece; other commands are left whole, for the server to judge.
 *
 * <p>Stateless.
 */
final class LineSplitter {

    private static final Pattern GRAPHEME = Pattern.compile("\\X");

    /** The server's default line limit (its --max-line), in bytes, newline excluded. */
    static final int SERVER_LINE_BYTES = 4096;

    private LineSplitter() {
    }

    /** The line as it should be sent: itself when it fits, else its pieces, in order. */
    static List<String> split(String line, Charset charset, int maxBytes) {
        if (bytes(line, charset) <= maxBytes) {
            return List.of(line);
        }
        String head = head(line);
        if (head == null) {
            return List.of(line);
        }
        String text = line.substring(head.length());
        int room = maxBytes - bytes(head, charset);
        // Grapheme clusters as the regex engine knows them (\X: an emoji with its modifier or a
        // ZWJ family is one), which java.text.BreakIterator of this JDK does not.
        List<Integer> bounds = new ArrayList<>();
        Matcher cluster = GRAPHEME.matcher(text);
        while (cluster.find()) {
            bounds.add(cluster.end());
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int b = 0;
        while (start < text.length()) {
            int end = start;
            int lastSpace = -1;
            int used = 0;
            for (; b < bounds.size(); b++) {
                int next = bounds.get(b);
                int size = bytes(text.substring(end, next), charset);
                if (used + size > room && end > start) {
                    break; // a cluster longer than the room alone still goes, alone
                }
                used += size;
                if (Character.isWhitespace(text.charAt(end))) {
                    lastSpace = end;
                }
                end = next;
                if (used >= room) {
                    b++;
                    break;
                }
            }
            if (end < text.length() && lastSpace > start + (end - start) / 2) {
                end = lastSpace + 1; // break after a space rather than inside a word
                while (b > 0 && bounds.get(b - 1) > end) {
                    b--;
                }
            }
            pieces.add(head + text.substring(start, end));
            start = end;
        }
        return pieces;
    }

    /**
     * What every piece starts with: nothing for plain text, {@code //} kept on the first piece
     * only (the rest are plain text again), the command and its target for {@code /msg} and
     * {@code /me}; null for other commands.
     */
    private static String head(String line) {
        String command = ClientCommands.commandOf(line);
        if (command == null) {
            return "";
        }
        if (command.equals("/me")) {
            return line.substring(0, line.indexOf(' ') + 1);
        }
        if (command.equals("/msg")) {
            int first = line.indexOf(' ');
            int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
            return second < 0 ? null : line.substring(0, second + 1);
        }
        return null;
    }

    private static int bytes(String text, Charset charset) {
        return text.getBytes(charset).length;
    }
}
