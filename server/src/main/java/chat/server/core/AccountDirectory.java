package chat.server.core;

/**
 * What the core asks of accounts: which account owns a nick, so nobody else takes it, and where a
 * private message to an account that is offline goes. The accounts package implements it; the
 * core knows no more of accounts than that. Called on the loop thread; must not block.
 */
public interface AccountDirectory {

    /** No accounts: every nick is free to take, and a message to an absent nick is refused. */
    AccountDirectory NONE = new AccountDirectory() {
        @Override
        public String ownerOf(String nick) {
            return null;
        }

        @Override
        public boolean keepForLater(String account, ChatEvent.PrivateMessage message) {
            return false;
        }

        @Override
        public long registeredMillis(String account) {
            return -1;
        }
    };

    /** The account that owns {@code nick} (compared case-insensitively), as registered; null for none. */
    String ownerOf(String nick);

    /**
     * Keeps a private message for {@code account}, whose owner is not connected, until it logs in.
     *
     * @return false when the account keeps as many messages as it may
     */
    boolean keepForLater(String account, ChatEvent.PrivateMessage message);

    /**
     * When {@code account} was registered, in milliseconds since the epoch; -1 for no such account.
     * From then on its nick was nobody else's, so its owner may read that nick's private history
     * from then on.
     */
    long registeredMillis(String account);

    /**
     * Whether logging in to {@code account} makes a user a server operator
     * ({@code --oper-account}), as a successful OPER does.
     */
    default boolean isServerOperator(String account) {
        return false;
    }
}
