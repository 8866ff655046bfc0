package chat.bench;

import java.nio.charset.StandardCharsets;

/**
 * What differs between the servers under test: how a client enters the room (or channel), how it
 * knows it is in, and how a message is framed on the way in. The way out needs no parser of its
 * own: in every protocol the message body ends a line, so receivers find the {@link Marker} at a
 * fixed distance from the line's end.
 *
 * <p>Immutable and thread-safe.
 */
public enum Protocol {

    /**
     * This project's line dialect. A client is put in {@code #lobby} on connect; elsewhere it
     * sends {@code /join}. The first line it gets from its room is its own "joined" notice, so
     * that line is its proof of membership. A message is the body and an LF.
     */
    NATIVE {
        @Override
        byte[] enterBytes(String room, boolean leaveLobby, String client) {
            if (leaveLobby) {
                // Setup lines (docs/protocol.md, "Session start"): the session starts in the room
                // alone, never in the lobby, and /ready has it start at once rather than after the
                // 0.3 s window, as a client that knows what it wants would do.
                return ascii((room.equalsIgnoreCase(DEFAULT_ROOM) ? "" : "/join " + room + "\n") + "/ready\n");
            }
            return ascii(room.equalsIgnoreCase(DEFAULT_ROOM) ? "" : "/join " + room + "\n");
        }

        @Override
        byte[] readyPrefix(String room, String client) {
            return ascii("[" + room + "] ");
        }

        @Override
        byte[] messageTemplate(String room, byte[] body) {
            byte[] line = new byte[body.length + 1];
            System.arraycopy(body, 0, line, 0, body.length);
            line[body.length] = '\n';
            return line;
        }

        @Override
        boolean publisherNeedsEntry() {
            return true;
        }

        /**
         * A room or pm line with its time after the bracket, {@code [#room] 2026-12-01T09:14:03Z
         * nick: text} (docs/protocol.md, "History and message ids"). A nick never starts with a
         * digit, so a digit after {@code "] "} is enough; room names hold no {@code ]}.
         */
        @Override
        boolean isReplayed(byte[] line, int start, int end) {
            if (end - start < 4 || line[start] != '[') {
                return false;
            }
            for (int i = start + 1; i < end - 2; i++) {
                if (line[i] == ']') {
                    return line[i + 1] == ' ' && line[i + 2] >= '0' && line[i + 2] <= '9';
                }
            }
            return false;
        }

        /**
         * A room of its own (a setup line: the session does not join the lobby, so no other
         * client hears of it), then {@code /quit}, the first other line, which starts the session
         * at once: the welcome comes back without the 0.3 s wait for setup lines.
         */
        @Override
        byte[] probeBytes(String client) {
            return ascii("/join #" + client + "\n/quit\n");
        }
    },

    /**
     * Redis pub/sub: a receiver sends {@code SUBSCRIBE}, and the {@code :count} line of the
     * reply proves it is in; a sender needs no entry and sends {@code PUBLISH} as a RESP array,
     * as redis-benchmark does, so the server parses no inline command.
     */
    RESP {
        @Override
        byte[] enterBytes(String room, boolean leaveLobby, String client) {
            return ascii("SUBSCRIBE " + channel(room) + "\r\n");
        }

        @Override
        byte[] readyPrefix(String room, String client) {
            return ascii(":");
        }

        @Override
        byte[] messageTemplate(String room, byte[] body) {
            String channel = channel(room);
            byte[] head = ascii("*3\r\n$7\r\nPUBLISH\r\n$" + channel.length() + "\r\n" + channel + "\r\n$"
                    + body.length + "\r\n");
            byte[] message = new byte[head.length + body.length + 2];
            System.arraycopy(head, 0, message, 0, head.length);
            System.arraycopy(body, 0, message, head.length, body.length);
            message[message.length - 2] = '\r';
            message[message.length - 1] = '\n';
            return message;
        }

        @Override
        boolean publisherNeedsEntry() {
            return false;
        }

        @Override
        byte[] probeBytes(String client) {
            return ascii("PING\r\n");
        }
    },

