package chat.common;

/**
 * Evidence for windows-1252 (German, French, Spanish, Portuguese...) from the shape of the bytes
 * above 0x7F: Latin text has them alone, an accented letter between ASCII letters; the double-byte
 * charsets have them in runs of two or more, since each of their characters is two bytes from 0x81
 * up. A lone byte above 0x7F is something none of GB18030, Big5 and EUC-KR can write at all
 * (Shift_JIS only as a half-width katakana, which it scores down), so it is strong evidence.
 *
 * <p>Per run of bytes above 0x7F: one letter touching an ASCII letter ("Müller") scores
 * {@link #LETTER_IN_WORD}; a lone letter or common sign ("à", "€", "¿") {@link #LONE_BYTE}; any
 * other lone byte {@link #LONE_OTHER}, too little to decide alone; two lowercase letters inside a
 * word ("Größe") {@link #LONE_BYTE}; any other pair 0 (as likely one CJK character, or garbage
 * such as {@code a FF C0 b}); a longer run {@link #PER_BYTE_BEYOND_TWO} per byte past the second,
 * since Latin text seldom has three accented letters in a row and CJK text always does.
 *
 * <p>Stateless; thread-safe.
 */
final class LatinEvidence implements LineEvidence {

    static final LatinEvidence INSTANCE = new LatinEvidence();

    static final double LETTER_IN_WORD = 2;
    static final double LONE_BYTE = 1.5;
    static final double LONE_OTHER = 0.5;
    static final double PER_BYTE_BEYOND_TWO = -2;

    private LatinEvidence() {
    }

    @Override
    public double score(byte[] bytes, int offset, int length) {
        double score = 0;
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (bytes[i] >= 0) {
                i++;
                continue;
            }
            int runEnd = i;
            while (runEnd < end && bytes[runEnd] < 0) {
                runEnd++;
            }
            boolean letterBefore = i > offset && isAsciiLetter(bytes[i - 1]);
            boolean letterAfter = runEnd < end && isAsciiLetter(bytes[runEnd]);
            int run = runEnd - i;
            if (run == 1) {
                score += loneByteScore(bytes[i], letterBefore || letterAfter);
            } else if (run == 2) {
                boolean inWord = letterBefore && letterAfter && isLowercase(bytes[i]) && isLowercase(bytes[i + 1]);
                score += inWord ? LONE_BYTE : 0;
            } else {
                score += PER_BYTE_BEYOND_TWO * (run - 2);
            }
            i = runEnd;
        }
        return score;
    }

    private static double loneByteScore(byte b, boolean touchesLetter) {
        if (isLetter(b)) {
            return touchesLetter ? LETTER_IN_WORD : LONE_BYTE;
        }
        return isCommonSign(b) ? LONE_BYTE : LONE_OTHER;
    }

    private static boolean isAsciiLetter(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    }

    /**
     * A windows-1252 letter: À-þ less × and ÷, and Š Œ Ž š œ ž Ÿ. Not ÿ (FF): next to no word in
     * these languages uses it, and FF is a common garbage byte.
     */
    private static boolean isLetter(byte b) {
        int c = b & 0xFF;
        if (c >= 0xC0) {
            return c != 0xD7 && c != 0xF7 && c != 0xFF;
        }
        return c == 0x8A || c == 0x8C || c == 0x8E || c == 0x9A || c == 0x9C || c == 0x9E || c == 0x9F;
    }

    /** ß-þ less ÷: the letters that follow one another inside a word ("öß", "çã"). */
    private static boolean isLowercase(byte b) {
        int c = b & 0xFF;
        return c >= 0xDF && c <= 0xFE && c != 0xF7;
    }

    /** € … ‘ ’ “ ” – — ¡ £ § « ° · » ¿: signs that chat in these languages uses on their own. */
    private static boolean isCommonSign(byte b) {
        return switch (b & 0xFF) {
            case 0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97,
                 0xA1, 0xA3, 0xA7, 0xAB, 0xB0, 0xB7, 0xBB, 0xBF -> true;
            default -> false;
        };
    }
}
