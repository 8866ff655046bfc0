package chat.server.irc;

import chat.server.core.ChatCore;
import chat.server.core.ChatError;
import chat.server.core.ChatException;
import chat.server.core.MessageKind;
import chat.server.core.Names;
import chat.server.core.Room;
import chat.server.core.User;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The IRC commands, in the manner of ergo's {@code commands.go}: one table from command name to
 * handler, with the fewest parameters each needs and whether it needs registration, so that too
 * few parameters (461), commands before registration (451) and unknown commands (421) are
 * answered once, here, and every handler starts from a well-formed request.
 *
 * <p>Stateless; loop thread only, like the sessions it serves.
 */
final class IrcCommands {

    /** Most targets of one PRIVMSG or NOTICE (TARGMAX). */
    static final int MAX_TARGETS = 4;
    /** Nicks per 353 line, so a line of long nicks stays under 512 bytes. */
    private static final int NAMES_PER_LINE = 10;

    @FunctionalInterface
    interface Handler {
        void handle(IrcSession session, IrcMessage message);
    }

    /** How a command is checked before its handler runs. */
    record Command(int minParams, boolean needsRegistration, Handler handler) {
    }

    private static final Map<String, Command> COMMANDS = Map.ofEntries(
            Map.entry("CAP", new Command(1, false, IrcCommands::cap)),
            Map.entry("PASS", new Command(1, false, IrcCommands::pass)),
            Map.entry("NICK", new Command(0, false, IrcCommands::nick)),
            Map.entry("USER", new Command(4, false, IrcCommands::user)),
            Map.entry("PING", new Command(1, false, IrcCommands::ping)),
            Map.entry("PONG", new Command(0, false, (s, m) -> { })),
            Map.entry("QUIT", new Command(0, false, IrcCommands::quit)),
            Map.entry("JOIN", new Command(1, true, IrcCommands::join)),
            Map.entry("PART", new Command(1, true, IrcCommands::part)),
            Map.entry("PRIVMSG", new Command(0, true, (s, m) -> message(s, m, MessageKind.TEXT))),
            Map.entry("NOTICE", new Command(0, true, (s, m) -> message(s, m, MessageKind.NOTICE))),
            Map.entry("NAMES", new Command(0, true, IrcCommands::names)),
            Map.entry("TOPIC", new Command(1, true, IrcCommands::topic)),
            Map.entry("KICK", new Command(2, true, IrcCommands::kick)),
            Map.entry("INVITE", new Command(2, true, IrcCommands::invite)),
            Map.entry("WHO", new Command(0, true, IrcCommands::who)),
            Map.entry("WHOIS", new Command(1, true, IrcCommands::whois)),
            Map.entry("MODE", new Command(1, true, IrcCommands::mode)),
            Map.entry("LIST", new Command(0, true, IrcCommands::list)),
            Map.entry("ISON", new Command(1, true, IrcCommands::ison)),
            Map.entry("USERHOST", new Command(1, true, IrcCommands::userhost)),
            Map.entry("AWAY", new Command(0, true, IrcCommands::away)),
            Map.entry("MOTD", new Command(0, true, (s, m) -> motd(s))),
            Map.entry("LUSERS", new Command(0, true, (s, m) -> lusers(s))),
            Map.entry("VERSION", new Command(0, true, IrcCommands::version)),
            Map.entry("TIME", new Command(0, true, IrcCommands::time)),
            Map.entry("INFO", new Command(0, true, IrcCommands::info)));

    private IrcCommands() {
    }

    static void dispatch(IrcSession session, IrcMessage message) {
        Command command = COMMANDS.get(message.command());
        if (command == null) {
            session.reply(Numeric.ERR_UNKNOWNCOMMAND, message.command(), "Unknown command");
        } else if (command.needsRegistration() && !session.isRegistered()) {
            session.reply(Numeric.ERR_NOTREGISTERED, "You have not registered");
        } else if (message.params().size() < command.minParams()) {
            session.reply(Numeric.ERR_NEEDMOREPARAMS, message.command(), "Not enough parameters");
        } else {
            command.handler().handle(session, message);
        }
    }

    // ---- registration ----

