package chat.server.irc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * How the server presents itself to IRC clients.
 *
 * @param serverName the source of the server's own messages ({@code --server-name})
 * @param network the network's name, advertised in ISUPPORT ({@code --network})
 * @param description a few words about the server, in LINKS and WHOIS ({@code --server-description})
 * @param motd the message of the day, a line per element; empty for none ({@code --motd FILE})
 * @param password the server password IRC clients must give with PASS, or null ({@code --password})
 * @param operators server operators' names and password hashes ({@code --oper NAME:HASH})
 * @param pingIntervalSeconds how long an IRC client may stay silent before it is sent a PING, and
 *     then how long it has to answer before it is disconnected; 0 for never ({@code --ping-interval})
 */
public record IrcOptions(String serverName, String network, String description, List<String> motd, String password,
        java.util.Map<String, String> operators, int pingIntervalSeconds) {

    public static final int DEFAULT_PING_INTERVAL_SECONDS = 120;

    public static final String DEFAULT_NETWORK = "chat";

    public static final String DEFAULT_DESCRIPTION = "a chat server";

    public IrcOptions {
        if (serverName == null || serverName.isEmpty() || serverName.contains(" ")) {
            throw new IllegalArgumentException("server name must be one word: \"" + serverName + "\"");
        }
        if (description == null || description.isBlank()) {
            description = DEFAULT_DESCRIPTION;
        }
        motd = List.copyOf(motd);
        operators = java.util.Map.copyOf(operators);
        if (pingIntervalSeconds < 0) {
            throw new IllegalArgumentException("ping interval must not be negative: " + pingIntervalSeconds);
        }
    }

    /** This machine's name as the server name, the default network, no MOTD, no password. */
    public static IrcOptions defaults() {
        return new IrcOptions(localHostName(), DEFAULT_NETWORK, DEFAULT_DESCRIPTION, List.of(), null, java.util.Map.of(),
                DEFAULT_PING_INTERVAL_SECONDS);
    }

    /** The host name, or {@code chat.local} when it cannot be found or is not one word. */
    public static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.isEmpty() || name.contains(" ") ? "chat.local" : name;
        } catch (UnknownHostException e) {
            return "chat.local";
        }
    }
}
