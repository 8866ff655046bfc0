package chat.client;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Taking our nick back when the server says it is taken. After a reconnect that is usually our own
 * lost connection, which the server keeps until it notices the peer is gone (a write that times
 * out, keepalive, the idle limit): minutes, sometimes. So the client asks again, with backoff, a
 * bounded number of times, and stops as soon as the nick is ours or the user picks a nick
 * themselves. A nick refused as registered is another matter: no wait frees it, only logging in
 * to its account does (which also puts out a stale connection of ours holding it), so the retries
 * stop there and the session logs in when it has the password ({@link Decision.Registered}).
 *
 * <p>One per session; {@link #restart} at each restoring connection, which makes retries
 * scheduled for an earlier connection void. Thread-safe: the connection thread reports refusals,
 * the console thread the user's own {@code /nick}, a timer thread asks again; a retry and the
 * user's {@code /nick} are sent under this object's lock, so the user's always comes last.
 */
final class NickReclaim {

    /** Attempts after the first refusal; with the standard backoff, about ten minutes in all. */
    static final int MAX_ATTEMPTS = 20;

    /** The server's words for a taken nick (docs/protocol.md: {@code ! nickname "NICK" is taken}). */
    private static final Pattern TAKEN = Pattern.compile("nickname \"(.+)\" is taken");
    /** The server's words for an account's nick while we are not logged in to it. */
    private static final Pattern REGISTERED = Pattern.compile("nickname \"([^\"]+)\" is registered(?::.*)?");

    private final Backoff backoff;
    /** The nick to take back; null when there is none, or no longer. */
    private String wanted;
    private int attempts;
    /** Bumped by {@link #restart}; a retry carries the generation it was scheduled in. */
    private int generation;

    NickReclaim(Backoff backoff) {
        this.backoff = backoff;
    }

    /** What to do about an error line. */
    sealed interface Decision {
        /** Not about our nick, or we have given up: nothing to do. */
        record Ignore() implements Decision {
        }

        /**
         * Ask for the nick again after {@code delay} ({@link #askAgain} with {@code generation});
         * this is try {@code attempt} of {@code max}.
         */
        record RetryAfter(String nick, Duration delay, int attempt, int max, int generation) implements Decision {
        }

        /** The last attempt was refused too. */
        record GiveUp(String nick) implements Decision {
        }

        /**
         * The nick is an account's: asking again cannot help, so we stop; logging in to it, when
         * it is ours, takes it.
         */
        record Registered(String nick) implements Decision {
        }
    }

    /** A restoring connection asks for {@code nick} (null: none); earlier retries are void. */
    synchronized void restart(String nick) {
        wanted = nick == null || nick.isBlank() ? null : nick;
        attempts = 0;
        generation++;
    }

    /** The server refused something with {@code errorText}; decides whether to ask for the nick again. */
    synchronized Decision onError(String errorText) {
        Matcher registered = REGISTERED.matcher(errorText);
        if (wanted != null && registered.matches() && registered.group(1).equalsIgnoreCase(wanted)) {
            String nick = wanted;
            wanted = null;
            return new Decision.Registered(nick);
        }
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
        return new Decision.RetryAfter(wanted, delay, attempts, MAX_ATTEMPTS, generation);
    }

    /**
     * The user asks for a nick of their own: theirs wins, we stop trying. {@code sendTheirs} runs
     * under the lock, so no retry can slip in after it.
     */
    synchronized void userChoseNick(Runnable sendTheirs) {
        wanted = null;
        sendTheirs.run();
    }

    /**
     * A scheduled retry: hands the nick to {@code send}, under the lock, unless a later
     * connection or the user superseded it or {@code currentNick} is that nick already.
     */
    synchronized void askAgain(int scheduledIn, String currentNick, Consumer<String> send) {
        if (scheduledIn == generation && wanted != null && !wanted.equalsIgnoreCase(currentNick)) {
            send.accept(wanted);
        }
    }

    /** The nick still being taken back, or null: none, given up, or {@code currentNick} already. */
    synchronized String pending(String currentNick) {
        return wanted == null || wanted.equalsIgnoreCase(currentNick) ? null : wanted;
    }
}
