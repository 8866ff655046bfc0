package chat.server.auth;

/**
 * Operator hashes for tests of other packages: the same format as {@link PasswordHash#hash}, with
 * so few iterations that a check takes a millisecond rather than tens.
 */
public final class QuickHashes {

    private QuickHashes() {
    }

    public static String hash(String password) {
        return PasswordHash.hash(password, 1000);
    }
}
