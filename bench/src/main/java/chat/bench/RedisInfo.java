package chat.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Redis's own count of the bytes its allocator holds for data and clients ({@code used_memory}
 * of {@code INFO memory}): the Redis side of "live bytes per connection", beside the JVM's live
 * heap, since neither resident set says what a connection keeps.
 */
final class RedisInfo {

    private RedisInfo() {
    }

    /**
     * {@code used_memory} of the Redis at {@code address}, asked over TLS when {@code tls} is not
     * null (a Redis with a TLS port only), or -1 if it cannot be had.
     */
    static long usedMemory(InetSocketAddress address, ClientTls tls) {
        if (!LoopbackGuard.isLoopbackV4(address.getAddress())) {
            return -1;
        }
        try (Socket plain = new Socket()) {
            plain.connect(address, 5_000);
            plain.setSoTimeout(5_000);
            Socket socket = tls == null ? plain : tls.wrap(plain);
            OutputStream out = socket.getOutputStream();
            out.write("*2\r\n$4\r\nINFO\r\n$6\r\nmemory\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parseUsedMemory(readBulkString(socket.getInputStream()));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The value of the {@code used_memory:} line of an INFO reply, or -1 if there is none. */
    static long parseUsedMemory(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        return -1;
    }

    private static String readBulkString(InputStream in) throws IOException {
        String header = readLine(in);
        if (!header.startsWith("$")) {
            throw new IOException("not a bulk string: " + header);
        }
        int length = Integer.parseInt(header.substring(1));
        byte[] body = in.readNBytes(length);
        return new String(body, StandardCharsets.US_ASCII);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
