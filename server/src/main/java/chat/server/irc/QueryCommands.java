package chat.server.irc;

import chat.server.core.ChatCore;
import chat.server.core.Masks;
import chat.server.core.Names;
import chat.server.core.Room;
import chat.server.core.User;
import java.util.ArrayList;
import java.util.List;

/**
 * WHO (and WHOX), WHOIS, WHOWAS, LIST, ISON, USERHOST and AWAY: what a client may learn of others.
 * Handlers of {@link IrcCommands}' table: each starts from a request the table has checked.
 *
 * <p>Stateless; loop thread only.
 */
final class QueryCommands {

    private QueryCommands() {
    }

    static void who(IrcSession s, IrcMessage m) {
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
    static String firstVisibleRoom(IrcSession s, User user) {
        for (Room room : user.rooms()) {
            if (!room.hasFlag('s') || s.user().isIn(room)) {
                return room.name();
            }
        }
        return "*";
    }


    /** True for a user with mode +i. */
    static boolean isInvisible(User user) {
        IrcSession session = user.recipient(IrcSession.class);
        return session != null && session.invisible();
    }


    /** An invisible (+i) user is found by a WHO mask only by itself and by who shares a channel with it. */
    static boolean invisibleTo(IrcSession s, User user) {
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
    static void whoReply(IrcSession s, String channel, User user, String whox) {
        Room room = s.core().room(channel);
        String flags = (user.away() != null ? "G" : "H") + (user.isServerOperator() ? "*" : "")
                + (room == null ? "" : ChannelCommands.prefixes(s, room, user)) + (user.isBot() ? "B" : "");
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
                case 'a' -> user.account() == null ? "0" : user.account();
                case 'o' -> "n/a";
                default -> realname(user);
            });
        }
        s.replyParams(Numeric.RPL_WHOSPCRPL, params, fields.indexOf('r') >= 0);
    }


    static String realname(User user) {
        String real = user.identity().realname();
        return real == null || real.isEmpty() ? user.nick() : real;
    }


    static void whois(IrcSession s, IrcMessage m) {
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
                    rooms.add(ChannelCommands.prefixes(s, room, user) + room.name());
                }
            }
            if (!rooms.isEmpty()) {
                s.reply(Numeric.RPL_WHOISCHANNELS, user.nick(), String.join(" ", rooms));
            }
            s.reply(Numeric.RPL_WHOISSERVER, user.nick(), s.dialect().serverName(), s.dialect().description());
            if (user.isServerOperator()) {
                s.reply(Numeric.RPL_WHOISOPERATOR, user.nick(), "is an IRC operator");
            }
            if (user.account() != null) {
                s.reply(Numeric.RPL_WHOISACCOUNT, user.nick(), user.account(), "is logged in as");
            }
            if (user.isBot()) {
                s.reply(Numeric.RPL_WHOISBOT, user.nick(), "is a bot on " + s.dialect().network());
            }
            if (user.away() != null) {
                s.reply(Numeric.RPL_AWAY, user.nick(), user.away());
            }
            MetadataCommands.whois(s, user);
        }
        s.reply(Numeric.RPL_ENDOFWHOIS, user == null ? nick : user.nick(), "End of /WHOIS list");
    }


    /** Who had a nick: 314 and 312 per entry, newest first, or 406; then 369. */
    static void whowas(IrcSession s, IrcMessage m) {
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


    /**
     * LIST, with the ELIST filters M (a mask), N ({@code !mask}), U ({@code >N}, {@code <N}
     * members), C and T ({@code C<N}: created less than N minutes ago, {@code C>N}: more; the
     * same for the topic's time, and a channel without a topic passes neither), comma-separated,
     * all of which a channel must pass; secret channels only for their members.
     */
    /** Most channels one LIST gives. */
    static final int MAX_LISTED = 1000;

    static void list(IrcSession s, IrcMessage m) {
        String[] filters = m.param(0) == null || m.param(0).isEmpty() ? new String[0] : m.param(0).split(",");
        long now = s.core().epochSeconds();
        s.reply(Numeric.RPL_LISTSTART, "Channel", "Users  Name");
        int listed = 0;
        int left = 0;
        for (ChatCore.RoomSummary summary : s.core().rooms()) {
            Room room = s.core().room(summary.name());
            if (room == null || (room.hasFlag('s') && !s.user().isIn(room)) || !passes(filters, room, now)) {
                continue;
            }
            if (listed == MAX_LISTED) {
                left++;
                continue;
            }
            listed++;
            s.reply(Numeric.RPL_LIST, summary.name(), String.valueOf(summary.members()), room.topic());
        }
        if (left > 0) { // a client's send queue would not take every channel of a huge server
            s.sendFromServer("NOTICE", s.nick(), "LIST stopped at " + MAX_LISTED + " channels, " + left
                    + " more; narrow it with a mask or >N (ELIST)");
        }
        s.reply(Numeric.RPL_LISTEND, "End of /LIST");
    }

    private static boolean passes(String[] filters, Room room, long now) {
        for (String filter : filters) {
            if (filter.isEmpty()) {
                continue;
            }
            char first = filter.charAt(0);
            if (filter.length() > 1 && (first == 'C' || first == 'T') && (filter.charAt(1) == '<' || filter.charAt(1) == '>')) {
                if (!passesAge(filter, first == 'C' ? room.createdAt() : room.topicSetAt(), now)) {
                    return false;
                }
                continue;
            }
            try {
                if (first == '>' && !(room.size() > Integer.parseInt(filter.substring(1)))) {
                    return false;
                }
                if (first == '<' && !(room.size() < Integer.parseInt(filter.substring(1)))) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
            if (first == '!' && Masks.glob(Names.key(filter.substring(1)), Names.key(room.name()))) {
                return false;
            }
            if (first != '>' && first != '<' && first != '!'
                    && !Masks.glob(Names.key(filter), Names.key(room.name()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code C<N}/{@code T<N}: {@code at} is less than N minutes before {@code now}; {@code >}:
     * more. A time of 0 (a topic never set) passes neither; a bad number matches nothing.
     */
    private static boolean passesAge(String filter, long at, long now) {
        long minutes;
        try {
            minutes = Long.parseLong(filter.substring(2));
        } catch (NumberFormatException e) {
            return false;
        }
        if (at == 0 || minutes < 0) {
            return false;
        }
        long age = now - at;
        return filter.charAt(1) == '<' ? age < minutes * 60 : age > minutes * 60;
    }

    static void ison(IrcSession s, IrcMessage m) {
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


    static void userhost(IrcSession s, IrcMessage m) {
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


    static void away(IrcSession s, IrcMessage m) {
        String message = m.param(0);
        s.core().setAway(s.user(), message);
        if (s.user().away() == null) {
            s.reply(Numeric.RPL_UNAWAY, "You are no longer marked as being away");
        } else {
            s.reply(Numeric.RPL_NOWAWAY, "You have been marked as being away");
        }
    }
}
