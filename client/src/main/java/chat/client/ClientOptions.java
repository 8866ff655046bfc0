package chat.client;

import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * What the client connects to and how it talks.
 *
 * @param host server host
 * @param port server port
 * @param nick nickname to take after connecting, or null to keep the guest nick
 * @param consoleCharset charset of standard input and output, and of the connection (the client
 *     tells the server with {@code /charset})
 * @param colour whether an interactive session may use colour (never used when stdout is not a
 *     terminal)
 * @param reconnect whether an interactive session reconnects after losing the server
 * @param historyFile where typed lines are kept between sessions, or null to keep none
 */
public record ClientOptions(String host, int port, String nick, Charset consoleCharset,
                            boolean colour, boolean reconnect, Path historyFile) {

    /** Colour and reconnect on, no history file: what a script or a test wants. */
    public ClientOptions(String host, int port, String nick, Charset consoleCharset) {
        this(host, port, nick, consoleCharset, true, true, null);
    }
}
