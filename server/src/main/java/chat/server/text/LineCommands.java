package chat.server.text;

import chat.common.ChatCharsets;
import chat.common.TextCodec;
import chat.server.core.ChatCore;
import chat.server.core.ChatException;
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

    /** The {@code /help} text, one line per command. */
    static final List<String> HELP = List.of(
            "commands:",
            "/nick NAME          change your nickname (1-32 letters, digits, _ or -)",
            "/join ROOM          join a room and talk there (the # is optional)",
            "/part [ROOM]        leave a room (default: the current one)",
            "/msg NICK TEXT      send a private message",
            "/me TEXT            act in the current room",
            "/who [ROOM]         list the members of a room (default: the current one)",
            "/rooms              list the rooms",
            "/charset [NAME]     show or set the charset of your connection (UTF-8, GBK, GB18030, Big5...)",
            "/quit [REASON]      leave the server",
            "/help               this list",
            "a line that is not a command goes to the current room; start it with // to send a /");

    private final LineSession session;

    LineCommands(LineSession session) {
        this.session = session;
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
                case "rooms", "list" -> rooms();
                case "quit", "exit" -> session.quit(args);
                case "help" -> help();
                case "charset" -> charset(args);
                default -> session.sendLine(LineFormatter.error(
                        "unknown command \"/" + name + "\"; /help lists the commands"));
            }
        } catch (ChatException refusal) {
            session.sendLine(LineFormatter.error(refusal));
        }
    }

    private void nick(String args) throws ChatException {
        if (args.isEmpty() || args.indexOf(' ') >= 0) {
            usage("/nick NAME");
            return;
        }
        core().rename(session.user(), args);
    }

    private void join(String args) throws ChatException {
        if (args.isEmpty() || args.indexOf(' ') >= 0) {
            usage("/join ROOM");
            return;
        }
        String before = session.currentRoom();
        String room = core().join(session.user(), args);
        session.currentRoom(room);
        if (room.equals(before)) {
            return;
        }
        if (core().roomsOf(session.user()).size() > 1) {
            session.sendLine(LineFormatter.info("now talking in " + room));
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
        String to = core().sendPrivate(session.user(), args.substring(0, space), text, MessageKind.TEXT);
        session.sendLine(LineFormatter.privateEcho(to, text, false));
    }

    private void me(String args) {
        if (args.isEmpty()) {
            usage("/me TEXT");
            return;
        }
        session.say(args, MessageKind.ACTION);
    }

    private void who(String args) throws ChatException {
        String room = args.isEmpty() ? session.currentRoom() : args;
        if (room == null) {
            session.sendLine(LineFormatter.error("you are in no room; /who ROOM"));
            return;
        }
        ChatCore.RoomMembers members = core().members(room);
        session.sendLine(LineFormatter.info(members.room() + " (" + members.nicks().size() + "): "
                + String.join(" ", members.nicks())));
    }

    private void rooms() {
        List<ChatCore.RoomSummary> rooms = core().rooms();
        StringBuilder line = new StringBuilder("rooms (").append(rooms.size()).append("):");
        for (ChatCore.RoomSummary room : rooms) {
            line.append(' ').append(room.name()).append(" (").append(room.members()).append(')');
        }
        session.sendLine(LineFormatter.info(line.toString()));
    }

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
