package chat.server.text;

import chat.common.ChatCharsets;
import chat.common.TextCodec;
import chat.server.core.Audience;
import chat.server.core.ChatCore;
import chat.server.core.ChatError;
import chat.server.core.ChatException;
import chat.server.core.ModeChange;
import chat.server.core.Room;
import chat.server.core.User;
import chat.server.core.MessageKind;
import chat.server.core.Names;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;

/**
 * The native dialect's slash-commands: splits a command line into its name and arguments and
 * calls the core. Replies and errors go back to the issuing session only.
 *
 * <p>Loop thread only; made for one command line of one {@link LineSession}.
 */
final class LineCommands {

    /** Words of a command's arguments: one pattern, not one compiled per command line. */
    private static final java.util.regex.Pattern WORDS = java.util.regex.Pattern.compile(" +");

    /** The {@code /help} text, one line per command. */
    static final List<String> HELP = List.of(
            "commands:",
            "/nick NAME          change your nickname (1-32 letters, digits, _-[]\\`^{}|)",
            "/join ROOM [KEY]    join a room and talk there (the # is optional)",
            "/part [ROOM]        leave a room (default: the current one)",
            "/msg NICK TEXT      send a private message (/msg @#ROOM TEXT: to a room's operators)",
            "/me TEXT            act in the current room",
            "/who [ROOM]         list the members of a room (default: the current one)",
            "/rooms              list the rooms",
            "/charset [NAME]     show or set the charset of your connection (UTF-8, GBK, GB18030, Big5...)",
            "/away [MESSAGE]     mark yourself away, or back without a message",
            "/whois NICK         who someone is: address, rooms, away",
            "/topic [TEXT]       show or set the current room's topic",
            "/invite NICK [ROOM] invite someone to a room (default: the current one)",
            "/history [#ROOM|NICK] [N]  earlier messages of a room or a private conversation; again for more",
            "/history #ROOM|NICK after ID  what was said after a message (its id: /ids on)",
            "/resume #ROOM|NICK ID  join a room, or open a conversation, with what was said after ID",
            "/ids on|off         message ids on message lines, and your own messages echoed",
            "/register PASSWORD  register your nick: nobody else can take it, messages wait for you while away",
            "/login NICK PASSWORD  log in to your account and take its nick (/identify too); /logout",
            "/password OLD NEW   change your password; /unregister PASSWORD removes your account",
            "/room register #ROOM  keep a room you operate, logged in: topic, modes, bans and the accounts you /op",
            "/room info #ROOM    who founded a registered room, when, its operators; /room drop #ROOM (founder)",
            "operators of the current room:",
            "/kick NICK [REASON] put someone out of the room",
            "/ban MASK|NICK      ban (nick!user@host, * and ? allowed); /unban MASK lifts it",
            "/op NICK, /deop NICK, /voice NICK, /devoice NICK   give or take operator or voice",
            "/mode [+-MODES [ARGS]]  show or change modes: i invite-only, m moderated, n no outside messages,",
            "                    s secret, t topic by operators, k KEY, l LIMIT, b/e/I MASK, o/v NICK",
            "/oper NAME PASSWORD become a server operator; /stats: the server's figures (operators)",
            "/ready              (after setup lines) the welcome at once, without waiting out the 0.3 s",
            "/quit [REASON]      leave the server",
            "/help               this list",
            "a line that is not a command goes to the current room; start it with // to send a /");

    private final LineSession session;
    /** True while replaying the setup lines sent before the welcome, which needs no "now talking". */
    private final boolean setup;

    LineCommands(LineSession session) {
        this(session, false);
    }

    LineCommands(LineSession session, boolean setup) {
        this.session = session;
        this.setup = setup;
    }

