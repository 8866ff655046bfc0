package chat.client;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Keystrokes for a test terminal: {@link #type} queues bytes, reads block until there are some,
 * {@link #close} ends the input. Unlike a {@code PipedInputStream}, it does not care which threads
 * read and write, and a blocked read is interruptible, as JLine expects of a terminal.
 */
final class Keyboard extends InputStream {

    private static final int EOF = -1;

    private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();

    void type(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            keys.add(b & 0xFF);
        }
    }

    @Override
    public void close() {
        keys.add(EOF);
    }

    @Override
    public int read() throws InterruptedIOException {
        try {
            int key = keys.take();
            if (key == EOF) {
                keys.add(EOF); // every later read sees the end too
            }
            return key;
        } catch (InterruptedException e) {
            throw new InterruptedIOException("interrupted while waiting for a key");
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws InterruptedIOException {
        if (length == 0) {
            return 0;
        }
        int first = read();
        if (first == EOF) {
            return EOF;
        }
        buffer[offset] = (byte) first;
        int n = 1;
        Integer next;
        while (n < length && (next = keys.peek()) != null && next != EOF) {
            buffer[offset + n++] = (byte) (int) keys.poll();
        }
        return n;
    }

    @Override
    public int available() {
        Integer next = keys.peek();
        return next == null || next == EOF ? 0 : keys.size();
    }
}
