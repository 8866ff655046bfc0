package chat.client;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Taking our nick back when the server says it is taken. After a reconnect that is usually our own
 * lost connection, which the server keeps until it notices the peer is gone (a write that times
 * out, keepalive, the idle limit): minutes, sometimes. So the client asks again, with backoff, a
 * bounded number of times, and stops as soon as the nick is ours or the user picks a nick
 * themselves.
 *
 * <p>One per connection. Thread-safe: the connection thread reports refusals, the console thread
 * reports the user's own {@code /nick}, a timer thread asks whether to try again.
 */
final class NickReclaim {

    /** Attempts after the first refusal; with the standard backoff, about ten minutes in all. */
    static final int MAX_ATTEMPTS = 20;

    /** The server's words for a taken nick (docs/protocol.md: {@code ! nickname "NICK" is taken}). */
    private static final Pattern TAKEN = Pattern.compile("nickname \"(.+)\" is taken");

    private final Backoff backoff;
    /** The nick to take back; null when there is none, or no longer. */
    private String wanted;
    private int attempts;

    NickReclaim(String wanted, Backoff backoff) {
        this.wanted = wanted == null || wanted.isBlank() ? null : wanted;
        this.backoff = backoff;
    }

    /** What to do about an error line. */
    sealed interface Decision {
        /** Not about our nick, or we have given up: nothing to do. */
        record Ignore() implements Decision {
        }

        /** Ask for the nick again after {@code delay}; this is try {@code attempt} of {@code max}. */
        record RetryAfter(String nick, Duration delay, int attempt, int max) implements Decision {
        }

        /** The last attempt was refused too. */
        record GiveUp(String nick) implements Decision {
        }
    }

    /** The server refused something with {@code errorText}; decides whether to ask for the nick again. */
    synchronized Decision onError(String errorText) {
        Matcher m = TAKEN.matcher(errorText);
        if (wanted == null || !m.matches() || !m.group(1).equalsIgnoreCase(wanted)) {
            return new Decision.Ignore();
        }
        if (attempts == MAX_ATTEMPTS) {
            String nick = wanted;
            wanted = null;
            return new Decision.GiveUp(nick);
        }
        Duration delay = backoff.delay(attempts);
        attempts++;
        return new Decision.RetryAfter(wanted, delay, attempts, MAX_ATTEMPTS);
    }

    /** The user asked for a nick of their own: theirs wins, we stop trying. */
    synchronized void userChoseNick() {
        wanted = null;
    }

    /** The nick to ask for now, or null when that is no longer needed ({@code currentNick} is ours now). */
    synchronized String nickToAskFor(String currentNick) {
        if (wanted == null || wanted.equalsIgnoreCase(currentNick)) {
            return null;
        }
        return wanted;
    }
}
