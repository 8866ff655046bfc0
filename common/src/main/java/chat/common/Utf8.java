package chat.common;

/**
 * Allocation-free UTF-8 checks on byte ranges, for the charset detection that runs on every
 * line of a connection whose charset is not yet known, and UTF-8 measures of strings, for limits
 * counted in bytes on the wire (IRC's 512-byte line, TOPICLEN) without encoding the string.
 *
 * <p>Validity follows RFC 3629: no overlong forms, no surrogates (U+D800-U+DFFF), nothing above
 * U+10FFFF, no truncated sequence. Stateless and thread-safe.
 */
public final class Utf8 {

    private Utf8() {
    }

    public static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValid(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            int cp;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                min = 0x80;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                min = 0x800;
                cp = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                min = 0x10000;
                cp = b & 0x07;
            } else {
                return false; // a continuation byte first, an overlong lead (C0, C1), or F5-FF
            }
            if (i + need >= end) {
                return false; // truncated: the line ends inside the character
            }
            for (int k = 1; k <= need; k++) {
                int c = bytes[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += need + 1;
        }
        return true;
    }

    /** How many bytes {@code text} takes in UTF-8 (an unpaired surrogate, encoded as {@code ?}, one). */
    public static int length(CharSequence text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Where the longest run of {@code text} from {@code start} that takes at most {@code bytes}
     * bytes in UTF-8 ends: between two characters, never inside one (nor between the halves of a
     * surrogate pair).
     */
    public static int endWithin(String text, int start, int bytes) {
        int used = 0;
        int end = start;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? (Character.isSurrogate((char) cp) ? 1 : 3) : 4;
            if (used + size > bytes) {
                break;
            }
            used += size;
            end += Character.charCount(cp);
        }
        return end;
    }

    /** {@code text} cut between characters to at most {@code bytes} bytes of UTF-8; the same instance when it fits. */
    public static String cut(String text, int bytes) {
        if (text.length() * 3 <= bytes) {
            return text; // even at 3 bytes a char it fits (a 4-byte character is two chars)
        }
        int end = endWithin(text, 0, bytes);
        return end == text.length() ? text : text.substring(0, end);
    }
}
