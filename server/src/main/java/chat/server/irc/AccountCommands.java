package chat.server.irc;

import chat.server.accounts.AccountOptions;
import chat.server.accounts.Accounts;
import chat.server.core.User;
import chat.server.history.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Accounts in IRC: SASL PLAIN ({@code AUTHENTICATE}, before or after registration) and the
 * NickServ forms clients send on their own ({@code PRIVMSG NickServ :IDENTIFY ...}, or the
 * {@code NS}/{@code NICKSERV} commands): IDENTIFY, REGISTER, LOGOUT, PASSWD, UNREGISTER. NickServ
 * is not a user: its answers are NOTICEs from {@code NickServ!NickServ@services}, as ergo's are.
 * Handlers of {@link IrcCommands}' table.
 *
 * <p>Stateless; the SASL exchange in progress is the session's. Loop thread only.
 */
final class AccountCommands {

    static final String NICKSERV = "NickServ";
    private static final String NICKSERV_PREFIX = "NickServ!NickServ@services";
    /** One AUTHENTICATE line carries at most this much Base64; a longer message comes in several. */
    static final int SASL_CHUNK = 400;
    /** The most a SASL PLAIN message may be, decoded: two names and a password. */
    static final int MAX_SASL_BYTES = 2 * 64 + AccountOptions.MAX_PASSWORD_LENGTH * 4 + 2;

    private AccountCommands() {
    }

    // ---- SASL ----

