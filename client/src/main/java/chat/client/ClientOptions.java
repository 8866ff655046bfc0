package chat.client;

import java.nio.charset.Charset;

/**
 * What the client connects to and how it talks.
 *
 * @param host server host
 * @param port server port
 * @param nick nickname to take after connecting, or null to keep the guest nick
 * @param consoleCharset charset of standard input and output
 */
public record ClientOptions(String host, int port, String nick, Charset consoleCharset) {
}
