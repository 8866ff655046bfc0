package chat.server.core;

import java.util.Locale;

/**
 * The rules for nicknames and room names, and the case-folding that makes them unique.
 *
 * <p>A name is 1 to {@value #MAX_NAME_LENGTH} characters (Unicode code points, counted after
 * decoding) of letters of any script, digits, {@code _} and {@code -}. A room is shown with a
 * leading {@code #}, which is optional on input.
 */
public final class Names {

    /** Longest nickname or room name, in characters (code points), {@code #} not counted. */
    public static final int MAX_NAME_LENGTH = 32;

    private Names() {
    }

    public static boolean isValidName(String name) {
        int count = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (!(Character.isLetterOrDigit(cp) || cp == '_' || cp == '-')) {
                return false;
            }
            count++;
            i += Character.charCount(cp);
        }
        return count >= 1 && count <= MAX_NAME_LENGTH;
    }

    /** The form under which a name is unique: {@code Bob}, {@code bob} and {@code BOB} collide. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The room as shown, {@code #name}, from input with or without the {@code #}. */
    public static String roomDisplayName(String input) {
        return input.startsWith("#") ? input : "#" + input;
    }

    /** The bare room name, without {@code #}, for validation. */
    public static String bareRoomName(String input) {
        return input.startsWith("#") ? input.substring(1) : input;
    }
}
