package chat.server.accounts;

/**
 * An account as the store keeps it.
 *
 * @param name the nick it owns, spelled as registered
 * @param passwordHash the password's hash ({@link chat.server.auth.PasswordHash}), never the password
 * @param createdMillis when it was registered, in milliseconds since the epoch
 */
public record StoredAccount(String name, String passwordHash, long createdMillis) {
}
