package chat.server.cluster;

/**
 * A user's id across the cluster: its node's incarnation (a number Redis gives each start or
 * re-registration of a node, never given twice), in decimal as the scripts on Redis read it, and
 * a number the node gives the user, in base 36, as {@code inc.n}. The incarnation names whose user it is, so a node's users can be
 * dropped together when it goes.
 */
final class ClusterIds {

    private ClusterIds() {
    }

    static String uid(long incarnation, long number) {
        return incarnation + "." + Long.toString(number, 36);
    }

    /** The incarnation a uid belongs to, or -1 for a malformed one. */
    static long incarnationOf(String uid) {
        int dot = uid.indexOf('.');
        if (dot <= 0) {
            return -1;
        }
        try {
            return Long.parseLong(uid, 0, dot, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The nick a user gets when the one it asked for was claimed first on another node: unique,
     * because its uid is, and valid (it starts with a letter).
     */
    static String guestNick(String uid) {
        return "guest-" + uid.replace('.', '-');
    }
}
