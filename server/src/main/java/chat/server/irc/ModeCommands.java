package chat.server.irc;

import chat.server.core.ChatCore;
import chat.server.core.ChatException;
import chat.server.core.Room;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MODE for channels (queries, lists, changes) and for the client itself.
 * Handlers of {@link IrcCommands}' table: each starts from a request the table has checked.
 *
 * <p>Stateless; loop thread only.
 */
final class ModeCommands {

    private ModeCommands() {
    }

    static void mode(IrcSession s, IrcMessage m) {
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


    static List<String> channelModeParams(Room room, boolean withKey) {
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
    static void channelModes(IrcSession s, Room room, List<String> args) {
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
                ChannelCommands.channelRefused(s, room.name(), refusal);
            }
        } catch (ChatException e) {
            ChannelCommands.channelRefused(s, room.name(), e);
        }
    }


    /** 367/368, 348/349 or 346/347: the masks of one list mode. */
    static void listReply(IrcSession s, Room room, char letter) {
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
    static void userModes(IrcSession s, String modes) {
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
}
