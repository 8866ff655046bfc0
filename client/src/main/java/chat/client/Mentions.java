package chat.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds where a text mentions a nick: the nick as a whole word, in any case. "bob" is mentioned in
 * "hi Bob!" and "@bob:", not in "bobby" or "kebob", since nicks are made of letters, digits,
 * {@code _} and {@code -}, and those are the characters that extend a word.
 *
 * <p>Stateless and thread-safe.
 */
final class Mentions {

    private Mentions() {
    }

    /** The [start, end) spans of each mention of {@code nick} in {@code text}; none when nick is null. */
    static List<int[]> find(String text, String nick) {
        List<int[]> spans = new ArrayList<>();
        if (nick == null || nick.isEmpty()) {
            return spans;
        }
        int n = nick.length();
        for (int i = 0; i + n <= text.length(); i++) {
            if (text.regionMatches(true, i, nick, 0, n)
                    && !isNickChar(text, i - 1) && !isNickChar(text, i + n)) {
                spans.add(new int[] {i, i + n});
                i += n - 1;
            }
        }
        return spans;
    }

    /** True when a nick mentions {@code nick} anywhere in {@code text}. */
    static boolean mentions(String text, String nick) {
        return !find(text, nick).isEmpty();
    }

    private static boolean isNickChar(String text, int index) {
        if (index < 0 || index >= text.length()) {
            return false;
        }
        char c = text.charAt(index);
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }
}