    /** Runs one line that starts with {@code /}. */
    void execute(String line) {
        int space = line.indexOf(' ');
        String name = (space < 0 ? line.substring(1) : line.substring(1, space)).toLowerCase(Locale.ROOT);
        String args = space < 0 ? "" : line.substring(space + 1).strip();
        try {
            switch (name) {
                case "nick" -> nick(args);
                case "join" -> join(args);
                case "part", "leave" -> part(args);
                case "msg" -> msg(args);
                case "me" -> me(args);
                case "who", "names" -> who(args);
                case "rooms", "list" -> rooms(args);
                case "quit", "exit" -> session.quit(args);
                case "help" -> help();
                case "ready" -> { } // ends the setup lines; once the session has started, it says nothing
                case "charset" -> charset(args);
                case "away" -> away(args);
                case "whois" -> whois(args);
                case "topic" -> topic(args);
                case "invite" -> invite(args);
                case "kick" -> kick(args);
                case "ban" -> modeWithArgument(args, true, 'b', "/ban MASK|NICK");
                case "unban" -> modeWithArgument(args, false, 'b', "/unban MASK");
                case "op" -> modeWithArgument(args, true, 'o', "/op NICK");
                case "deop" -> modeWithArgument(args, false, 'o', "/deop NICK");
                case "voice" -> modeWithArgument(args, true, 'v', "/voice NICK");
                case "devoice" -> modeWithArgument(args, false, 'v', "/devoice NICK");
                case "mode" -> mode(args);
                case "history" -> new LineHistory(session).history(args);
                case "resume" -> new LineHistory(session).resume(args, this);
                case "ids" -> ids(args);
                case "oper", "stats" -> new LineOperatorCommands(session).execute(name, args);
                case "register", "login", "identify", "logout", "password", "unregister" ->
                        new LineAccounts(session, session.accounts()).execute(name, args);
                case "room" -> new LineRoomRegistration(session).execute(args);
                default -> session.sendLine(LineFormatter.error(
                        "unknown command \"/" + name + "\"; /help lists the commands"));
            }
        } catch (ChatException refusal) {
            session.sendLine(LineFormatter.error(refusal));
        }
    }

    private void nick(String args) throws ChatException {
        if (args.isEmpty()) {
            usage("/nick NAME");
            return;
        }
        if (args.indexOf(' ') >= 0) {
            session.sendLine(LineFormatter.error("a nickname is one word, without spaces: \"" + args
                    + "\" is not one; /nick NAME"));
            return;
        }
        core().rename(session.user(), args);
    }

    private void join(String args) throws ChatException {
        String[] words = WORDS.split(args);
        if (args.isEmpty() || words.length > 2) {
            usage("/join ROOM [KEY]");
            return;
        }
        joinRoom(words[0], words.length > 1 ? words[1] : null, true);
    }

    /**
     * Joins a room and makes it the current one; {@code replay}: its last messages follow the
     * join's lines, for a user who was not in it.
     */
    void joinRoom(String name, String key, boolean replay) throws ChatException {
        String before = session.currentRoom();
        Room existing = core().room(name);
        boolean member = existing != null && session.user().isIn(existing);
        String room = core().join(session.user(), name, key);
        session.currentRoom(room);
        if (member) {
            return;
        }
        if (before == null && !setup || core().roomsOf(session.user()).size() > 1) {
            session.sendLine(LineFormatter.info("now talking in " + room)); // from elsewhere, or from no room
        }
        Room joined = core().room(room);
        if (joined != null && !joined.topic().isEmpty()) {
            session.sendLine(LineFormatter.info("topic of " + room + ": " + joined.topic()));
        }
        if (replay) {
            new LineHistory(session).replayOnJoin(room);
        }
    }

    private void part(String args) throws ChatException {
        String[] parts = args.split(" ", 2);
        String room = parts[0].isEmpty() ? session.currentRoom() : parts[0];
        String reason = parts.length > 1 ? parts[1].strip() : "";
        if (room == null) {
            session.sendLine(LineFormatter.error("you are in no room; /join one"));
            return;
        }
        core().part(session.user(), room, reason);
        String current = session.currentRoom();
        if (current != null && Names.key(Names.roomDisplayName(room)).equals(Names.key(current))) {
            session.pickCurrentRoom();
        }
    }

    private void msg(String args) throws ChatException {
        int space = args.indexOf(' ');
        String text = space < 0 ? "" : args.substring(space + 1).strip();
        if (space < 0 || text.isEmpty()) {
            usage("/msg NICK TEXT");
            return;
        }
        String target = args.substring(0, space);
        if (target.equalsIgnoreCase("NickServ") && session.accounts() != null) { // what IRC habits send
            int end = text.indexOf(' ');
            new LineAccounts(session, session.accounts()).execute(
                    (end < 0 ? text : text.substring(0, end)).toLowerCase(Locale.ROOT),
                    end < 0 ? "" : text.substring(end + 1).strip());
            return;
        }
        Audience audience = Audience.ofTarget(target);
        if (audience != Audience.EVERYONE) { // /msg @#room: to the room's operators only
            String room = core().say(session.user(), target.substring(target.indexOf('#')), text, MessageKind.TEXT,
                    java.util.Map.of(), audience).room();
            session.sendLine(LineFormatter.privateEcho(audience.prefix() + room, text, false));
            return;
        }
        chat.server.core.ChatEvent.PrivateMessage sent =
                core().sendPrivate(session.user(), target, text, MessageKind.TEXT, java.util.Map.of());
        session.sendLine((session.ids() ? LineFormatter.idPrefix(sent.id()) : "")
                + LineFormatter.privateEcho(sent.to(), text, false));
        if (!core().isOnline(sent.to())) {
            session.sendLine(LineFormatter.info(sent.to() + " is offline; the message is kept until they log in"));
        }
    }

