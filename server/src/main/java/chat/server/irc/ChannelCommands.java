package chat.server.irc;

import chat.server.core.ChatException;
import chat.server.core.Names;
import chat.server.core.Room;
import chat.server.core.User;
import java.util.ArrayList;
import java.util.List;

/**
 * JOIN, PART, NAMES, TOPIC, KICK and INVITE: being in channels, and what members see of each other.
 * Handlers of {@link IrcCommands}' table: each starts from a request the table has checked.
 *
 * <p>Stateless; loop thread only.
 */
final class ChannelCommands {

    /** Nicks per 353 line, so a line of long nicks stays under 512 bytes. */
    private static final int NAMES_PER_LINE = 10;

    private ChannelCommands() {
    }

    static void join(IrcSession s, IrcMessage m) {
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
                    names(s, joined, s.has(Cap.READ_MARKER) ? () -> MessageCommands.tellReadMarker(s, joined) : null);
                    HistoryCommands.replayOnJoin(s, joined);
                    MetadataCommands.syncOnJoin(s, s.core().room(joined));
                }
            } catch (ChatException e) {
                joinRefused(s, channel, e);
            }
        }
    }


    static void joinRefused(IrcSession s, String channel, ChatException e) {
        switch (e.error()) {
            case BANNED -> s.reply(Numeric.ERR_BANNEDFROMCHAN, channel, "Cannot join channel (+b)");
            case TOO_MANY_ROOMS -> s.reply(Numeric.ERR_TOOMANYCHANNELS, channel, "You have joined too many channels");
            case SERVER_ROOMS_FULL -> s.reply(Numeric.ERR_TOOMANYCHANNELS, channel,
                    "Cannot create channel: the server has too many; join an existing one");
            case ROOM_FULL -> s.reply(Numeric.ERR_CHANNELISFULL, channel, "Cannot join channel (+l)");
            case INVITE_ONLY -> s.reply(Numeric.ERR_INVITEONLYCHAN, channel, "Cannot join channel (+i)");
            case BAD_KEY -> s.reply(Numeric.ERR_BADCHANNELKEY, channel, "Cannot join channel (+k)");
            default -> s.reply(Numeric.ERR_NOSUCHCHANNEL, channel, "No such channel");
        }
    }


    /** 332 and 333 for a room with a topic; 331 for one without, when asked ({@code always}). */
    static void topic(IrcSession s, Room room, boolean always) {
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


    static void part(IrcSession s, IrcMessage m) {
        String reason = m.param(1) == null ? "" : m.param(1);
        for (String channel : m.param(0).split(",")) {
            if (!channel.isEmpty()) {
                partOne(s, channel, reason);
            }
        }
    }


    static void partOne(IrcSession s, String channel, String reason) {
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


    static void names(IrcSession s, IrcMessage m) {
        if (m.params().isEmpty()) {
            s.reply(Numeric.RPL_ENDOFNAMES, "*", "End of /NAMES list");
            return;
        }
        String[] channels = m.param(0).split(",");
        if (channels.length == 1) {
            names(s, channels[0]);
            return;
        }
        // Several channels: their 353s, then one 366 naming the list as asked (RFC 2812, and
        // what irctest expects).
        for (String channel : channels) {
            Room room = s.core().room(channel);
            if (room != null) {
                namReplies(s, room);
            }
        }
        s.reply(Numeric.RPL_ENDOFNAMES, m.param(0), "End of /NAMES list");
    }


    /** 353 lines and the 366 that ends them; a channel that does not exist has no names. */
    static void names(IrcSession s, String channel) {
        names(s, channel, null);
    }

    /** The same, with what goes between the last 353 and the 366 (read-marker's MARKREAD on JOIN). */
    static void names(IrcSession s, String channel, Runnable beforeEnd) {
        Room room = s.core().room(channel);
        if (room != null) {
            namReplies(s, room);
        }
        if (beforeEnd != null) {
            beforeEnd.run();
        }
        s.reply(Numeric.RPL_ENDOFNAMES, room == null ? channel : room.name(), "End of /NAMES list");
    }

    /** The 353 lines of a room's members, as many as it takes. */
    private static void namReplies(IrcSession s, Room room) {
        String symbol = room.hasFlag('s') ? "@" : "=";
        List<String> line = new ArrayList<>();
        for (User member : room.members()) {
            line.add(prefixes(s, room, member)
                    + (s.has(Cap.USERHOST_IN_NAMES) ? IrcDialect.prefix(member.nick(), member) : member.nick()));
            if (line.size() == NAMES_PER_LINE) {
                s.reply(Numeric.RPL_NAMREPLY, symbol, room.name(), String.join(" ", line));
                line.clear();
            }
        }
        if (!line.isEmpty()) {
            s.reply(Numeric.RPL_NAMREPLY, symbol, room.name(), String.join(" ", line));
        }
    }


    static void topic(IrcSession s, IrcMessage m) {
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
    static void kick(IrcSession s, IrcMessage m) {
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


    static void invite(IrcSession s, IrcMessage m) {
        try {
            String invited = s.core().invite(s.user(), m.param(0), m.param(1));
            s.reply(Numeric.RPL_INVITING, invited, s.core().room(m.param(1)).name());
        } catch (ChatException e) {
            channelRefused(s, m.param(1), e);
        }
    }


    /** The numeric for a channel operation the core refused. */
    static void channelRefused(IrcSession s, String channel, ChatException e) {
        switch (e.error()) {
            case NO_SUCH_ROOM -> s.reply(Numeric.ERR_NOSUCHCHANNEL, channel, "No such channel");
            case NOT_IN_ROOM -> s.reply(Numeric.ERR_NOTONCHANNEL, channel, "You're not on that channel");
            case NOT_OPERATOR -> s.reply(Numeric.ERR_CHANOPRIVSNEEDED, channel, "You're not channel operator");
            case NO_SUCH_NICK -> s.reply(Numeric.ERR_NOSUCHNICK, e.subject(), "No such nick/channel");
            case USER_NOT_IN_ROOM -> s.reply(Numeric.ERR_USERNOTINCHANNEL, e.subject(), channel,
                    "They aren't on that channel");
            case ALREADY_IN_ROOM -> s.reply(Numeric.ERR_USERONCHANNEL, e.subject(), channel, "is already on channel");
            case UNKNOWN_MODE -> s.reply(Numeric.ERR_UNKNOWNMODE, e.subject(), "is unknown mode char to me");
            case LIST_FULL -> s.reply(Numeric.ERR_BANLISTFULL, channel, e.subject(), "Channel list is full");
            case INVALID_MODE_PARAM -> s.reply(Numeric.ERR_INVALIDMODEPARAM, channel, e.subject(), "*",
                    "Invalid mode parameter");
            default -> s.reply(Numeric.ERR_NOSUCHCHANNEL, channel, "No such channel");
        }
    }
}
