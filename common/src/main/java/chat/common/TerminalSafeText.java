package chat.common;

/**
 * Removes from text what could act on a terminal instead of being shown by it.
 *
 * <p>Stripped: C0 control characters except TAB (so ESC, BEL, backspace and carriage return
 * never reach another user's terminal; with ESC gone, an escape sequence is left as harmless
 * printable text), DEL, the C1 controls U+0080-U+009F (CSI among them), and the Unicode
 * bidirectional overrides and isolates U+202A-U+202E and U+2066-U+2069, which can make text
 * display in an order other than the one it was sent in.
 *
 * <p>Stateless and thread-safe.
 */
public final class TerminalSafeText {

    private TerminalSafeText() {
    }

    /** Returns {@code text} without unsafe characters; the same instance when it had none. */
    public static String strip(String text) {
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder safe = new StringBuilder(text.length());
        safe.append(text, 0, first);
        for (int i = first + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isUnsafe(c)) {
                safe.append(c);
            }
        }
        return safe.toString();
    }

    /** True when {@code c} is one of the characters {@link #strip} removes. */
    public static boolean isUnsafe(char c) {
        if (c < 0x20) {
            return c != '\t';
        }
        if (c < 0x7F) {
            return false;
        }
        return c <= 0x9F
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
