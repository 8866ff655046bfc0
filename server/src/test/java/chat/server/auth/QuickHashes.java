package chat.server.auth;

/**
 * Operator hashes for tests of other packages: Argon2id as {@link PasswordHash#hash} writes it, at
 * so low a cost (64 KiB, one pass) that a check takes well under a millisecond rather than tens.
 */
public final class QuickHashes {

    private QuickHashes() {
    }

    public static String hash(String password) {
        return PasswordHash.hash(password, new PasswordHash.Cost(64, 1, 1));
    }
}
