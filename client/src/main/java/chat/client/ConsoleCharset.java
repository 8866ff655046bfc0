package chat.client;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

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
}
