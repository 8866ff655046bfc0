package chat.client;

import chat.common.TerminalSafeText;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Turns a parsed server line into what the console shows: the local time as {@code HH:mm}, then
 * the line in the server's own words, styled. Each nick keeps one colour (chosen from the nick's
 * text, so it is the same in every session), our own nick is bold and underlined, a mention of
 * our nick in someone else's text stands out, private messages are magenta, the server's notices
 * yellow, errors red, and membership changes faint.
 *
 * <p>A line from history looks like the live line it once was, with the time it was said, in the
 * local time zone ({@code HH:mm} when that is today, {@code yyyy-MM-dd HH:mm} before), and the
 * whole line faint: colours stay, dimmed. The server's UTC time and the message id never show.
 *
 * <p>With colour off the text is the same and carries no style at all. Styling is only ever
 * added by JLine from {@link AttributedStyle}s: the text itself is terminal-safe (see
 * {@link ServerLineParser}; client notes are stripped here), so no escape sequence that came
 * from the network can reach the terminal.
 *
 * <p>Stateless and thread-safe.
 */
final class LineRenderer {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    /** Colours for other people's nicks; yellow, red and magenta are kept for notices, errors and PMs. */
    private static final int[] NICK_COLOURS = {
        AttributedStyle.GREEN, AttributedStyle.BLUE, AttributedStyle.CYAN,
        AttributedStyle.GREEN | AttributedStyle.BRIGHT, AttributedStyle.BLUE | AttributedStyle.BRIGHT,
        AttributedStyle.CYAN | AttributedStyle.BRIGHT, 130, 67, 107, 139, 173, 30,
    };

    private static final AttributedStyle PLAIN = AttributedStyle.DEFAULT;
    private static final AttributedStyle FAINT = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle OWN_NICK = AttributedStyle.BOLD.underline();
    private static final AttributedStyle MENTION = AttributedStyle.BOLD.foreground(AttributedStyle.BLACK)
            .background(AttributedStyle.YELLOW);
    private static final AttributedStyle PRIVATE = AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA);
    private static final AttributedStyle NOTICE = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle ERROR = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
    private static final AttributedStyle CLIENT_NOTE = AttributedStyle.DEFAULT.italic()
            .foreground(AttributedStyle.CYAN);

    /** False for plain text: no style on anything. */
    private final boolean colour;

    LineRenderer(boolean colour) {
        this.colour = colour;
    }

    /**
     * Renders a server line received {@code now}, whose zone is the local one; {@code me} is our
     * nick, or null before the welcome.
     */
    AttributedString render(ServerLine line, ZonedDateTime now, String me) {
        Out out = line instanceof ServerLine.Message m && m.fromHistory()
                ? new Out(when(m, now), true)
                : new Out(TIME.format(now), false);
        if (line instanceof ServerLine.RoomMessage m) {
            out.add("[" + m.room() + "] ", PLAIN).said(m.nick(), m.text(), m.action(), me, PLAIN);
        } else if (line instanceof ServerLine.PrivateMessage m) {
            out.add("[pm] ", PRIVATE.bold()).said(m.nick(), m.text(), m.action(), me, PRIVATE);
        } else if (line instanceof ServerLine.PrivateEcho e) {
            out.add("[pm -> ", PRIVATE.bold()).nick(e.to(), me).add("] ", PRIVATE.bold())
                    .add(e.action() ? "* " : "", PRIVATE).add(e.text(), PRIVATE);
        } else if (line instanceof ServerLine.Joined j) {
            out.add("[" + j.room() + "] -- ", FAINT).nick(j.nick(), me).add(" joined", FAINT);
        } else if (line instanceof ServerLine.Left l) {
            out.add("[" + l.room() + "] -- ", FAINT).nick(l.nick(), me).add(" left" + reason(l.reason()), FAINT);
        } else if (line instanceof ServerLine.Kicked k) {
            out.add("[" + k.room() + "] -- ", FAINT).nick(k.nick(), me).add(" was kicked by ", FAINT).nick(k.by(), me)
                    .add(reason(k.reason()), FAINT);
        } else if (line instanceof ServerLine.Quit q) {
            out.add("-- ", FAINT).nick(q.nick(), me).add(" quit" + reason(q.reason()), FAINT);
        } else if (line instanceof ServerLine.NickChanged n) {
            out.add("-- ", FAINT).nick(n.oldNick(), me).add(" is now known as ", FAINT).nick(n.newNick(), me);
        } else if (line instanceof ServerLine.Error e) {
            out.add(e.raw(), ERROR);
        } else if (line instanceof ServerLine.Unknown u) {
            out.add(u.raw(), PLAIN);
        } else {
            out.add(line.raw(), NOTICE); // welcome, now talking, members, shutdown, other notices
        }
        return out.build();
    }

    /** Renders a note from the client itself (reconnecting, help), told apart by its {@code ~~} mark. */
    AttributedString note(String text, ZonedDateTime now) {
        return new Out(TIME.format(now), false).add("~~ " + TerminalSafeText.strip(text), CLIENT_NOTE).build();
    }

    /** When a history line's message was said, in {@code now}'s zone: with the date unless that is today. */
    private static String when(ServerLine.Message m, ZonedDateTime now) {
        ZonedDateTime said = m.time().atZone(now.getZone());
        return said.toLocalDate().equals(now.toLocalDate()) ? TIME.format(said) : DATE_TIME.format(said);
    }

    /** The colour of a nick: the same nick, whatever its case, always gets the same one. */
    static int nickColour(String nick) {
        // String.hashCode is specified by the JLS, so the colour is stable across runs and JVMs.
        return NICK_COLOURS[Math.floorMod(nick.toLowerCase(Locale.ROOT).hashCode(), NICK_COLOURS.length)];
    }

    private static String reason(String reason) {
        return reason.isEmpty() ? "" : ": " + reason;
    }

    /** Builds one rendered line, dropping every style when colour is off. */
    private final class Out {
        private final AttributedStringBuilder sb = new AttributedStringBuilder();
        /** True for a line from history: every part of it faint. */
        private final boolean dim;

        Out(String time, boolean dim) {
            this.dim = dim;
            add(time + " ", FAINT);
        }

        Out add(String text, AttributedStyle style) {
            sb.styled(!colour ? PLAIN : dim ? style.faint() : style, text);
            return this;
        }

        Out nick(String nick, String me) {
            boolean mine = me != null && me.equalsIgnoreCase(nick);
            return add(nick, mine ? OWN_NICK : AttributedStyle.BOLD.foreground(nickColour(nick)));
        }

        /** {@code nick: text} or {@code * nick text}, with mentions of {@code me} marked in the text. */
        Out said(String nick, String text, boolean action, String me, AttributedStyle textStyle) {
            if (action) {
                add("* ", textStyle);
            }
            nick(nick, me);
            add(action ? " " : ": ", textStyle);
            boolean fromMe = me != null && me.equalsIgnoreCase(nick);
            int from = 0;
            for (int[] m : Mentions.find(text, fromMe ? null : me)) {
                add(text.substring(from, m[0]), textStyle);
                add(text.substring(m[0], m[1]), MENTION);
                from = m[1];
            }
            return add(text.substring(from), textStyle);
        }

        AttributedString build() {
            return sb.toAttributedString();
        }
    }
}