    private void me(String args) {
        if (args.isEmpty()) {
            usage("/me TEXT");
            return;
        }
        session.say(args, MessageKind.ACTION);
    }

    /** {@code /who [ROOM] [PAGE]}: members in join order, {@value #MAX_MEMBERS_LISTED} a line. */
    private void who(String args) throws ChatException {
        String[] words = args.isEmpty() ? new String[0] : WORDS.split(args);
        int page = 1;
        if (words.length > 0 && Character.isDigit(words[words.length - 1].charAt(0))) {
            try {
                page = Integer.parseInt(words[words.length - 1]);
            } catch (NumberFormatException tooBig) {
                page = 0;
            }
            if (page < 1) {
                usage("/who [ROOM] [PAGE]");
                return;
            }
            words = java.util.Arrays.copyOf(words, words.length - 1);
        }
        String room = words.length == 0 ? session.currentRoom() : words[0];
        if (room == null) {
            session.sendLine(LineFormatter.error("you are in no room; /who ROOM"));
            return;
        }
        ChatCore.RoomMembers members = core().members(room); // refuses a room that is not there
        Room listed = core().room(members.room());
        List<User> all = listed.members();
        int from = (page - 1) * MAX_MEMBERS_LISTED;
        int to = Math.min(all.size(), from + MAX_MEMBERS_LISTED);
        StringBuilder line = new StringBuilder(members.room()).append(" (").append(all.size()).append("):");
        for (int i = from; i < to; i++) {
            line.append(' ').append(rank(listed, all.get(i))).append(all.get(i).nick());
        }
        if (from > 0 || to < all.size()) {
            line.append("; ").append(from + 1).append('-').append(to).append(" of ").append(all.size());
            if (to < all.size()) {
                line.append(", more: /who ").append(members.room()).append(' ').append(page + 1);
            }
        }
        session.sendLine(LineFormatter.info(line.toString()));
    }

    /** {@code @} for an operator, {@code +} for a voiced member, as IRC's NAMES marks them. */
    private static String rank(Room room, User member) {
        return room.isOperator(member) ? "@" : room.hasVoice(member) ? "+" : "";
    }

    /**
     * {@code /rooms [MASK]}: the rooms one may see, biggest first, at most
     * {@value #MAX_ROOMS_LISTED} in one line, and how many more there are.
     */
    private void rooms(String args) {
        String mask = args.isEmpty() ? null : WORDS.split(args)[0];
        ChatCore.RoomListing listing = core().listRooms(session.user(), mask, MAX_ROOMS_LISTED);
        StringBuilder line = new StringBuilder("rooms (").append(listing.matched()).append("):");
        for (ChatCore.RoomSummary room : listing.rooms()) {
            line.append(' ').append(room.name()).append(" (").append(room.members()).append(')');
        }
        int more = listing.matched() - listing.rooms().size();
        if (more > 0) {
            line.append("; ").append(more).append(" more: /rooms MASK narrows it (* and ?)");
        }
        session.sendLine(LineFormatter.info(line.toString()));
    }

    /** Most rooms one {@code /rooms} line lists. */
    static final int MAX_ROOMS_LISTED = 100;
    /** Most members one {@code /who} line lists; {@code /who ROOM PAGE} for the others. */
    static final int MAX_MEMBERS_LISTED = 200;

    private void charset(String args) {
        if (args.isEmpty()) {
            session.sendLine(LineFormatter.info("charset is " + session.codec().charset().name()));
            return;
        }
        Charset charset;
        try {
            charset = ChatCharsets.forName(args);
        } catch (IllegalArgumentException refused) {
            session.sendLine(LineFormatter.error(refused.getMessage()));
            return;
        }
        session.chooseCodec(new TextCodec(charset));
        session.sendLine(LineFormatter.info("charset is now " + charset.name()));
    }

    private void away(String args) {
        core().setAway(session.user(), args);
        String away = session.user().away(); // what was kept: a long message is cut
        session.sendLine(LineFormatter.info(away == null ? "you are back" : "you are away: " + away));
    }

    private void whois(String args) {
        if (args.isEmpty() || args.indexOf(' ') >= 0) {
            usage("/whois NICK");
            return;
        }
        User user = core().user(args);
        if (user == null) {
            session.sendLine(LineFormatter.error("no such nick \"" + args + "\""));
            return;
        }
        List<String> rooms = core().roomsOf(user);
        session.sendLine(LineFormatter.info(user.nick() + " is " + user.nick() + "!" + user.identity().username()
                + "@" + user.identity().host() + (rooms.isEmpty() ? ", in no room" : ", in " + String.join(" ", rooms))
                + (user.away() == null ? "" : ", away: " + user.away())));
    }

