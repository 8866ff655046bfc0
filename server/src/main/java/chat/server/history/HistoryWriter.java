package chat.server.history;

/** Placeholder until the writer lands from its branch: same API, keeps nothing. */
public final class HistoryWriter implements AutoCloseable {
    public boolean submit(StoredMessage m) {
        return true;
    }

    public long committedId() {
        return Long.MAX_VALUE;
    }

    @Override
    public void close() {
    }
}
