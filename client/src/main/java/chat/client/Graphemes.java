package chat.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the user-perceived characters (extended grapheme clusters: an emoji with its skin-tone
 * modifier, a ZWJ family, a letter with combining accents) begin and end in a line, counted in
 * code points as JLine's buffer counts its cursor. Editing steps over a cluster whole, so the
 * cursor is never inside one and what is sent is what the screen shows.
 */
final class Graphemes {

    /** One extended grapheme cluster ({@code \X}, Unicode's rules as the JDK's regex knows them). */
    private static final Pattern CLUSTER = Pattern.compile("\\X");

    private Graphemes() {
    }

    /** The start of the cluster before {@code cursor} (a code-point index into {@code line}); 0 at the start. */
    static int previous(String line, int cursor) {
        int target = line.offsetByCodePoints(0, cursor);
        int start = 0;
        Matcher m = CLUSTER.matcher(line);
        while (m.find() && m.start() < target) {
            start = m.start();
        }
        return line.codePointCount(0, start);
    }

    /** The end of the cluster at {@code cursor}; the line's length at its end. */
    static int next(String line, int cursor) {
        int target = line.offsetByCodePoints(0, cursor);
        Matcher m = CLUSTER.matcher(line);
        while (m.find()) {
            if (m.end() > target) {
                return line.codePointCount(0, m.end());
            }
        }
        return line.codePointCount(0, line.length());
    }
}
