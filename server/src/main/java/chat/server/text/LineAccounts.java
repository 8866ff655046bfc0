package chat.server.text;

import chat.server.accounts.Accounts;
import chat.server.core.User;
import chat.server.history.StoredMessage;
import chat.server.net.Connection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The native dialect's account commands: {@code /register}, {@code /login} ({@code /identify}),
 * {@code /logout}, {@code /password} and {@code /unregister}. A password is checked off the loop;
 * meanwhile the session's next lines wait ({@link Connection#holdInput}), so answers keep the
 * order of the requests. After a login, the private messages kept while the user was away follow
 * as history lines.
 *
 * <p>Loop thread only; made for one command line of one {@link LineSession}.
 */
final class LineAccounts {

    private final LineSession session;
    private final Accounts accounts;

    LineAccounts(LineSession session, Accounts accounts) {
        this.session = session;
        this.accounts = accounts;
    }

    /** Runs {@code /NAME args} for one of the account commands. */
    void execute(String name, String args) {
        if (accounts == null) {
            session.sendLine(LineFormatter.error("accounts are off on this server"));
            return;
        }
        String[] words = args.isEmpty() ? new String[0] : args.split(" +");
        switch (name) {
            case "register" -> register(words);
            case "login", "identify" -> login(words);
            case "logout" -> logout(words);
            case "password", "passwd" -> password(words);
            case "unregister" -> unregister(words);
            default -> session.sendLine(LineFormatter.error("NickServ knows IDENTIFY, REGISTER, LOGOUT, PASSWORD"
                    + " and UNREGISTER: the same as /login, /register, /logout, /password and /unregister"));
        }
    }

    private void register(String[] words) {
        if (words.length != 1) {
            usage("/register PASSWORD (registers your current nick)");
            return;
        }
        User user = session.user();
        if (user.account() != null) {
            session.sendLine(LineFormatter.error("you are logged in as " + user.account() + "; /logout first"));
            return;
        }
        if (!passwordMayTravel()) {
            return;
        }
        String nick = user.nick();
        waitFor(answer -> accounts.register(nick, words[0], answer), answer -> {
            if (!answer.ok()) {
                refused(answer, nick);
                return;
            }
            session.core().logIn(user, answer.account());
            session.sendLine(LineFormatter.info("registered " + answer.account() + "; you are logged in (next time: /login "
                    + answer.account() + " PASSWORD)"));
        });
    }

    private void login(String[] words) {
        if (words.length < 1 || words.length > 2) {
            usage("/login NICK PASSWORD, or /login PASSWORD for your current nick");
            return;
        }
        User user = session.user();
        String name = words.length == 2 ? words[0] : user.nick();
        String password = words[words.length - 1];
        if (user.account() != null && chat.server.core.Names.key(user.account()).equals(chat.server.core.Names.key(name))) {
            session.sendLine(LineFormatter.info("you are logged in as " + user.account() + " already"));
            return;
        }
        if (!passwordMayTravel()) {
            return;
        }
        waitFor(answer -> accounts.logIn(name, password, address(), answer), answer -> {
            if (!answer.ok()) {
                refused(answer, name);
                return;
            }
            User ghosted = session.core().logIn(user, answer.account());
            session.sendLine(LineFormatter.info("logged in as " + answer.account()));
            if (ghosted != null) {
                session.sendLine(LineFormatter.info("your other connection as " + answer.account() + " was closed"));
            }
            accounts.deliverKept(answer.account(), this::deliverKept);
        });
    }

    /** The private messages kept while the user was away, as history lines between two info lines. */
    private void deliverKept(List<StoredMessage> kept) {
        User user = session.user();
        if (!user.isConnected()) {
            return;
        }
        session.sendLine(LineFormatter.info(kept.size() + " private message" + (kept.size() == 1 ? "" : "s")
                + " while you were away:"));
        for (StoredMessage m : kept) {
            session.sendLine((session.ids() ? LineFormatter.idPrefix(m.id()) : "") + LineFormatter.history(m, user.nick()));
        }
        session.sendLine(LineFormatter.info("end of the messages kept for you"));
    }

