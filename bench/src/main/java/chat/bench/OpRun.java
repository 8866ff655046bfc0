package chat.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A closed-loop run of one kind of operation against the native server, for what each costs the
 * server: a bounded number in flight, a new one started as one completes, up to a limit that
 * the caller raises phase by phase (warm-up, then measuring). Subclasses say what an operation
 * is, how it starts and which line ends it.
 *
 * <p>Loop thread only: {@link #onLine} marks operations done, {@link #startMore} (called by the
 * driver between polls, never from inside a line) starts the next ones.
 */
abstract class OpRun implements LoadLoop.LineListener {

    /** Bytes a connection may have queued to send: a few commands. */
    static final int SEND_BUFFER_BYTES = 4096;

    /** Connections that proved they are in their room. */
    private int ready;
    /** Operations completed. */
    long done;
    /** Operations started. */
    long started;
    /** Start no more than this many in all. */
    long limit;
    /** Lines the measuring side received, for a check of what an operation sent. */
    long lines;
    /** Of {@link #lines}, those replayed from history. */
    long replayedLines;

    /** Every connection of the run, in the order they should enter. */
    abstract List<BenchConnection> connections();

    /** Starts operations while fewer than allowed are in flight and {@link #limit} is not reached. */
    abstract void startMore(LoadLoop loop);

    /**
     * Sends what an operation needs before the first one (lines said into the room...), and
     * returns once the server has taken it; nothing by default.
     */
    void prepare(LoadLoop loop, long deadlineNanos) throws java.io.IOException {
    }

    /** A line after the connection's ready line; {@code c.ready} is true. */
    abstract void onReadyLine(BenchConnection c, byte[] bytes, int start, int end, long nowNanos);

    @Override
    public final void onLine(BenchConnection c, byte[] bytes, int start, int end, long nowNanos) {
        if (!c.ready) {
            if (c.isReadyLine(bytes, start, end)) {
                c.ready = true;
                ready++;
            }
            return;
        }
        onReadyLine(c, bytes, start, end, nowNanos);
    }

    int readyCount() {
        return ready;
    }

    /** A native member called {@code nick} that enters {@code room} (and no other) as it connects. */
    static BenchConnection member(BenchConnection.Role role, int id, String nick, String room) {
        BenchConnection c = new BenchConnection(role, id, ascii("/nick " + nick + "\n/join " + room + "\n"),
                ascii("[" + room + "] "));
        c.out = ByteBuffer.allocateDirect(SEND_BUFFER_BYTES);
        return c;
    }

    /** Queues {@code bytes} on {@code c} and writes what the socket takes. */
    static void send(LoadLoop loop, BenchConnection c, byte[] bytes) {
        c.out.put(bytes);
        loop.flush(c);
    }

    static boolean equals(byte[] line, int start, int end, byte[] expected) {
        if (end - start != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (line[start + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(byte[] line, int start, int end, byte[] prefix) {
        return end - start >= prefix.length && equals(line, start, start + prefix.length, prefix);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
