package chat.server.web;

/**
 * Checks UTF-8 one byte at a time, across the pieces a message arrives in: RFC 6455 asks that an
 * invalid text message be refused as soon as it is seen, and a message may be split anywhere,
 * inside a character too. Rejects overlong forms, surrogates and code points above U+10FFFF, as
 * a strict decoder does.
 */
final class Utf8Validator {

    /** Continuation bytes still expected for the current character. */
    private int needed;
    /** The range the next continuation byte must fall in; narrower than 80-BF only after some leads. */
    private int lower = 0x80;
    private int upper = 0xBF;

    /** Takes one byte; false when it cannot be part of valid UTF-8 here. */
    boolean accept(byte value) {
        int b = value & 0xFF;
        if (needed > 0) {
            if (b < lower || b > upper) {
                return false;
            }
            lower = 0x80;
            upper = 0xBF;
            needed--;
            return true;
        }
        if (b < 0x80) {
            return true;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            needed = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            needed = 2;
            if (b == 0xE0) {
                lower = 0xA0; // shorter forms are overlong
            } else if (b == 0xED) {
                upper = 0x9F; // D800-DFFF are surrogates
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            needed = 3;
            if (b == 0xF0) {
                lower = 0x90;
            } else if (b == 0xF4) {
                upper = 0x8F; // above U+10FFFF
            }
        } else {
            return false;
        }
        return true;
    }

    /** True when no character is left unfinished: where a text message may end. */
    boolean atBoundary() {
        return needed == 0;
    }

    void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
