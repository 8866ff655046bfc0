package chat.server.accounts;

/** The account store could not be opened, read or written; the message names the file and what was done. */
public final class AccountStoreException extends Exception {

    public AccountStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
