package chat.server.core;

/**
 * Ban and exception masks: {@code nick!user@host} with {@code *} for any run of characters and
 * {@code ?} for one, compared as names are ({@link Names#key}). A mask without {@code !} or
 * {@code @} is completed the way IRC servers do: {@code alice} is {@code alice!*@*},
 * {@code *@10.0.0.1} is {@code *!*@10.0.0.1}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Masks {

    private Masks() {
    }

    /** The mask in its full {@code nick!user@host} form. */
    public static String normalize(String mask) {
        int bang = mask.indexOf('!');
        int at = mask.indexOf('@');
        if (bang < 0 && at < 0) {
            return mask + "!*@*";
        }
        if (bang < 0) {
            return "*!" + mask;
        }
        if (at < 0) {
            return mask + "@*";
        }
        return mask;
    }

    /** True when {@code mask} matches {@code user}'s {@code nick!user@host}. */
    public static boolean matches(String mask, User user) {
        String full = user.nick() + "!" + user.identity().username() + "@" + user.identity().host();
        return glob(Names.key(normalize(mask)), Names.key(full));
    }

    /** Glob match with {@code *} and {@code ?}, iterative with one backtrack point. */
    public static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