    private void topic(String args) throws ChatException {
        String room = session.currentRoom();
        String text = args;
        if (args.startsWith("#")) {
            int space = args.indexOf(' ');
            room = space < 0 ? args : args.substring(0, space);
            text = space < 0 ? "" : args.substring(space + 1).strip();
        }
        if (room == null) {
            session.sendLine(LineFormatter.error("you are in no room; /topic #ROOM [TEXT]"));
            return;
        }
        if (text.isEmpty()) {
            Room shown = core().room(room);
            if (shown == null) {
                throw new ChatException(ChatError.NO_SUCH_ROOM, room);
            }
            session.sendLine(LineFormatter.info(shown.topic().isEmpty() ? shown.name() + " has no topic"
                    : "topic of " + shown.name() + ": " + shown.topic() + " (set by " + shown.topicSetBy() + ")"));
            return;
        }
        core().setTopic(session.user(), room, text);
    }

    private void invite(String args) throws ChatException {
        String[] words = WORDS.split(args);
        if (args.isEmpty() || words.length > 2) {
            usage("/invite NICK [ROOM]");
            return;
        }
        String room = words.length > 1 ? words[1] : session.currentRoom();
        if (room == null) {
            session.sendLine(LineFormatter.error("you are in no room; /invite NICK ROOM"));
            return;
        }
        String invited = core().invite(session.user(), words[0], room);
        session.sendLine(LineFormatter.info("invited " + invited + " to " + core().room(room).name()));
    }

    private void kick(String args) throws ChatException {
        int space = args.indexOf(' ');
        String nick = space < 0 ? args : args.substring(0, space);
        if (nick.isEmpty()) {
            usage("/kick NICK [REASON]");
            return;
        }
        String room = currentRoomOrSay("/kick");
        if (room != null) {
            core().kick(session.user(), room, nick, space < 0 ? "" : args.substring(space + 1).strip());
        }
    }

    /**
     * One mode change with its argument in the current room: {@code /op alice}, or
     * {@code /ban alice}, which bans {@code alice!*@*} (a mask is taken as it is).
     */
    private void modeWithArgument(String args, boolean add, char mode, String form) throws ChatException {
        if (args.isEmpty() || args.indexOf(' ') >= 0) {
            usage(form);
            return;
        }
        changeModes(List.of(new ModeChange(add, mode, args)));
    }

    /** {@code /mode} shows the current room's modes; {@code /mode +mk key} changes them. */
    private void mode(String args) throws ChatException {
        String room = currentRoomOrSay("/mode");
        if (room == null) {
            return;
        }
        if (args.isEmpty()) {
            Room shown = core().room(room);
            session.sendLine(LineFormatter.info(shown.name() + " modes: " + shown.modeString()));
            return;
        }
        String[] words = WORDS.split(args);
        List<ModeChange> changes = new java.util.ArrayList<>();
        boolean add = true;
        int nextParam = 1;
        for (char c : words[0].toCharArray()) {
            if (c == '+' || c == '-') {
                add = c == '+';
                continue;
            }
            String param = null;
            if (ModeChange.takesParam(c, add)) {
                if (nextParam >= words.length) {
                    if (c == 'k' && !add) {
                        param = "*";
                    } else {
                        usage("/mode " + (add ? "+" : "-") + c + " ARGUMENT");
                        return;
                    }
                } else {
                    param = words[nextParam++];
                }
            }
            changes.add(new ModeChange(add, c, param));
        }
        changeModes(changes);
    }

    private void changeModes(List<ModeChange> changes) throws ChatException {
        String room = currentRoomOrSay("that");
        if (room == null) {
            return;
        }
        ChatCore.ModeResult result = core().changeModes(session.user(), room, changes);
        for (ChatException refusal : result.refused()) {
            session.sendLine(LineFormatter.error(refusal));
        }
    }

    /** The current room, or null after telling the user it is in none. */
    private String currentRoomOrSay(String what) {
        String room = session.currentRoom();
        if (room == null) {
            session.sendLine(LineFormatter.error("you are in no room; join one first for " + what));
        }
        return room;
    }

    private void ids(String args) {
        switch (args.toLowerCase(Locale.ROOT)) {
            case "on" -> session.ids(true);
            case "off" -> session.ids(false);
            case "" -> { }
            default -> {
                usage("/ids on|off");
                return;
            }
        }
        session.sendLine(LineFormatter.info("ids " + (session.ids() ? "on" : "off")));
    }

    private void help() {
        for (String line : HELP) {
            session.sendLine(LineFormatter.info(line));
        }
    }

    private void usage(String form) {
        session.sendLine(LineFormatter.error("usage: " + form));
    }

    private ChatCore core() {
        return session.core();
    }
}
