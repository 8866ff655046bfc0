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
            Map.entry("TAGMSG", new Command(1, true, (s, m) -> message(s, m, MessageKind.TAGMSG))),
            Map.entry("NAMES", new Command(0, true, IrcCommands::names)),
            Map.entry("TOPIC", new Command(1, true, IrcCommands::topic)),
            Map.entry("KICK", new Command(2, true, IrcCommands::kick)),
            Map.entry("INVITE", new Command(2, true, IrcCommands::invite)),
            Map.entry("WHO", new Command(0, true, IrcCommands::who)),
            Map.entry("WHOIS", new Command(1, true, IrcCommands::whois)),
            Map.entry("WHOWAS", new Command(0, true, IrcCommands::whowas)),
            Map.entry("OPER", new Command(2, true, IrcCommands::oper)),
            Map.entry("MONITOR", new Command(1, true, IrcCommands::monitor)),
            Map.entry("HELP", new Command(0, true, IrcCommands::help)),
            Map.entry("SETNAME", new Command(1, true, (s, m) -> s.core().setRealname(s.user(), m.param(0)))),
            Map.entry("KILL", new Command(1, true, IrcCommands::kill)),
            Map.entry("WALLOPS", new Command(1, true, IrcCommands::wallops)),
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
        } else if (m.param(0).isEmpty() || m.param(3).isEmpty()) {
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
        String text = kind == MessageKind.TAGMSG ? "" : m.param(1);
        if (kind != MessageKind.TAGMSG && (text == null || text.isEmpty())) {
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
        boolean notice = kind == MessageKind.NOTICE || kind == MessageKind.TAGMSG;
        ChatCore core = s.core();
        Map<String, String> tags = s.has(Cap.MESSAGE_TAGS) ? clientTags(m) : Map.of();
        try {
            chat.server.core.ChatEvent sent;
            if (target.startsWith("#")) {
                sent = core.say(s.user(), target, text, kind, tags);
            } else {
                chat.server.core.ChatEvent.PrivateMessage message = core.sendPrivate(s.user(), target, text, kind, tags);
                sent = message;
                User addressee = core.user(target);
                if (!notice && addressee != null && addressee.away() != null) {
                    s.reply(Numeric.RPL_AWAY, message.to(), addressee.away());
                }
            }
            if (s.has(Cap.ECHO_MESSAGE)) {
                s.echo(sent); // the same line, time and msgid as everyone else got
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

    /** The tags a client may relay to others: client-only ones, {@code +name}. */
    private static Map<String, String> clientTags(IrcMessage m) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> tag : m.tags().entrySet()) {
            if (tag.getKey().startsWith("+")) {
                tags.put(tag.getKey(), tag.getValue());
            }
        }
        return tags;
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

    /** {@code KICK #a nick,nick} or, pairwise, {@code KICK #a,#b nick1,nick2}; one KICK line each. */
    private static void kick(IrcSession s, IrcMessage m) {
        String reason = m.param(2) == null ? "" : m.param(2);
        String[] channels = m.param(0).split(",");
        String[] nicks = m.param(1).split(",");
        if (channels.length != 1 && channels.length != nicks.length) {
            s.reply(Numeric.ERR_NEEDMOREPARAMS, "KICK", "Not enough parameters");
            return;
        }
        for (int i = 0; i < nicks.length; i++) {
            String channel = channels.length == 1 ? channels[0] : channels[i];
            if (nicks[i].isEmpty()) {
                continue;
            }
            try {
                s.core().kick(s.user(), channel, nicks[i], reason);
            } catch (ChatException e) {
                channelRefused(s, channel, e);
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
        String whox = m.param(1) != null && m.param(1).startsWith("%") ? m.param(1).substring(1) : null;
        if (mask.startsWith("#")) {
            Room room = s.core().room(mask);
            boolean inside = room != null && s.user().isIn(room);
            if (room != null && (inside || !room.hasFlag('s'))) { // a secret channel shows outsiders nothing
                for (User member : room.members()) {
                    if (inside || !isInvisible(member)) { // nor are its invisible members theirs to see
                        whoReply(s, room.name(), member, whox);
                    }
                }
            }
        } else {
            User exact = s.core().user(mask);
            List<User> found = exact != null ? List.of(exact) : s.core().usersMatching(mask.equals("0") ? "*" : mask);
            for (User user : found) {
                if (user != exact && invisibleTo(s, user)) {
                    continue;
                }
                whoReply(s, firstVisibleRoom(s, user), user, whox);
            }
        }
        s.reply(Numeric.RPL_ENDOFWHO, mask, "End of WHO list");
    }

    /** The channel a WHO reply names for a user: its first one the asker may know of, or {@code *}. */
    private static String firstVisibleRoom(IrcSession s, User user) {
        for (Room room : user.rooms()) {
            if (!room.hasFlag('s') || s.user().isIn(room)) {
                return room.name();
            }
        }
        return "*";
    }

    /** True for a user with mode +i. */
    private static boolean isInvisible(User user) {
        IrcSession session = user.recipient(IrcSession.class);
        return session != null && session.invisible();
    }

    /** An invisible (+i) user is found by a WHO mask only by itself and by who shares a channel with it. */
    private static boolean invisibleTo(IrcSession s, User user) {
        if (!isInvisible(user) || user == s.user()) {
            return false;
        }
        for (Room room : user.rooms()) {
            if (s.user().isIn(room)) {
                return false;
            }
        }
        return true;
    }

    /** One 352, or with {@code whox} (the WHOX fields and token, or null) one 354. */
    private static void whoReply(IrcSession s, String channel, User user, String whox) {
        Room room = s.core().room(channel);
        String flags = (user.away() != null ? "G" : "H") + (user.isServerOperator() ? "*" : "")
                + (room == null ? "" : prefixes(s, room, user)) + (user.isBot() ? "B" : "");
        if (whox == null) {
            s.reply(Numeric.RPL_WHOREPLY, channel, user.identity().username(), user.identity().host(),
                    s.dialect().serverName(), user.nick(), flags, "0 " + realname(user));
            return;
        }
        // WHOX (IRCv3): the fields asked for, always in the order tcuihsnfdlaor, and a token.
        int comma = whox.indexOf(',');
        String fields = comma < 0 ? whox : whox.substring(0, comma);
        String token = comma < 0 ? "0" : whox.substring(comma + 1);
        List<String> params = new ArrayList<>();
        for (char field : "tcuihsnfdlaor".toCharArray()) {
            if (fields.indexOf(field) < 0) {
                continue;
            }
            params.add(switch (field) {
                case 't' -> token;
                case 'c' -> channel;
                case 'u' -> user.identity().username();
                case 'i', 'h' -> user.identity().host();
                case 's' -> s.dialect().serverName();
                case 'n' -> user.nick();
                case 'f' -> flags;
                case 'd' -> "0";
                case 'l' -> "0";
                case 'a' -> "0";
                case 'o' -> "n/a";
                default -> realname(user);
            });
        }
        s.replyParams(Numeric.RPL_WHOSPCRPL, params, fields.indexOf('r') >= 0);
    }

    /** MONITOR + nicks, - nicks, C, L, S (IRCv3). */
    private static void monitor(IrcSession s, IrcMessage m) {
        String sub = m.param(0);
        String targets = m.param(1) == null ? "" : m.param(1);
        switch (sub) {
            case "+" -> {
                List<String> nicks = List.of(targets.split(","));
                for (int i = 0; i < nicks.size(); i++) {
                    String nick = nicks.get(i);
                    if (nick.isEmpty() || nick.indexOf('!') >= 0 || nick.indexOf('@') >= 0 || nick.indexOf('*') >= 0) {
                        continue; // nicks only, never masks
                    }
                    if (!s.core().monitor(s.user(), nick)) {
                        s.reply(Numeric.ERR_MONLISTFULL, String.valueOf(ChatCore.MAX_MONITORED),
                                String.join(",", nicks.subList(i, nicks.size())), "Monitor list is full.");
                        return;
                    }
                }
            }
            case "-" -> {
                for (String nick : targets.split(",")) {
                    s.core().unmonitor(s.user(), nick);
                }
            }
            case "C", "c" -> s.core().clearMonitor(s.user());
            case "L", "l" -> {
                List<String> nicks = s.core().monitored(s.user());
                if (!nicks.isEmpty()) {
                    s.reply(Numeric.RPL_MONLIST, String.join(",", nicks));
                }
                s.reply(Numeric.RPL_ENDOFMONLIST, "End of MONITOR list");
            }
            case "S", "s" -> {
                List<String> online = new ArrayList<>();
                List<String> offline = new ArrayList<>();
                for (String key : s.core().monitored(s.user())) {
                    User user = s.core().user(key);
                    if (user != null) {
                        online.add(IrcDialect.prefix(user.nick(), user));
                    } else {
                        offline.add(key);
                    }
                }
                if (!online.isEmpty()) {
                    s.reply(Numeric.RPL_MONONLINE, String.join(",", online));
                }
                if (!offline.isEmpty()) {
                    s.reply(Numeric.RPL_MONOFFLINE, String.join(",", offline));
                }
            }
            default -> s.reply(Numeric.ERR_UNKNOWNCOMMAND, "MONITOR", "Unknown MONITOR subcommand");
        }
    }

    /** What HELP knows: a topic per command, the command table's names. */
    private static void help(IrcSession s, IrcMessage m) {
        String topic = m.param(0) == null || m.param(0).isEmpty() ? "*" : m.param(0).toUpperCase(Locale.ROOT);
        if (!topic.equals("*") && !COMMANDS.containsKey(topic)) {
            s.reply(Numeric.ERR_HELPNOTFOUND, topic, "No help available on this topic");
            return;
        }
        if (topic.equals("*")) {
            s.reply(Numeric.RPL_HELPSTART, topic, "This server speaks IRC and plain lines, on one port.");
            s.reply(Numeric.RPL_HELPTXT, topic, "Commands: " + String.join(" ", new java.util.TreeSet<>(COMMANDS.keySet())));
            s.reply(Numeric.RPL_HELPTXT, topic, "HELP <command> tells more; docs/protocol.md tells all.");
        } else {
            Command command = COMMANDS.get(topic);
            s.reply(Numeric.RPL_HELPSTART, topic, topic + ": takes at least " + command.minParams() + " parameter(s)"
                    + (command.needsRegistration() ? ", after registration" : ""));
            s.reply(Numeric.RPL_HELPTXT, topic, "See docs/protocol.md, \"IRC\", for its replies.");
        }
        s.reply(Numeric.RPL_ENDOFHELP, topic, "End of /HELP");
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
            if (user.isServerOperator()) {
                s.reply(Numeric.RPL_WHOISOPERATOR, user.nick(), "is an IRC operator");
            }
            if (user.isBot()) {
                s.reply(Numeric.RPL_WHOISBOT, user.nick(), "is a bot on " + s.dialect().network());
            }
            if (user.away() != null) {
                s.reply(Numeric.RPL_AWAY, user.nick(), user.away());
            }
        }
        s.reply(Numeric.RPL_ENDOFWHOIS, user == null ? nick : user.nick(), "End of /WHOIS list");
    }

    /** Who had a nick: 314 and 312 per entry, newest first, or 406; then 369. */
    private static void whowas(IrcSession s, IrcMessage m) {
        String nick = m.param(0);
        if (nick == null || nick.isEmpty()) {
            s.reply(Numeric.ERR_NONICKNAMEGIVEN, "No nickname given");
            return;
        }
        int count = 0;
        try {
            count = m.param(1) == null ? 0 : Integer.parseInt(m.param(1));
        } catch (NumberFormatException e) {
            count = 0; // not a number: all of them, as for 0 and negative counts
        }
        List<chat.server.core.Departure> found = s.core().whowas(nick, count);
        if (found.isEmpty()) {
            s.reply(Numeric.ERR_WASNOSUCHNICK, nick, "There was no such nickname");
        }
        for (chat.server.core.Departure d : found) {
            String real = d.identity().realname() == null || d.identity().realname().isEmpty()
                    ? d.nick() : d.identity().realname();
            s.reply(Numeric.RPL_WHOWASUSER, d.nick(), d.identity().username(), d.identity().host(), "*", real);
            s.reply(Numeric.RPL_WHOISSERVER, d.nick(), s.dialect().serverName(),
                    java.time.Instant.ofEpochMilli(d.leftAt()).toString());
        }
        s.reply(Numeric.RPL_ENDOFWHOWAS, nick, "End of WHOWAS");
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
            s.reply(Numeric.RPL_UMODEIS, "+" + (s.user().isBot() ? "B" : "") + (s.invisible() ? "i" : "")
                    + (s.user().isServerOperator() ? "o" : "") + (s.user().wantsWallops() ? "w" : ""));
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
     * Changes to the client's own modes: {@code i} (invisible: WHO of a mask skips it unless it
     * shares a channel), which clients set on connect, and {@code w} (receive WALLOPS). The
     * change is echoed as MODE; an unknown flag gets 501.
     */
    private static void userModes(IrcSession s, String modes) {
        boolean adding = true;
        boolean unknown = false;
        StringBuilder applied = new StringBuilder();
        char appliedSign = 0;
        for (char c : modes.toCharArray()) {
            boolean changed;
            if (c == '+' || c == '-') {
                adding = c == '+';
                continue;
            } else if (c == 'i') {
                changed = s.invisible() != adding;
                s.invisible(adding);
            } else if (c == 'w') {
                changed = s.user().wantsWallops() != adding;
                s.core().setWallops(s.user(), adding);
            } else if (c == 'B') {
                changed = s.user().isBot() != adding;
                s.core().setBot(s.user(), adding);
            } else {
                unknown = true; // o is given by OPER, never by MODE
                continue;
            }
            if (changed) {
                char sign = adding ? '+' : '-';
                if (sign != appliedSign) {
                    applied.append(sign);
                    appliedSign = sign;
                }
                applied.append(c);
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
        for (ChatCore.RoomSummary summary : s.core().rooms()) {
            Room room = s.core().room(summary.name());
            if (room != null && room.hasFlag('s') && !s.user().isIn(room)) {
                continue; // secret: only its members see it
            }
            s.reply(Numeric.RPL_LIST, summary.name(), String.valueOf(summary.members()),
                    room == null ? "" : room.topic());
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

    // ---- server operators ----

    /**
     * The password is checked off the loop; the client's later lines wait for the answer, so
     * they are answered after it, in order.
     */
    private static void oper(IrcSession s, IrcMessage m) {
        chat.server.auth.PasswordChecker operators = s.dialect().operators();
        if (operators == null || !operators.hasOperators()) {
            s.reply(Numeric.ERR_NOOPERHOST, "No O-lines for your host");
            return;
        }
        s.awaitAnswer();
        operators.check(m.param(0), m.param(1), ok -> {
            if (!s.connection().isOpen()) {
                return;
            }
            s.answer(() -> {
                if (ok) {
                    s.core().makeServerOperator(s.user());
                    s.reply(Numeric.RPL_YOUREOPER, "You are now an IRC operator");
                    s.send(new IrcMessage(Map.of(), s.user().nick(), "MODE", List.of(s.user().nick(), "+o")).toLine(true));
                } else {
                    s.reply(Numeric.ERR_PASSWDMISMATCH, "Password incorrect");
                }
            });
        });
    }

    private static void kill(IrcSession s, IrcMessage m) {
        String reason = m.param(1) == null || m.param(1).isEmpty() ? "no reason given" : m.param(1);
        try {
            s.core().kill(s.user(), m.param(0), reason);
        } catch (ChatException e) {
            if (e.error() == ChatError.NO_SUCH_NICK) {
                s.reply(Numeric.ERR_NOSUCHNICK, m.param(0), "No such nick/channel");
            } else {
                s.reply(Numeric.ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
            }
        }
    }

    private static void wallops(IrcSession s, IrcMessage m) {
        try {
            s.core().wallops(s.user(), m.param(0));
        } catch (ChatException e) {
            s.reply(Numeric.ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
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
