package chat.server.core;

/**
 * A nick someone no longer has, for IRC's WHOWAS: who had it, and when they let it go (a quit or
 * a nick change).
 *
 * @param nick the nick as it was spelled
 * @param identity who had it
 * @param leftAt when it was given up, milliseconds since the epoch
 */
public record Departure(String nick, Identity identity, long leftAt) {
}