    static void authenticate(IrcSession s, IrcMessage m) {
        Accounts accounts = s.dialect().accounts();
        String param = m.param(0);
        if (accounts == null || !s.has(Cap.SASL)) {
            s.reply(Numeric.ERR_SASLFAIL, "SASL authentication failed: the sasl capability is not enabled");
            return;
        }
        if (param.equals("*")) {
            if (s.sasl() != null) {
                s.sasl(null);
                s.reply(Numeric.ERR_SASLABORTED, "SASL authentication aborted");
            } else {
                s.reply(Numeric.ERR_SASLFAIL, "SASL authentication failed: nothing to abort");
            }
            return;
        }
        if (s.account() != null) {
            s.reply(Numeric.ERR_SASLALREADY, "You have already authenticated using SASL");
            return;
        }
        IrcSession.Sasl sasl = s.sasl();
        if (sasl == null) {
            if (!param.equalsIgnoreCase("PLAIN")) {
                s.reply(Numeric.RPL_SASLMECHS, "PLAIN", "are available SASL mechanisms");
                s.reply(Numeric.ERR_SASLFAIL, "SASL authentication failed");
                return;
            }
            s.sasl(new IrcSession.Sasl());
            s.send("AUTHENTICATE +");
            return;
        }
        if (param.length() > SASL_CHUNK || sasl.length() + param.length() > MAX_SASL_BYTES * 4 / 3 + 4) {
            s.sasl(null);
            s.reply(Numeric.ERR_SASLTOOLONG, "SASL message too long");
            return;
        }
        if (!param.equals("+")) {
            sasl.append(param);
        }
        if (param.length() == SASL_CHUNK) {
            return; // more follows: a message of exactly n * 400 ends with "+"
        }
        s.sasl(null);
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(sasl.toString());
        } catch (IllegalArgumentException notBase64) {
            s.reply(Numeric.ERR_SASLFAIL, "SASL authentication failed: not Base64");
            return;
        }
        String[] parts = new String(decoded, StandardCharsets.UTF_8).split("\u0000", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            s.reply(Numeric.ERR_SASLFAIL, "SASL authentication failed: PLAIN is authzid NUL authcid NUL password");
            return;
        }
        String authzid = parts[0];
        String name = parts[1];
        if (!authzid.isEmpty() && !chat.server.core.Names.key(authzid).equals(chat.server.core.Names.key(name))) {
            s.reply(Numeric.ERR_SASLFAIL, "SASL authentication failed: you may log in only as yourself");
            return;
        }
        if (refusedForPlaintext(s, null)) {
            s.reply(Numeric.ERR_SASLFAIL, "SASL authentication failed: passwords over TLS only");
            return;
        }
        warnIfPlaintext(s, null);
        s.awaitAnswer();
        accounts.logIn(name, parts[2], address(s), answer -> {
            if (!s.connection().isOpen()) {
                return;
            }
            s.answer(() -> {
                if (!answer.ok()) {
                    s.reply(Numeric.ERR_SASLFAIL, "SASL authentication failed: " + answer.reason(name));
                    return;
                }
                loggedIn(s, answer.account());
                s.reply(Numeric.RPL_SASLSUCCESS, "SASL authentication successful");
            });
        });
    }

    /**
     * The session is logged in to {@code account}: before registration it takes the account's nick
     * at registration; after, at once (the holder, a stale connection, is put out), and the
     * messages kept for it follow.
     */
    private static void loggedIn(IrcSession s, String account) {
        if (s.isRegistered()) {
            s.core().logIn(s.user(), account);
            deliverKept(s, account);
        } else {
            s.account(account);
        }
        s.reply(Numeric.RPL_LOGGEDIN, s.mask(), account, "You are now logged in as " + account);
    }

    /** After registration: the private messages kept for the account while its owner was away. */
    static void deliverKept(IrcSession s, String account) {
        s.dialect().accounts().deliverKept(account, kept -> {
            if (!s.connection().isOpen()) {
                return;
            }
            List<StoredMessage> shown = kept;
            if (!s.has(Cap.SERVER_TIME)) { // the time in the text, for clients that cannot show it otherwise
                shown = new ArrayList<>(kept.size());
                for (StoredMessage m : kept) {
                    shown.add(new StoredMessage(m.id(), m.time(), m.target(), m.room(), m.from(), m.fromAddress(),
                            m.to(), m.kind(), "[" + IrcDialect.formatTime(m.time()) + "] " + m.text(), m.tags()));
                }
            }
            notice(s, kept.size() + " private message" + (kept.size() == 1 ? "" : "s") + " while you were away:");
            s.sendBatch("chathistory " + s.nick(), HistoryCommands.lines(s, shown));
        });
    }

    // ---- NickServ ----

    /** {@code NS TEXT} and {@code NICKSERV TEXT}: the same as {@code PRIVMSG NickServ :TEXT}. */
    static void nickServCommand(IrcSession s, IrcMessage m) {
        nickServ(s, String.join(" ", m.params()));
    }

    /** A message to NickServ: one of its commands. */
    static void nickServ(IrcSession s, String text) {
        Accounts accounts = s.dialect().accounts();
        if (accounts == null) {
            notice(s, "accounts are off on this server");
            return;
        }
        String[] words = text.strip().split(" +");
        String command = words[0].toUpperCase(Locale.ROOT);
        User user = s.user();
        switch (command) {
            case "IDENTIFY", "LOGIN" -> {
                if (words.length < 2 || words.length > 3) {
                    notice(s, "usage: IDENTIFY [ACCOUNT] PASSWORD");
                    return;
                }
                String name = words.length == 3 ? words[1] : user.nick();
                if (!mayTakePassword(s)) {
                    return;
                }
                waitFor(s, answer -> accounts.logIn(name, words[words.length - 1], address(s), answer), answer -> {
                    if (answer.ok()) {
                        loggedIn(s, answer.account());
                    } else {
                        notice(s, answer.reason(name));
                    }
                });
            }
            case "REGISTER" -> {
                if (words.length < 2) {
                    notice(s, "usage: REGISTER PASSWORD (registers your current nick)");
                    return;
                }
                if (user.account() != null) {
                    notice(s, "you are logged in as " + user.account() + "; LOGOUT first");
                    return;
                }
                if (!mayTakePassword(s)) {
                    return;
                }
                String nick = user.nick();
                waitFor(s, answer -> accounts.register(nick, words[1], answer), answer -> {
                    if (answer.ok()) {
                        notice(s, "account " + answer.account() + " registered");
                        loggedIn(s, answer.account());
                    } else {
                        notice(s, answer.reason(nick));
                    }
                });
            }
            case "LOGOUT" -> {
                if (user.account() == null) {
                    notice(s, "you are not logged in");
                    return;
                }
                s.core().logOut(user);
                s.reply(Numeric.RPL_LOGGEDOUT, s.mask(), "You are now logged out");
            }
            case "PASSWD", "PASSWORD" -> {
                if (words.length != 3) {
                    notice(s, "usage: PASSWD OLD NEW");
                    return;
                }
                String account = user.account();
                if (account == null) {
                    notice(s, "you are not logged in; IDENTIFY first");
                    return;
                }
                if (!mayTakePassword(s)) {
                    return;
                }
                waitFor(s, answer -> accounts.changePassword(account, words[1], words[2], address(s), answer),
                        answer -> notice(s, answer.ok() ? "password of " + account + " changed" : answer.reason(account)));
            }
            case "UNREGISTER" -> {
                String account = user.account();
                if (words.length != 2 || account == null) {
                    notice(s, account == null ? "you are not logged in; IDENTIFY first" : "usage: UNREGISTER PASSWORD");
                    return;
                }
                if (!mayTakePassword(s)) {
                    return;
                }
                waitFor(s, answer -> accounts.unregister(account, words[1], address(s), answer), answer -> {
                    if (answer.ok()) {
                        s.core().logOut(user);
                        notice(s, "account " + account + " removed");
                        if (!answer.roomsDropped().isEmpty()) {
                            notice(s, "the channels you founded are no longer registered: "
                                    + String.join(" ", answer.roomsDropped()));
                        }
                    } else {
                        notice(s, answer.reason(account));
                    }
                });
            }
            default -> notice(s, "commands: IDENTIFY [ACCOUNT] PASSWORD, REGISTER PASSWORD, LOGOUT, PASSWD OLD NEW,"
                    + " UNREGISTER PASSWORD");
        }
    }

    private static void waitFor(IrcSession s, Consumer<Consumer<Accounts.Answer>> request, Consumer<Accounts.Answer> then) {
        s.awaitAnswer();
        request.accept(answer -> {
            if (s.connection().isOpen()) {
                s.answer(() -> then.accept(answer));
            }
        });
    }

    /** Whether a password may come on this connection; warns over plaintext, refuses with --require-tls-for-login. */
    private static boolean mayTakePassword(IrcSession s) {
        if (refusedForPlaintext(s, "this server takes passwords over TLS only: reconnect with TLS and change the"
                + " password you just sent")) {
            return false;
        }
        warnIfPlaintext(s, "warning: your password was sent unencrypted; connect with TLS to keep it secret");
        return true;
    }

    private static boolean refusedForPlaintext(IrcSession s, String words) {
        boolean refused = !s.connection().isEncrypted() && s.dialect().accounts().requireTls();
        if (refused && words != null) {
            notice(s, words);
        }
        return refused;
    }

    private static void warnIfPlaintext(IrcSession s, String words) {
        if (!s.connection().isEncrypted()) {
            s.sendFromServer("NOTICE", s.nick(), words != null ? words
                    : "warning: your password was sent unencrypted; connect with TLS to keep it secret");
        }
    }

    private static void notice(IrcSession s, String text) {
        s.send(new IrcMessage(Map.of(), NICKSERV_PREFIX, "NOTICE", List.of(s.nick(), text)).toLine(true));
    }

    private static String address(IrcSession s) {
        return s.connection().peer().getAddress().getHostAddress();
    }
}
