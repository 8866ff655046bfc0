package chat.client;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Finds the charset the user's console speaks, so a GBK console works without options. */
final class ConsoleCharset {

    private ConsoleCharset() {
    }

    /** {@code stdout.encoding} (Java 19+), then {@code native.encoding} (Java 17), then UTF-8. */
    static Charset detect() {
        for (String property : new String[] {"stdout.encoding", "native.encoding"}) {
            String name = System.getProperty(property);
            if (name != null) {
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException ignored) {
                    // an odd platform name; try the next source
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * True when the charset writes ASCII as ASCII, one byte each, so an LF byte always ends a line
     * and the {@code /charset} command reads the same in it: UTF-8, GBK, GB18030, ISO-8859-1 yes;
     * UTF-16 and UTF-32 no.
     */
    static boolean isAsciiCompatible(Charset charset) {
        if (!charset.canEncode()) {
            return false;
        }
        String probe = "/charset Az09_-\n";
        return Arrays.equals(probe.getBytes(charset), probe.getBytes(StandardCharsets.US_ASCII));
    }
}
