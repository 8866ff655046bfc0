package chat.server.core;

/**
 * One change to a room's modes: {@code +o alice}, {@code -k}, {@code +b *!*@10.0.0.*}. The
 * letters are the ones IRC made common, and the core's vocabulary for every dialect:
 * {@code i} invite-only, {@code m} moderated, {@code n} no messages from outside, {@code s}
 * secret, {@code t} only operators set the topic; {@code k} key and {@code l} member limit, with
 * a parameter when set; {@code b} ban, {@code e} ban exception, {@code I} invite exception, each
 * with a mask; {@code o} operator and {@code v} voice, each with a nick.
 *
 * @param add true for {@code +}, false for {@code -}
 * @param mode the letter
 * @param param the parameter, or null for a mode that takes none
 */
public record ModeChange(boolean add, char mode, String param) {

    /** Longest key (+k), in characters. */
    public static final int MAX_KEY_LENGTH = 32;

    /** The letters of flag modes, which take no parameter. */
    public static final String FLAGS = "imnst";
    /**
     * Most masks of one list mode a room holds; past it a mask is refused: a registered room
     * saves its lists whole at each change, and every JOIN is matched against them.
     */
    public static final int MAX_LIST_LENGTH = 100;

    /** The letters of list modes, which take a mask. */
    public static final String LISTS = "beI";
    /** The letters that give a member a privilege, with a nick. */
    public static final String PRIVILEGES = "ov";

    /** True when this mode takes a parameter in this direction. */
    public static boolean takesParam(char mode, boolean add) {
        return LISTS.indexOf(mode) >= 0 || PRIVILEGES.indexOf(mode) >= 0 || mode == 'k' || (mode == 'l' && add);
    }

    /** {@code +o alice}, as announced. */
    @Override
    public String toString() {
        return (add ? "+" : "-") + mode + (param == null ? "" : " " + param);
    }
}
