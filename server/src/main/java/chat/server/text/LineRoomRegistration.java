package chat.server.text;

import chat.server.core.ChatException;
import chat.server.core.RegisteredRoom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The native dialect's {@code /room register|drop|info #ROOM}: registered rooms, whose topic,
 * modes, lists and operator accounts outlive the room's empty periods and the server's restarts.
 * The checks and what is kept are the core's ({@link chat.server.core.ChatCore#registerRoom}); this
 * class words them.
 *
 * <p>Loop thread only; made for one command line of one {@link LineSession}.
 */
final class LineRoomRegistration {

    /** When a room was registered, as {@code /room info} shows it. */
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final LineSession session;

    LineRoomRegistration(LineSession session) {
        this.session = session;
    }

    /** Runs {@code /room args}. */
    void execute(String args) throws ChatException {
        String[] words = args.isEmpty() ? new String[0] : args.split(" +");
        if (session.accounts() == null) {
            session.sendLine(LineFormatter.error("accounts are off on this server, and with them registered rooms"));
            return;
        }
        if (words.length != 2) {
            usage();
            return;
        }
        switch (words[0].toLowerCase(java.util.Locale.ROOT)) {
            case "register" -> {
                RegisteredRoom room = session.core().registerRoom(session.user(), words[1]);
                session.sendLine(LineFormatter.info(room.name() + " is registered to " + room.founder()
                        + ": its topic, modes and lists are kept, and the accounts you /op get it back when they come"));
            }
            case "drop" -> session.sendLine(LineFormatter.info(session.core().dropRoom(session.user(), words[1])
                    + " is no longer registered"));
            case "info" -> info(session.core().registeredRoom(words[1]));
            default -> usage();
        }
    }

    private void info(RegisteredRoom room) {
        session.sendLine(LineFormatter.info(room.name() + " was registered by " + room.founder() + " on "
                + WHEN.format(Instant.ofEpochMilli(room.registeredMillis()))));
        session.sendLine(LineFormatter.info(room.operators().isEmpty() ? "operators: " + room.founder() + " (founder)"
                : "operators: " + room.founder() + " (founder), " + String.join(", ", room.operators())));
    }

    private void usage() {
        session.sendLine(LineFormatter.error("usage: /room register #ROOM (as its operator, logged in),"
                + " /room drop #ROOM (its founder), /room info #ROOM"));
    }
}
