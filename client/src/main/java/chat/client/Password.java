package chat.client;

import java.util.Arrays;

/**
 * A password, held as characters by this one object so that it can be wiped once it is no longer
 * needed; {@link #toString} never shows it, so it cannot reach a log or the screen by accident.
 * The lines that carry it are made with {@link #after} and are the caller's to wipe once sent.
 *
 * <p>Thread-safe: the console thread may wipe it while the connection thread reads it.
 */
final class Password {

    /** The characters; null once wiped. */
    private char[] chars;

    /** Takes {@code chars} over: the caller must not keep or change them. */
    Password(char[] chars) {
        if (chars.length == 0) {
            throw new IllegalArgumentException("empty password");
        }
        this.chars = chars;
    }

    /** A new array of {@code prefix} followed by the password, or null once wiped. */
    synchronized char[] after(String prefix) {
        if (chars == null) {
            return null;
        }
        char[] line = new char[prefix.length() + chars.length];
        prefix.getChars(0, prefix.length(), line, 0);
        System.arraycopy(chars, 0, line, prefix.length(), chars.length);
        return line;
    }

    synchronized boolean isWiped() {
        return chars == null;
    }

    /** Overwrites the characters and lets go of them; later calls do nothing. */
    synchronized void wipe() {
        if (chars != null) {
            Arrays.fill(chars, '\0');
            chars = null;
        }
    }

    @Override
    public String toString() {
        return isWiped() ? "Password[wiped]" : "Password[hidden]";
    }
}
