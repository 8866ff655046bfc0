package chat.server.accounts;

import chat.server.auth.LoginThrottle;
import java.nio.file.Path;
import java.util.Set;

/**
 * Accounts' settings.
 *
 * @param enabled false: no accounts at all ({@code --no-accounts}); nicks are first come, first served
 * @param dataDir where {@value SqliteAccountStore#FILE_NAME} lives; null keeps accounts in memory
 *     only, until the server stops
 * @param maxKept private messages kept for an account whose owner is offline ({@code --offline-messages})
 * @param requireTls refuse passwords sent over plaintext TCP ({@code --require-tls-for-login})
 * @param throttle how failed logins slow down and lock
 * @param maxRoomsPerFounder most registered rooms one account may found
 *     ({@code --max-registered-rooms-per-account})
 * @param operatorAccounts accounts whose login makes a server operator ({@code --oper-account}), as
 *     given
 */
public record AccountOptions(boolean enabled, Path dataDir, int maxKept, boolean requireTls,
        LoginThrottle.Policy throttle, int maxRoomsPerFounder, Set<String> operatorAccounts) {

    public static final int DEFAULT_MAX_ROOMS_PER_FOUNDER = 10;

    public static final int DEFAULT_MAX_KEPT = 100;
    /** Passwords shorter than this are refused at registration and change. */
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** Longer ones too: a hash of a megabyte is work for nothing. */
    public static final int MAX_PASSWORD_LENGTH = 300;

    public AccountOptions {
        if (maxKept < 0) {
            throw new IllegalArgumentException("--offline-messages must be 0 or more, not " + maxKept);
        }
        if (maxRoomsPerFounder < 0) {
            throw new IllegalArgumentException("--max-registered-rooms-per-account must be 0 or more, not "
                    + maxRoomsPerFounder);
        }
        operatorAccounts = Set.copyOf(operatorAccounts);
    }

    /** With the default bound on registered rooms and no operator accounts. */
    public AccountOptions(boolean enabled, Path dataDir, int maxKept, boolean requireTls, LoginThrottle.Policy throttle) {
        this(enabled, dataDir, maxKept, requireTls, throttle, DEFAULT_MAX_ROOMS_PER_FOUNDER, Set.of());
    }

    /** Accounts in memory, with the defaults: for tests. */
    public static AccountOptions inMemory() {
        return new AccountOptions(true, null, DEFAULT_MAX_KEPT, false, LoginThrottle.Policy.DEFAULT);
    }

    /** No accounts. */
    public static AccountOptions off() {
        return new AccountOptions(false, null, DEFAULT_MAX_KEPT, false, LoginThrottle.Policy.DEFAULT);
    }
}
