package chat.server.irc;

import chat.common.ChatCharsets;
import chat.common.TextCodec;
import chat.server.core.ChatError;
import chat.server.core.ChatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CAP, PASS, NICK, USER, CHARSET, PING and QUIT: what a client may send before it is registered, and registration itself.
 * Handlers of {@link IrcCommands}' table: each starts from a request the table has checked.
 *
 * <p>Stateless; loop thread only.
 */
final class RegistrationCommands {

    private RegistrationCommands() {
    }

    static void cap(IrcSession s, IrcMessage m) {
        String sub = m.param(0).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "LS" -> {
                if (!s.isRegistered()) {
                    s.negotiatingCaps(true);
                }
                s.sendFromServer("CAP", s.nick(), "LS", Cap.all(isVersion302(m.param(1)), s.dialect().accounts() != null));
            }
            case "LIST" -> s.sendFromServer("CAP", s.nick(), "LIST", s.enabledCaps());
            case "REQ" -> capRequest(s, m.param(1) == null ? "" : m.param(1));
            case "END" -> s.negotiatingCaps(false);
            default -> s.reply(Numeric.ERR_INVALIDCAPCMD, m.param(0), "Invalid CAP subcommand");
        }
    }


    /** Whether {@code CAP LS VERSION} asks for values: version 302 or later. */
    private static boolean isVersion302(String version) {
        try {
            return version != null && Integer.parseInt(version) >= 302;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** All or nothing, as CAP REQ demands. */
    static void capRequest(IrcSession s, String requested) {
        if (!s.isRegistered()) {
            s.negotiatingCaps(true);
        }
        List<Cap> on = new ArrayList<>();
        List<Cap> off = new ArrayList<>();
        for (String name : requested.trim().split(" +")) {
            if (name.isEmpty()) {
                continue;
            }
            boolean disable = name.startsWith("-");
            Cap cap = Cap.named(disable ? name.substring(1) : name);
            if (cap == null || cap == Cap.SASL && s.dialect().accounts() == null) {
                s.sendFromServer("CAP", s.nick(), "NAK", requested);
                return;
            }
            (disable ? off : on).add(cap);
        }
        on.forEach(cap -> s.enable(cap, true));
        off.forEach(cap -> s.enable(cap, false));
        s.sendFromServer("CAP", s.nick(), "ACK", requested.trim());
    }


    static void pass(IrcSession s, IrcMessage m) {
        if (s.isRegistered()) {
            s.reply(Numeric.ERR_ALREADYREGISTERED, "You may not reregister");
        } else {
            s.password(m.param(0));
        }
    }


    static void nick(IrcSession s, IrcMessage m) {
        String nick = m.param(0);
        if (nick == null || nick.isEmpty()) {
            s.reply(Numeric.ERR_NONICKNAMEGIVEN, "No nickname given");
            return;
        }
        try {
            if (s.isRegistered()) {
                s.core().rename(s.user(), nick); // the NICK line comes back as an event
            } else {
                if (s.dialect().accounts() != null && s.negotiatingCaps()) {
                    // It may log in (SASL) to the account that owns the nick before it registers: the
                    // nick is checked at registration, with the account then known.
                    if (!chat.server.core.Names.isValidNick(nick)) {
                        throw new ChatException(ChatError.INVALID_NICK, nick);
                    }
                } else {
                    s.core().checkNickFree(nick);
                }
                s.pendingNick(nick);
            }
        } catch (ChatException e) {
            s.refuseNick(nick, e);
        }
    }


    static void user(IrcSession s, IrcMessage m) {
        if (s.isRegistered()) {
            s.reply(Numeric.ERR_ALREADYREGISTERED, "You may not reregister");
        } else if (m.param(0).isEmpty() || m.param(3).isEmpty()) {
            s.reply(Numeric.ERR_NEEDMOREPARAMS, "USER", "Not enough parameters");
        } else {
            s.userInfo(m.param(0), m.param(3));
        }
    }


    /**
     * CHARSET [NAME]: shows or sets the connection's charset, for clients set to one other than
     * UTF-8 (irssi's {@code /quote CHARSET GBK}); the native dialect's {@code /charset}. Allowed
     * before registration, so a nick can be given in it. The answer is in the new charset.
     */
    static void charset(IrcSession s, IrcMessage m) {
        String name = m.param(0);
        if (name == null || name.isBlank()) {
            s.sendFromServer("NOTICE", s.nick(), "Your charset is " + s.charset().codec().charset().name());
            return;
        }
        java.nio.charset.Charset chosen;
        try {
            chosen = ChatCharsets.forName(name.strip());
        } catch (IllegalArgumentException refused) {
            s.sendFromServer("FAIL", "CHARSET", "INVALID_CHARSET", name, refused.getMessage());
            return;
        }
        if (!StandardCharsets.UTF_8.equals(chosen) && s.connection().isUtf8Only()) {
            s.sendFromServer("FAIL", "CHARSET", "INVALID_CHARSET", name,
                    "This connection carries UTF-8 only (WebSocket text frames)");
            return;
        }
        s.chooseCharset(StandardCharsets.UTF_8.equals(chosen) ? TextCodec.UTF_8 : new TextCodec(chosen));
        s.sendFromServer("NOTICE", s.nick(), "Your charset is now " + chosen.name());
    }

    static void ping(IrcSession s, IrcMessage m) {
        s.sendFromServer("PONG", s.dialect().serverName(), m.param(0));
    }


    static void quit(IrcSession s, IrcMessage m) {
        s.quit(m.param(0) == null ? "" : m.param(0));
    }
}