    /**
     * IRC, as ngircd, InspIRCd and this project's IRC dialect speak it. A client registers with
     * {@code NICK} and {@code USER} under a nick of its own, and sends {@code JOIN} only once the
     * server has welcomed it ({@code 001}): InspIRCd completes a registration on its next timer
     * tick and answers a {@code JOIN} sent before then with 451. The server's echo of its own
     * {@code JOIN} ({@code :nick!user@host JOIN #room}) proves it is in: no line before it starts
     * with {@code :nick!}. A message is {@code PRIVMSG #room :body} and CRLF; every server relays
     * it with a prefix in front and the body still last. Senders join too: channels are +n.
     */
    IRC {
        @Override
        byte[] enterBytes(String room, boolean leaveLobby, String client) {
            return ascii("NICK " + client + "\r\nUSER " + client + " 0 * :" + client + "\r\n");
        }

        @Override
        byte[] joinBytes(String room) {
            return ascii("JOIN " + roomName(room) + "\r\n");
        }

        @Override
        byte[] readyPrefix(String room, String client) {
            return ascii(":" + client + "!");
        }

        @Override
        byte[] messageTemplate(String room, byte[] body) {
            byte[] head = ascii("PRIVMSG " + roomName(room) + " :");
            byte[] message = new byte[head.length + body.length + 2];
            System.arraycopy(head, 0, message, 0, head.length);
            System.arraycopy(body, 0, message, head.length, body.length);
            message[message.length - 2] = '\r';
            message[message.length - 1] = '\n';
            return message;
        }

        @Override
        boolean publisherNeedsEntry() {
            return true;
        }

        @Override
        byte[] probeBytes(String client) {
            return enterBytes(DEFAULT_ROOM, false, client);
        }
    };

    /** The room the native server puts every client in on connect. */
    public static final String DEFAULT_ROOM = "#lobby";

    /** Bytes the member named {@code client} sends right after connecting; may be empty. */
    abstract byte[] enterBytes(String room, boolean leaveLobby, String client);

    /**
     * Bytes a member sends once the server has welcomed it (see {@link #isWelcome}), for a
     * protocol whose entry takes two steps; null when {@link #enterBytes} is all there is.
     */
    byte[] joinBytes(String room) {
        return null;
    }

    /** The member named {@code client} is in once it receives a line starting with these bytes. */
    abstract byte[] readyPrefix(String room, String client);

    /** One whole message on the wire around {@code body}; the body is its last bytes before the line end. */
    abstract byte[] messageTemplate(String room, byte[] body);

    /**
     * True when {@code line[start, end)} is a message the server replays from history rather than
     * one said now. A client that joins a room gets its last messages (the native dialect's
     * {@code --history-on-join}, 20 by default), marked messages of an earlier run on the same
     * server among them: they are not deliveries of this run. False for Redis, which keeps
     * nothing, and for IRC, which replays only with {@code --irc-history-on-join} (0 by default).
     */
    boolean isReplayed(byte[] line, int start, int end) {
        return false;
    }

    /** True when a sender must enter the room before it may send (the native dialect). */
    abstract boolean publisherNeedsEntry();

    /**
     * What a new client named {@code client} sends to have the server answer as soon as it can,
     * for the time to a connection's first application bytes: native, a session that starts at
     * once and quits; Redis, {@code PING}; IRC, the registration.
     */
    abstract byte[] probeBytes(String client);

    /** Where the body starts in {@link #messageTemplate}'s result. */
    int bodyOffset(byte[] template, int bodyLength) {
        int terminator = this == NATIVE ? 1 : 2;
        return template.length - terminator - bodyLength;
    }

    /**
     * True when {@code line[start, end)} is an IRC server's welcome, {@code :server 001 nick ...}:
     * registration is complete and a {@code JOIN} will be taken.
     */
    static boolean isWelcome(byte[] line, int start, int end) {
        if (end - start < 6 || line[start] != ':') {
            return false;
        }
        int space = start + 1;
        while (space < end && line[space] != ' ') {
            space++;
        }
        return end - space >= 5 && line[space + 1] == '0' && line[space + 2] == '0' && line[space + 3] == '1'
                && line[space + 4] == ' ';
    }

    /** A room name as a Redis channel: the same name without its {@code #}. */
    static String channel(String room) {
        return room.startsWith("#") ? room.substring(1) : room;
    }

    /** A room name with its {@code #}, as the native server spells it in its lines. */
    static String roomName(String room) {
        return room.startsWith("#") ? room : "#" + room;
    }

    /** The message body: a {@link Marker} slot, then filler up to {@code length} bytes. */
    static byte[] body(int length) {
        if (length < Marker.LENGTH) {
            throw new IllegalArgumentException("a message body needs at least " + Marker.LENGTH + " bytes, not " + length);
        }
        byte[] body = new byte[length];
        java.util.Arrays.fill(body, (byte) '.');
        return body;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
