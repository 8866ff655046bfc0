package chat.client;

import java.nio.charset.Charset;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * What the client connects to and how it talks.
 *
 * @param host server host
 * @param port server port
 * @param nick nickname to take after connecting, or null to keep the guest nick; with
 *     {@code login}, the account to log in to
 * @param consoleCharset charset of standard input and output, and of the connection (the client
 *     tells the server with {@code /charset})
 * @param colour whether an interactive session may use colour (never used when stdout is not a
 *     terminal)
 * @param reconnect whether an interactive session reconnects after losing the server
 * @param historyFile where typed lines are kept between sessions, or null to keep none
 * @param tls what to trust when connecting over TLS, or null for plaintext
 * @param login whether to log in as {@code nick} after each welcome
 * @param password the password to log in with, which the session takes over and wipes when done;
 *     null with {@code login} to ask for it on the terminal
 */
public record ClientOptions(String host, int port, String nick, Charset consoleCharset,
                            boolean colour, boolean reconnect, Path historyFile, SSLContext tls,
                            boolean login, Password password) {

    /** Colour and reconnect on, no history file, plaintext: what a script or a test wants. */
    public ClientOptions(String host, int port, String nick, Charset consoleCharset) {
        this(host, port, nick, consoleCharset, true, true, null, null);
    }

    /** Without logging in. */
    public ClientOptions(String host, int port, String nick, Charset consoleCharset,
                         boolean colour, boolean reconnect, Path historyFile, SSLContext tls) {
        this(host, port, nick, consoleCharset, colour, reconnect, historyFile, tls, false, null);
    }

    /** The same over TLS, trusting what {@code tls} trusts. */
    public ClientOptions withTls(SSLContext trust) {
        return new ClientOptions(host, port, nick, consoleCharset, colour, reconnect, historyFile, trust, login, password);
    }

    /** The same, logging in as {@code nick} with {@code secret}, or asking for it on the terminal when null. */
    ClientOptions withLogin(Password secret) {
        return new ClientOptions(host, port, nick, consoleCharset, colour, reconnect, historyFile, tls, true, secret);
    }
}