    private void logout(String[] words) {
        User user = session.user();
        if (words.length != 0) {
            usage("/logout");
        } else if (user.account() == null) {
            session.sendLine(LineFormatter.error("you are not logged in"));
        } else {
            String account = user.account();
            session.core().logOut(user);
            session.sendLine(LineFormatter.info("logged out of " + account));
        }
    }

    private void password(String[] words) {
        User user = session.user();
        if (words.length != 2) {
            usage("/password OLD NEW");
            return;
        }
        if (user.account() == null) {
            session.sendLine(LineFormatter.error("you are not logged in; /login NICK PASSWORD first"));
            return;
        }
        if (!passwordMayTravel()) {
            return;
        }
        String account = user.account();
        waitFor(answer -> accounts.changePassword(account, words[0], words[1], address(), answer), answer -> {
            if (answer.ok()) {
                session.sendLine(LineFormatter.info("password of " + account + " changed"));
            } else {
                refused(answer, account);
            }
        });
    }

    private void unregister(String[] words) {
        User user = session.user();
        if (words.length != 1) {
            usage("/unregister PASSWORD");
            return;
        }
        if (user.account() == null) {
            session.sendLine(LineFormatter.error("you are not logged in; /login NICK PASSWORD first"));
            return;
        }
        if (!passwordMayTravel()) {
            return;
        }
        String account = user.account();
        waitFor(answer -> accounts.unregister(account, words[0], address(), answer), answer -> {
            if (!answer.ok()) {
                refused(answer, account);
                return;
            }
            session.core().logOut(user);
            session.sendLine(LineFormatter.info("account " + account + " removed; the nick is anyone's once you leave it"));
            if (!answer.roomsDropped().isEmpty()) {
                session.sendLine(LineFormatter.info("the rooms you founded are no longer registered: "
                        + String.join(" ", answer.roomsDropped())));
            }
        });
    }

    /**
     * Sends {@code request}, holding the session's next lines until its answer is in; then runs
     * {@code then} with it (unless the connection closed meanwhile), and only then lets the lines
     * that waited through, so they see what the answer changed (a script's line after its
     * {@code /login} is said under the account's nick).
     */
    private void waitFor(Consumer<Consumer<Accounts.Answer>> request, Consumer<Accounts.Answer> then) {
        Connection connection = session.connection();
        connection.holdInput();
        request.accept(answer -> {
            try {
                if (session.user().isConnected()) {
                    then.accept(answer);
                }
            } finally {
                connection.releaseInput();
            }
        });
    }

    /**
     * Whether a password may be sent on this connection: over TLS, always; over plaintext, with a
     * warning, unless {@code --require-tls-for-login} refuses it.
     */
    private boolean passwordMayTravel() {
        if (session.connection().isEncrypted()) {
            return true;
        }
        if (accounts.requireTls()) {
            session.sendLine(LineFormatter.error("this server takes passwords over TLS only: reconnect with TLS"
                    + " (the console client's --tls) and change the password you just sent"));
            return false;
        }
        session.sendLine(LineFormatter.info("warning: your password was sent unencrypted; connect with TLS"
                + " (the console client's --tls) to keep it secret"));
        return true;
    }

    private void refused(Accounts.Answer answer, String name) {
        String reason = answer.reason(name);
        session.sendLine(LineFormatter.error(switch (answer.outcome()) {
            case NO_ACCOUNT -> reason + "; /register PASSWORD registers your nick";
            case BAD_PASSWORD -> reason + ", without spaces";
            default -> reason;
        }));
    }

    private String address() {
        return session.connection().peer().getAddress().getHostAddress();
    }

    private void usage(String form) {
        session.sendLine(LineFormatter.error("usage: " + form));
    }
}
