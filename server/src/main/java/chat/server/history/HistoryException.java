package chat.server.history;

/** The store failed (a full disk, a broken file, a lost connection): history degrades, chat goes on. */
public final class HistoryException extends Exception {

    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
