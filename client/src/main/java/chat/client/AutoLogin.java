package chat.client;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Logging in to our account after each welcome ({@code --login}): when to send
 * {@code /login NICK PASSWORD}, and what the server's answer means.
 *
 * <p>Each connection logs in once its welcome has come ({@link #onWelcome}), and its answer ends
 * the attempt ({@link #onServerLine}): logged in; a wrong password, which stops logging in for the
 * rest of the session and wipes the password, since trying it again can only count as another
 * failed login; no such account, which keeps the password for the next connection (the user may
 * {@code /register} meanwhile); a server without accounts, which stops; or too many failed logins,
 * asked again after the wait the server names, at most {@link #MAX_RATE_LIMITED_RETRIES} times
 * per connection. Lines that are not an answer to a login of ours are nothing to it.
 *
 * <p>The password is held by a {@link Password}, wiped when the session no longer needs it: at
 * {@link #stop}, after a wrong password, and after the first answer when the session does not
 * reconnect.
 *
 * <p>Thread-safe: the connection thread reports welcomes and answers, a timer thread asks again
 * after a wait, the console thread stops it ({@code /logout}, the end of the session).
 */
final class AutoLogin {

    /** Times a connection asks again after "too many failed logins" before it gives up. */
    static final int MAX_RATE_LIMITED_RETRIES = 3;

    /** The server's answers (info lines start with "-- ", errors with "! "; the parser took those off). */
    private static final Pattern LOGGED_IN = Pattern.compile("logged in as ([^\\s;,]+).*");
    private static final Pattern WRONG_PASSWORD = Pattern.compile("wrong password for (\\S+)");
    private static final Pattern NO_ACCOUNT = Pattern.compile("no account ([^\\s;]+).*");
    private static final Pattern TOO_MANY = Pattern.compile("too many failed logins: try again in (\\d{1,9}) s.*");
    /** What a server without accounts says to {@code /login}. */
    private static final Pattern UNKNOWN = Pattern.compile("unknown command \"/login\".*", Pattern.CASE_INSENSITIVE);

    /** The account, which is also the nick a login gives us. */
    private final String nick;
    /** Whether the session reconnects, so needs the password again after an answer. */
    private final boolean keepForReconnects;
    /** The password; null when none was given, or no longer: then we do not log in. */
    private Password password;
    /** True while a /login of ours on this connection waits for its answer. */
    private boolean pending;
    /** Times this connection was told "too many failed logins". */
    private int rateLimited;
    /** Bumped at each welcome; a retry carries the connection it was scheduled on. */
    private int generation;

    /** Logs in as {@code nick} with {@code password} (null: never), which it takes over. */
    AutoLogin(String nick, Password password, boolean keepForReconnects) {
        this.nick = nick;
        this.password = nick == null ? null : password;
        this.keepForReconnects = keepForReconnects;
    }

    /** What an answer means for the session. */
    sealed interface Outcome {
        /** Not an answer to a login of ours. */
        record None() implements Outcome {
        }

        /** Logged in; the server gives us {@code nick} next. */
        record LoggedIn(String nick) implements Outcome {
        }

        /** The password was refused; we do not log in again this session. */
        record WrongPassword(String nick) implements Outcome {
        }

        /** No account of that name; the next connection tries again. */
        record NoAccount(String nick) implements Outcome {
        }

        /** The server knows no {@code /login}; we do not log in again this session. */
        record Unsupported() implements Outcome {
        }

        /** Too many failed logins: ask again after {@code delay} ({@link #retry} with {@code generation}). */
        record RetryAfter(Duration delay, int attempt, int max, int generation) implements Outcome {
        }

        /** Still too many failed logins after the last retry: not logged in on this connection. */
        record GaveUp() implements Outcome {
        }
    }

    /** The nick we log in as. */
    String nick() {
        return nick;
    }

    /** Whether a connection starting now will log in after its welcome. */
    synchronized boolean active() {
        return password != null;
    }

    /**
     * A new connection's welcome came: true when it should log in now ({@link #loginLine}).
     * Retries scheduled on earlier connections become void.
     */
    synchronized boolean onWelcome() {
        generation++;
        rateLimited = 0;
        pending = password != null;
        return pending;
    }

    /**
     * The server refused {@code refused} as a registered nick while no login of ours is under way:
     * true when logging in would take it (it is our account and we have the password), and the
     * login is then under way.
     */
    synchronized boolean beginLogIn(String refused) {
        if (password == null || pending || !nick.equalsIgnoreCase(refused)) {
            return false;
        }
        pending = true;
        return true;
    }

    /** A scheduled retry: true when it should still be sent (same connection, still waiting, not stopped). */
    synchronized boolean retry(int scheduledIn) {
        return scheduledIn == generation && pending && password != null;
    }

    /**
     * {@code /login NICK PASSWORD} as characters, for the connection to encode and then wipe; null
     * once stopped.
     */
    synchronized char[] loginLine() {
        return password == null ? null : password.after("/login " + nick + " ");
    }

    /** Reads one server line as a possible answer to our login. */
    synchronized Outcome onServerLine(ServerLine line) {
        if (!pending) {
            return new Outcome.None();
        }
        Matcher m;
        if (line instanceof ServerLine.Notice n && (m = LOGGED_IN.matcher(n.text())).matches()
                && m.group(1).equalsIgnoreCase(nick)) {
            answered();
            return new Outcome.LoggedIn(m.group(1));
        }
        if (!(line instanceof ServerLine.Error e)) {
            return new Outcome.None();
        }
        String text = e.text();
        if ((m = WRONG_PASSWORD.matcher(text)).matches() && m.group(1).equalsIgnoreCase(nick)) {
            stop();
            return new Outcome.WrongPassword(m.group(1));
        }
        if ((m = NO_ACCOUNT.matcher(text)).matches() && m.group(1).equalsIgnoreCase(nick)) {
            answered();
            return new Outcome.NoAccount(m.group(1));
        }
        if (UNKNOWN.matcher(text).matches()) {
            stop();
            return new Outcome.Unsupported();
        }
        if ((m = TOO_MANY.matcher(text)).matches()) {
            if (rateLimited == MAX_RATE_LIMITED_RETRIES) {
                answered();
                return new Outcome.GaveUp();
            }
            rateLimited++;
            return new Outcome.RetryAfter(Duration.ofSeconds(Long.parseLong(m.group(1))), rateLimited,
                    MAX_RATE_LIMITED_RETRIES, generation);
        }
        return new Outcome.None();
    }

    /** This connection's attempt is over; without reconnects the password is needed no more. */
    private void answered() {
        pending = false;
        if (!keepForReconnects) {
            stop();
        }
    }

    /** No more logging in this session; the password is wiped. True when it was on until now. */
    synchronized boolean stop() {
        pending = false;
        if (password == null) {
            return false;
        }
        password.wipe();
        password = null;
        return true;
    }
}
