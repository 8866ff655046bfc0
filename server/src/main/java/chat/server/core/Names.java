package chat.server.core;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The rules for nicknames and room names, and the case-folding that makes them unique; one
 * policy for every dialect, so a nick or a room is the same thing to all of them.
 *
 * <p>A room name is 1 to {@value #MAX_NAME_LENGTH} characters (Unicode code points, counted after
 * decoding) of letters of any script, digits, {@code _} and {@code -}; it is shown with a leading
 * {@code #}, which is optional on input. A nick is as long, of letters of any script, digits and
 * the characters IRC clients use in nicks, {@code _ - [ ] \ ` ^ { } |}, and does not start with
 * a digit or {@code -} (IRC reads those as something else). Neither ever holds a space,
 * {@code :}, {@code ,}, {@code *}, {@code ?}, {@code !} or {@code @}, which IRC needs as separators
 * and in masks.
 *
 * <p>Case-folding ({@link #key}): Unicode lower case after compatibility normalization (NFKC), so
 * {@code Bob}, {@code BOB} and the full-width {@code Ｂｏｂ} collide, as do {@code Ä} and
 * {@code ä}; IRC's ISUPPORT advertises it as {@code CASEMAPPING=rfc8265} (the PRECIS user-name
 * profile, which ergo uses for Unicode nicks too). {@code [} and {@code {} stay distinct.
 */
public final class Names {

    /** Longest nickname or room name, in characters (code points), {@code #} not counted. */
    public static final int MAX_NAME_LENGTH = 32;

    private Names() {
    }

    /** Characters besides letters and digits that a nick may hold. */
    private static final String NICK_PUNCTUATION = "_-[]\\`^{}|";

    /** True for a valid nick, in any dialect. */
    public static boolean isValidNick(String nick) {
        if (nick.isEmpty()) {
            return false;
        }
        int first = nick.codePointAt(0);
        if (Character.isDigit(first) || first == '-') {
            return false;
        }
        int count = 0;
        for (int i = 0; i < nick.length(); ) {
            int cp = nick.codePointAt(i);
            if (!(Character.isLetterOrDigit(cp) || (cp < 0x80 && NICK_PUNCTUATION.indexOf(cp) >= 0))) {
                return false;
            }
            count++;
            i += Character.charCount(cp);
        }
        return count <= MAX_NAME_LENGTH;
    }

    /** True for a valid room name without its {@code #}. */
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
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return Normalizer.normalize(
                        Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
            }
        }
        return name.toLowerCase(Locale.ROOT); // ASCII, most names: no normalization to do
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
