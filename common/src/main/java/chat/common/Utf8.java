package chat.common;

/**
 * Allocation-free UTF-8 checks on byte ranges, for the charset detection that runs on every
 * line of a connection whose charset is not yet known.
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
}