    private static void cap(IrcSession s, IrcMessage m) {
        String sub = m.param(0).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "LS" -> {
                if (!s.isRegistered()) {
                    s.negotiatingCaps(true);
                }
                s.sendFromServer("CAP", s.nick(), "LS", Cap.all());
            }
            case "LIST" -> s.sendFromServer("CAP", s.nick(), "LIST", s.enabledCaps());
            case "REQ" -> capRequest(s, m.param(1) == null ? "" : m.param(1));
            case "END" -> s.negotiatingCaps(false);
            default -> s.reply(Numeric.ERR_INVALIDCAPCMD, m.param(0), "Invalid CAP subcommand");
        }
    }

    /** All or nothing, as CAP REQ demands. */
    private static void capRequest(IrcSession s, String requested) {
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
            if (cap == null) {
                s.sendFromServer("CAP", s.nick(), "NAK", requested);
                return;
            }
            (disable ? off : on).add(cap);
        }
        on.forEach(cap -> s.enable(cap, true));
        off.forEach(cap -> s.enable(cap, false));
        s.sendFromServer("CAP", s.nick(), "ACK", requested.trim());
    }

    private static void pass(IrcSession s, IrcMessage m) {
        if (s.isRegistered()) {
            s.reply(Numeric.ERR_ALREADYREGISTERED, "You may not reregister");
        } else {
            s.password(m.param(0));
        }
    }

    private static void nick(IrcSession s, IrcMessage m) {
        String nick = m.param(0);
        if (nick == null || nick.isEmpty()) {
            s.reply(Numeric.ERR_NONICKNAMEGIVEN, "No nickname given");
            return;
        }
        try {
            if (s.isRegistered()) {
                s.core().rename(s.user(), nick); // the NICK line comes back as an event
            } else {
                s.core().checkNickFree(nick);
                s.pendingNick(nick);
            }
        } catch (ChatException e) {
            boolean taken = e.error() == ChatError.NICK_TAKEN;
            s.reply(taken ? Numeric.ERR_NICKNAMEINUSE : Numeric.ERR_ERRONEUSNICKNAME, nick,
                    taken ? "Nickname is already in use" : "Erroneous nickname");
        }
    }

    private static void user(IrcSession s, IrcMessage m) {
        if (s.isRegistered()) {
            s.reply(Numeric.ERR_ALREADYREGISTERED, "You may not reregister");
        } else if (m.param(0).isEmpty()) {
            s.reply(Numeric.ERR_NEEDMOREPARAMS, "USER", "Not enough parameters");
        } else {
            s.userInfo(m.param(0), m.param(3));
        }
    }

    private static void ping(IrcSession s, IrcMessage m) {
        s.sendFromServer("PONG", s.dialect().serverName(), m.param(0));
    }

    private static void quit(IrcSession s, IrcMessage m) {
        s.quit(m.param(0) == null ? "" : m.param(0));
    }

    // ---- channels ----

    private static void join(IrcSession s, IrcMessage m) {
        if (m.param(0).equals("0")) {
            for (String room : s.core().roomsOf(s.user())) {
                partOne(s, room, "");
            }
            return;
        }
        String[] keys = m.param(1) == null ? new String[0] : m.param(1).split(",");
        String[] channels = m.param(0).split(",");
        for (int i = 0; i < channels.length; i++) {
            String channel = channels[i];
            if (channel.isEmpty()) {
                continue;
            }
            if (!channel.startsWith("#") || !Names.isValidName(channel.substring(1))) {
                s.reply(Numeric.ERR_NOSUCHCHANNEL, channel, "No such channel");
                continue;
            }
            Room before = s.core().room(channel);
            boolean already = before != null && s.user().isIn(before);
            try {
                String joined = s.core().join(s.user(), channel, i < keys.length ? keys[i] : null);
                if (!already) { // the JOIN itself came back as an event
                    topic(s, s.core().room(joined), false);
                    names(s, joined);
                }
            } catch (ChatException e) {
                joinRefused(s, channel, e);
            }
        }
    }

    private static void joinRefused(IrcSession s, String channel, ChatException e) {
        switch (e.error()) {
            case BANNED -> s.reply(Numeric.ERR_BANNEDFROMCHAN, channel, "Cannot join channel (+b)");
            case ROOM_FULL -> s.reply(Numeric.ERR_CHANNELISFULL, channel, "Cannot join channel (+l)");
            case INVITE_ONLY -> s.reply(Numeric.ERR_INVITEONLYCHAN, channel, "Cannot join channel (+i)");
            case BAD_KEY -> s.reply(Numeric.ERR_BADCHANNELKEY, channel, "Cannot join channel (+k)");
            default -> s.reply(Numeric.ERR_NOSUCHCHANNEL, channel, "No such channel");
        }
    }

    /** 332 and 333 for a room with a topic; 331 for one without, when asked ({@code always}). */
    private static void topic(IrcSession s, Room room, boolean always) {
        if (!room.topic().isEmpty()) {
            s.reply(Numeric.RPL_TOPIC, room.name(), room.topic());
            s.replyParams(Numeric.RPL_TOPICWHOTIME,
                    List.of(room.name(), room.topicSetBy(), String.valueOf(room.topicSetAt())), false);
        } else if (always) {
            s.reply(Numeric.RPL_NOTOPIC, room.name(), "No topic is set");
        }
    }

    /** The prefixes a member has in a room: {@code @}, {@code +}, both with multi-prefix, or none. */
    static String prefixes(IrcSession s, Room room, User member) {
        boolean op = room.isOperator(member);
        boolean voice = room.hasVoice(member);
        if (op && voice && s.has(Cap.MULTI_PREFIX)) {
            return "@+";
        }
        return op ? "@" : voice ? "+" : "";
    }

    private static void part(IrcSession s, IrcMessage m) {
        String reason = m.param(1) == null ? "" : m.param(1);
        for (String channel : m.param(0).split(",")) {
            if (!channel.isEmpty()) {
                partOne(s, channel, reason);
            }
        }
    }

    private static void partOne(IrcSession s, String channel, String reason) {
        if (s.core().room(channel) == null) {
            s.reply(Numeric.ERR_NOSUCHCHANNEL, channel, "No such channel");
            return;
        }
        try {
            s.core().part(s.user(), channel, reason);
        } catch (ChatException e) {
            s.reply(Numeric.ERR_NOTONCHANNEL, channel, "You're not on that channel");
        }
    }

    private static void message(IrcSession s, IrcMessage m, MessageKind kind) {
        boolean notice = kind == MessageKind.NOTICE;
        if (m.params().isEmpty() || m.param(0).isEmpty()) {
            if (!notice) {
                s.reply(Numeric.ERR_NORECIPIENT, "No recipient given (" + m.command() + ")");
            }
            return;
        }
        String text = m.param(1);
        if (text == null || text.isEmpty()) {
            if (!notice) {
                s.reply(Numeric.ERR_NOTEXTTOSEND, "No text to send");
            }
            return;
        }
        MessageKind sent = kind;
        if (!notice && text.length() > 8 && text.startsWith("\u0001ACTION ") && text.endsWith("\u0001")) {
            sent = MessageKind.ACTION; // CTCP ACTION: a /me, for native users too
            text = text.substring(8, text.length() - 1);
        }
        String[] targets = m.param(0).split(",");
        for (int i = 0; i < targets.length && i < MAX_TARGETS; i++) {
            messageOne(s, m, targets[i], text, sent);
        }
    }

    private static void messageOne(IrcSession s, IrcMessage m, String target, String text, MessageKind kind) {
        boolean notice = kind == MessageKind.NOTICE;
        ChatCore core = s.core();
        try {
            String shownTarget;
            if (target.startsWith("#")) {
                shownTarget = core.say(s.user(), target, text, kind);
            } else {
                shownTarget = core.sendPrivate(s.user(), target, text, kind);
                User addressee = core.user(target);
                if (!notice && addressee != null && addressee.away() != null) {
                    s.reply(Numeric.RPL_AWAY, shownTarget, addressee.away());
                }
            }
            if (s.has(Cap.ECHO_MESSAGE)) {
                String body = kind == MessageKind.ACTION ? "\u0001ACTION " + text + "\u0001" : text;
                s.send(new IrcMessage(Map.of(), IrcDialect.prefix(s.user().nick(), s.user()), m.command(),
                        List.of(shownTarget, body)).toLine(true));
            }
        } catch (ChatException e) {
            if (notice) {
                return; // NOTICE is never answered with an error
            }
            switch (e.error()) {
                case NO_SUCH_NICK -> s.reply(Numeric.ERR_NOSUCHNICK, target, "No such nick/channel");
                case CANNOT_SEND -> s.reply(Numeric.ERR_CANNOTSENDTOCHAN, target, "Cannot send to channel");
                case NOT_IN_ROOM -> {
                    if (core.room(target) == null) {
                        s.reply(Numeric.ERR_NOSUCHCHANNEL, target, "No such channel");
                    } else {
                        s.reply(Numeric.ERR_CANNOTSENDTOCHAN, target, "Cannot send to channel");
                    }
                }
                default -> s.reply(Numeric.ERR_NOSUCHNICK, target, "No such nick/channel");
            }
        }
    }

    private static void names(IrcSession s, IrcMessage m) {
        if (m.params().isEmpty()) {
            s.reply(Numeric.RPL_ENDOFNAMES, "*", "End of /NAMES list");
            return;
        }
        for (String channel : m.param(0).split(",")) {
            names(s, channel);
        }
    }

    /** 353 lines and the 366 that ends them; a channel that does not exist has no names. */
    static void names(IrcSession s, String channel) {
        Room room = s.core().room(channel);
        if (room != null) {
            List<String> line = new ArrayList<>();
            for (User member : room.members()) {
                line.add(prefixes(s, room, member)
                        + (s.has(Cap.USERHOST_IN_NAMES) ? IrcDialect.prefix(member.nick(), member) : member.nick()));
                if (line.size() == NAMES_PER_LINE) {
                    s.reply(Numeric.RPL_NAMREPLY, room.hasFlag('s') ? "@" : "=", room.name(), String.join(" ", line));
                    line.clear();
                }
            }
            if (!line.isEmpty()) {
                s.reply(Numeric.RPL_NAMREPLY, room.hasFlag('s') ? "@" : "=", room.name(), String.join(" ", line));
            }
        }
        s.reply(Numeric.RPL_ENDOFNAMES, room == null ? channel : room.name(), "End of /NAMES list");
    }

    private static void topic(IrcSession s, IrcMessage m) {
        Room room = s.core().room(m.param(0));
        if (room == null) {
            s.reply(Numeric.ERR_NOSUCHCHANNEL, m.param(0), "No such channel");
        } else if (m.param(1) == null) {
            if (room.hasFlag('s') && !s.user().isIn(room)) {
                s.reply(Numeric.ERR_NOTONCHANNEL, room.name(), "You're not on that channel");
            } else {
                topic(s, room, true);
            }
        } else {
            try {
                s.core().setTopic(s.user(), room.name(), m.param(1)); // TOPIC comes back as an event
            } catch (ChatException e) {
                channelRefused(s, room.name(), e);
            }
        }
    }

    private static void kick(IrcSession s, IrcMessage m) {
        String reason = m.param(2) == null ? "" : m.param(2);
        for (String nick : m.param(1).split(",")) {
            if (nick.isEmpty()) {
                continue;
            }
            try {
                s.core().kick(s.user(), m.param(0), nick, reason);
            } catch (ChatException e) {
                channelRefused(s, m.param(0), e);
            }
        }
    }

    private static void invite(IrcSession s, IrcMessage m) {
        try {
            String invited = s.core().invite(s.user(), m.param(0), m.param(1));
            s.reply(Numeric.RPL_INVITING, invited, s.core().room(m.param(1)).name());
        } catch (ChatException e) {
            channelRefused(s, m.param(1), e);
        }
    }

    /** The numeric for a channel operation the core refused. */
    private static void channelRefused(IrcSession s, String channel, ChatException e) {
        switch (e.error()) {
            case NO_SUCH_ROOM -> s.reply(Numeric.ERR_NOSUCHCHANNEL, channel, "No such channel");
            case NOT_IN_ROOM -> s.reply(Numeric.ERR_NOTONCHANNEL, channel, "You're not on that channel");
            case NOT_OPERATOR -> s.reply(Numeric.ERR_CHANOPRIVSNEEDED, channel, "You're not channel operator");
            case NO_SUCH_NICK -> s.reply(Numeric.ERR_NOSUCHNICK, e.subject(), "No such nick/channel");
            case USER_NOT_IN_ROOM -> s.reply(Numeric.ERR_USERNOTINCHANNEL, e.subject(), channel,
                    "They aren't on that channel");
            case ALREADY_IN_ROOM -> s.reply(Numeric.ERR_USERONCHANNEL, e.subject(), channel, "is already on channel");
            case UNKNOWN_MODE -> s.reply(Numeric.ERR_UNKNOWNMODE, e.subject(), "is unknown mode char to me");
            case INVALID_MODE_PARAM -> s.reply(Numeric.ERR_INVALIDMODEPARAM, channel, e.subject(), "*",
                    "Invalid mode parameter");
            default -> s.reply(Numeric.ERR_NOSUCHCHANNEL, channel, "No such channel");
        }
    }

    private static void who(IrcSession s, IrcMessage m) {
        String mask = m.param(0) == null ? "*" : m.param(0);
        if (mask.startsWith("#")) {
            Room room = s.core().room(mask);
            if (room != null) {
                for (User member : room.members()) {
                    whoReply(s, room.name(), member);
                }
            }
        } else {
            User user = s.core().user(mask);
            if (user != null) {
                List<String> rooms = s.core().roomsOf(user);
                whoReply(s, rooms.isEmpty() ? "*" : rooms.get(0), user);
            }
        }
        s.reply(Numeric.RPL_ENDOFWHO, mask, "End of WHO list");
    }

    private static void whoReply(IrcSession s, String channel, User user) {
        Room room = s.core().room(channel);
        String flags = (user.away() != null ? "G" : "H") + (room == null ? "" : prefixes(s, room, user));
        s.reply(Numeric.RPL_WHOREPLY, channel, user.identity().username(), user.identity().host(),
                s.dialect().serverName(), user.nick(), flags, "0 " + realname(user));
    }

    private static String realname(User user) {
        String real = user.identity().realname();
        return real == null || real.isEmpty() ? user.nick() : real;
    }

    private static void whois(IrcSession s, IrcMessage m) {
        String nick = m.param(m.params().size() >= 2 ? 1 : 0);
        User user = s.core().user(nick);
        if (user == null) {
            s.reply(Numeric.ERR_NOSUCHNICK, nick, "No such nick/channel");
        } else {
            s.reply(Numeric.RPL_WHOISUSER, user.nick(), user.identity().username(), user.identity().host(), "*",
                    realname(user));
            List<String> rooms = new ArrayList<>();
            for (String name : s.core().roomsOf(user)) {
                Room room = s.core().room(name);
                if (room != null && (!room.hasFlag('s') || s.user().isIn(room))) {
                    rooms.add(prefixes(s, room, user) + room.name());
                }
            }
            if (!rooms.isEmpty()) {
                s.reply(Numeric.RPL_WHOISCHANNELS, user.nick(), String.join(" ", rooms));
            }
            s.reply(Numeric.RPL_WHOISSERVER, user.nick(), s.dialect().serverName(), s.dialect().network());
            if (user.away() != null) {
                s.reply(Numeric.RPL_AWAY, user.nick(), user.away());
            }
        }
        s.reply(Numeric.RPL_ENDOFWHOIS, user == null ? nick : user.nick(), "End of /WHOIS list");
    }

    private static void mode(IrcSession s, IrcMessage m) {
        String target = m.param(0);
        if (target.startsWith("#")) {
            Room room = s.core().room(target);
            if (room == null) {
                s.reply(Numeric.ERR_NOSUCHCHANNEL, target, "No such channel");
            } else if (m.param(1) == null) {
                s.replyParams(Numeric.RPL_CHANNELMODEIS, channelModeParams(room, s.user().isIn(room)), false);
                s.replyParams(Numeric.RPL_CREATIONTIME, List.of(room.name(), String.valueOf(room.createdAt())), false);
            } else {
                channelModes(s, room, m.params().subList(1, m.params().size()));
            }        } else if (s.core().user(target) == null) {
            s.reply(Numeric.ERR_NOSUCHNICK, target, "No such nick/channel");
        } else if (s.core().user(target) != s.user()) {
            s.reply(Numeric.ERR_USERSDONTMATCH, "Can't change mode for other users");
        } else if (m.param(1) == null) {
            s.reply(Numeric.RPL_UMODEIS, s.invisible() ? "+i" : "+");
        } else {
            userModes(s, m.param(1));
        }
    }

    private static List<String> channelModeParams(Room room, boolean withKey) {
        List<String> params = new ArrayList<>();
        params.add(room.name());
        params.addAll(List.of(room.modeString(withKey).split(" ")));
        return params;
    }

    /**
     * A channel MODE with arguments: list queries ({@code b}, {@code e}, {@code I} without a
     * mask) are answered; every other letter is a change for the core, which an operator may
     * make. A letter that needs an argument and has none is skipped, as IRC servers do.
     */
    private static void channelModes(IrcSession s, Room room, List<String> args) {
        String letters = args.get(0);
        int nextArg = 1;
        boolean adding = true;
        List<chat.server.core.ModeChange> changes = new ArrayList<>();
        for (char c : letters.toCharArray()) {
            if (c == '+' || c == '-') {
                adding = c == '+';
                continue;
            }
            boolean list = chat.server.core.ModeChange.LISTS.indexOf(c) >= 0;
            if (list && nextArg >= args.size()) {
                listReply(s, room, c);
                continue;
            }
            String param = null;
            if (chat.server.core.ModeChange.takesParam(c, adding)) {
                if (nextArg >= args.size()) {
                    if (c == 'k' && !adding) {
                        param = "*";
                    } else {
                        continue;
                    }
                } else {
                    param = args.get(nextArg++);
                }
            }
            changes.add(new chat.server.core.ModeChange(adding, c, param));
        }
        if (changes.isEmpty()) {
            return;
        }
        try {
            ChatCore.ModeResult result = s.core().changeModes(s.user(), room.name(), changes);
            for (ChatException refusal : result.refused()) {
                channelRefused(s, room.name(), refusal);
            }
        } catch (ChatException e) {
            channelRefused(s, room.name(), e);
        }
    }

    /** 367/368, 348/349 or 346/347: the masks of one list mode. */
    private static void listReply(IrcSession s, Room room, char letter) {
        String item = letter == 'b' ? Numeric.RPL_BANLIST : letter == 'e' ? Numeric.RPL_EXCEPTLIST : Numeric.RPL_INVITELIST;
        String end = letter == 'b' ? Numeric.RPL_ENDOFBANLIST
                : letter == 'e' ? Numeric.RPL_ENDOFEXCEPTLIST : Numeric.RPL_ENDOFINVITELIST;
        String what = letter == 'b' ? "ban" : letter == 'e' ? "exception" : "invite exception";
        for (String mask : room.list(letter)) {
            s.replyParams(item, List.of(room.name(), mask), false);
        }
        s.reply(end, room.name(), "End of channel " + what + " list");
    }

    /**
     * Changes to the client's own modes: only {@code i} (invisible) is known, and it changes
     * nothing else here (WHO and NAMES list members whatever it is), but clients set it on
     * connect and expect it to stick. The change is echoed as MODE; an unknown flag gets 501.
     */
    private static void userModes(IrcSession s, String modes) {
        boolean adding = true;
        boolean unknown = false;
        StringBuilder applied = new StringBuilder();
        char appliedSign = 0;
        for (char c : modes.toCharArray()) {
            if (c == '+' || c == '-') {
                adding = c == '+';
            } else if (c == 'i') {
                if (s.invisible() != adding) {
                    s.invisible(adding);
                    char sign = adding ? '+' : '-';
                    if (sign != appliedSign) {
                        applied.append(sign);
                        appliedSign = sign;
                    }
                    applied.append('i');
                }
            } else {
                unknown = true;
            }
        }
        if (applied.length() > 0) {
            s.send(new IrcMessage(Map.of(), IrcDialect.prefix(s.user().nick(), s.user()), "MODE",
                    List.of(s.user().nick(), applied.toString())).toLine(true));
        }
        if (unknown) {
            s.reply(Numeric.ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag");
        }
    }

    private static void list(IrcSession s, IrcMessage m) {
        s.reply(Numeric.RPL_LISTSTART, "Channel", "Users  Name");
        for (ChatCore.RoomSummary room : s.core().rooms()) {
            s.reply(Numeric.RPL_LIST, room.name(), String.valueOf(room.members()), "");
        }
        s.reply(Numeric.RPL_LISTEND, "End of /LIST");
    }

    private static void ison(IrcSession s, IrcMessage m) {
        List<String> online = new ArrayList<>();
        for (String param : m.params()) {
            for (String nick : param.split(" ")) {
                User user = nick.isEmpty() ? null : s.core().user(nick);
                if (user != null) {
                    online.add(user.nick());
                }
            }
        }
        s.reply(Numeric.RPL_ISON, String.join(" ", online));
    }

    private static void userhost(IrcSession s, IrcMessage m) {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < m.params().size() && i < 5; i++) {
            User user = s.core().user(m.param(i));
            if (user != null) {
                String here = user.away() != null ? "-" : "+";
                replies.add(user.nick() + "=" + here + user.identity().username() + "@" + user.identity().host());
            }
        }
        s.reply(Numeric.RPL_USERHOST, String.join(" ", replies));
    }

    private static void away(IrcSession s, IrcMessage m) {
        String message = m.param(0);
        s.core().setAway(s.user(), message);
        if (s.user().away() == null) {
            s.reply(Numeric.RPL_UNAWAY, "You are no longer marked as being away");
        } else {
            s.reply(Numeric.RPL_NOWAWAY, "You have been marked as being away");
        }
    }

    // ---- server ----

    static void lusers(IrcSession s) {
        int users = s.core().userCount();
        int rooms = s.core().rooms().size();
        s.reply(Numeric.RPL_LUSERCLIENT, "There are " + users + " users and 0 invisible on 1 servers");
        s.reply(Numeric.RPL_LUSERCHANNELS, String.valueOf(rooms), "channels formed");
        s.reply(Numeric.RPL_LUSERME, "I have " + users + " clients and 0 servers");
        s.reply(Numeric.RPL_LOCALUSERS, String.valueOf(users), String.valueOf(users),
                "Current local users " + users + ", max " + users);
        s.reply(Numeric.RPL_GLOBALUSERS, String.valueOf(users), String.valueOf(users),
                "Current global users " + users + ", max " + users);
    }

    static void motd(IrcSession s) {
        List<String> motd = s.dialect().motd();
        if (motd.isEmpty()) {
            s.reply(Numeric.ERR_NOMOTD, "MOTD File is missing");
            return;
        }
        s.reply(Numeric.RPL_MOTDSTART, "- " + s.dialect().serverName() + " Message of the day - ");
        for (String line : motd) {
            s.reply(Numeric.RPL_MOTD, "- " + line);
        }
        s.reply(Numeric.RPL_ENDOFMOTD, "End of /MOTD command.");
    }

    private static void version(IrcSession s, IrcMessage m) {
        s.reply(Numeric.RPL_VERSION, IrcSession.VERSION, s.dialect().serverName(), "");
        for (List<String> tokens : Isupport.lines(s.dialect())) {
            List<String> params = new ArrayList<>(tokens);
            params.add("are supported by this server");
            s.replyParams(Numeric.RPL_ISUPPORT, params, true);
        }
    }

    private static void time(IrcSession s, IrcMessage m) {
        s.reply(Numeric.RPL_TIME, s.dialect().serverName(),
                ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)));
    }

    private static void info(IrcSession s, IrcMessage m) {
        s.reply(Numeric.RPL_INFO, IrcSession.VERSION + ": a chat server that speaks IRC and plain lines");
        s.reply(Numeric.RPL_ENDOFINFO, "End of /INFO list");
    }
}
