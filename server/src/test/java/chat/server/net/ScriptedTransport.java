package chat.server.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A transport whose reads return exactly the chunks a test queued, one chunk per read, and whose
 * writes take at most {@link #perWrite} bytes per call: splits, resets and full sockets happen
 * for certain, not when loopback TCP happens to produce them.
 */
public final class ScriptedTransport implements Transport {

    /** A chunk that makes the read throw, as a reset does. */
    private static final byte[] RESET = new byte[0];
    /** A chunk that makes the read return -1, as the peer's close does. */
    private static final byte[] END = new byte[0];

    public final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final Deque<byte[]> reads = new ArrayDeque<>();
    /** Most bytes taken per write call; 0 models a full socket. */
    public int perWrite = Integer.MAX_VALUE;
    /** When true, writes fail as they do once the peer has reset. */
    public boolean writeFails;
    public boolean readInterest = true;
    public boolean writeInterest;
    public boolean closed;
    public int writes;
    public int readCalls;

    public ScriptedTransport(int perWrite) {
        this.perWrite = perWrite;
    }

    public ScriptedTransport() {
    }

    public ScriptedTransport chunk(String text) {
        return chunk(text.getBytes(StandardCharsets.UTF_8));
    }

    public ScriptedTransport chunk(byte[] bytes) {
        reads.add(bytes);
        return this;
    }

    public ScriptedTransport reset() {
        reads.add(RESET);
        return this;
    }

    public ScriptedTransport end() {
        reads.add(END);
        return this;
    }

    public boolean hasUnread() {
        return !reads.isEmpty();
    }

    public String writtenText() {
        return written.toString(StandardCharsets.UTF_8);
    }

    /** What was written since the last call, as text; for tests that look at one answer at a time. */
    public String takeWrittenText() {
        return takeWrittenText(StandardCharsets.UTF_8);
    }

    /** The same, read in {@code charset}: for connections on another charset than UTF-8. */
    public String takeWrittenText(java.nio.charset.Charset charset) {
        String text = written.toString(charset);
        written.reset();
        return text;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        readCalls++;
        byte[] next = reads.peek();
        if (next == null) {
            return 0;
        }
        if (next == RESET) {
            reads.poll();
            throw new IOException("Connection reset by peer");
        }
        if (next == END) {
            return -1; // stays: every later read sees the end too
        }
        int n = Math.min(next.length, dst.remaining());
        dst.put(next, 0, n);
        reads.poll();
        if (n < next.length) {
            reads.addFirst(java.util.Arrays.copyOfRange(next, n, next.length));
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        writes++;
        if (writeFails) {
            throw new IOException("Broken pipe");
        }
        int n = Math.min(perWrite, src.remaining());
        for (int i = 0; i < n; i++) {
            written.write(src.get());
        }
        return n;
    }

    @Override
    public void readInterest(boolean on) {
        readInterest = on;
    }

    @Override
    public void writeInterest(boolean on) {
        writeInterest = on;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }
}
