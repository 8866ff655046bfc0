package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

/** How each kind of server line looks, with colour and without. */
class LineRendererTest {

    private static final ZonedDateTime AT = ZonedDateTime.of(2026, 12, 1, 9, 5, 59, 0, ZoneId.of("Asia/Shanghai"));
    private static final LineRenderer PLAIN = new LineRenderer(false);
    private static final LineRenderer COLOUR = new LineRenderer(true);

    private static AttributedString colour(String line, String me) {
        return COLOUR.render(ServerLineParser.parse(line), AT, me);
    }

    @Test
    void everyKindKeepsTheServersWordsAfterTheTime() {
        for (String line : List.of(
                "[#lobby] bob: hi", "[#lobby] * bob waves", "[#lobby] -- bob joined", "[#lobby] -- bob left: bye",
                "[#lobby] -- bob was kicked by alice: spam", "[#lobby] -- bob was kicked by alice",
                "[pm] bob: psst", "[pm] * bob winks", "[pm -> bob] * waves", "[pm -> bob] hi",
                "-- bob is now known as rob", "-- bob quit: gone", "-- welcome guest1; /help lists the commands",
                "-- now talking in #dev", "-- #dev (2): a b", "-- server shutting down", "-- rooms (1): #a (1)",
                "! no such nick \"zed\"", "something else")) {
            assertEquals("09:05 " + line, PLAIN.render(ServerLineParser.parse(line), AT, "alice").toString(), line);
            assertEquals("09:05 " + line, colour(line, "alice").toString(), line);
        }
    }

    @Test
    void plainHasNoStyleAtAll() {
        AttributedString plain = PLAIN.render(ServerLineParser.parse("[#lobby] bob: hi alice"), AT, "alice");
        for (int i = 0; i < plain.length(); i++) {
            assertEquals(AttributedStyle.DEFAULT, plain.styleAt(i));
        }
        assertFalse(plain.toAnsi().contains("\u001b"));
    }

    @Test
    void aNickKeepsItsColourWhateverItsCaseAndNicksDiffer() {
        assertEquals(LineRenderer.nickColour("Bob"), LineRenderer.nickColour("bob"));
        AttributedString a = colour("[#lobby] bob: hi", null);
        AttributedString b = colour("[#dev] * BOB waves", null);
        assertEquals(a.styleAt(a.toString().indexOf("bob")), b.styleAt(b.toString().indexOf("BOB")));
        long distinct = List.of("alice", "bob", "carol", "dave", "erin", "frank").stream()
                .mapToInt(LineRenderer::nickColour).distinct().count();
        assertTrue(distinct >= 3, "nick colours should vary, got " + distinct);
    }

    @Test
    void ownNickStandsOutAndMentionsAreMarked() {
        AttributedString own = colour("[#lobby] -- alice joined", "alice");
        AttributedString other = colour("[#lobby] -- bob joined", "alice");
        AttributedStyle ownStyle = own.styleAt(own.toString().indexOf("alice"));
        assertNotEquals(other.styleAt(other.toString().indexOf("bob")), ownStyle);

        AttributedString mention = colour("[#lobby] bob: hey Alice, and alicent", "alice");
        String text = mention.toString();
        int at = text.indexOf("Alice");
        AttributedStyle mentionStyle = mention.styleAt(at);
        assertNotEquals(mention.styleAt(at - 1), mentionStyle, "a mention is styled apart from the text");
        assertEquals(mentionStyle, mention.styleAt(at + 4));
        assertNotEquals(mentionStyle, mention.styleAt(text.indexOf("alicent")), "alicent is another word");
    }

    @Test
    void privateMessagesNoticesAndErrorsLookDifferent() {
        AttributedStyle room = styleOfText(colour("[#lobby] bob: x", "alice"));
        AttributedStyle pm = styleOfText(colour("[pm] bob: x", "alice"));
        AttributedStyle notice = styleOfText(colour("-- x", "alice"));
        AttributedStyle error = styleOfText(colour("! x", "alice"));
        assertEquals(4, List.of(room, pm, notice, error).stream().distinct().count());
    }

    @Test
    void networkEscapesNeverReachTheTerminal() {
        String hostile = "[#lobby] bob\u001b[31m: hi \u001b]0;title\u0007\u009b2J \u202Ealice";
        String ansi = COLOUR.render(ServerLineParser.parse(hostile), AT, "alice").toAnsi();
        // Only the renderer's own SGR sequences may be there; take them out and no control is left.
        String rest = ansi.replaceAll("\u001b\\[[0-9;]*m", "");
        assertTrue(rest.chars().noneMatch(c -> TerminalSafeCheck.unsafe((char) c)), rest);
        String note = COLOUR.note("cannot connect: \u001b[2Jbad", AT).toAnsi().replaceAll("\u001b\\[[0-9;]*m", "");
        assertTrue(note.chars().noneMatch(c -> TerminalSafeCheck.unsafe((char) c)), note);
    }

    @Test
    void aHistoryLineLooksLikeItsLiveLineWithItsOwnLocalTime() {
        // 09:14:03 UTC is 17:14 in Shanghai (UTC+8), the zone of AT; the same day there.
        for (String line : List.of("[#lobby] bob: hi", "[#lobby] * bob waves", "[pm] bob: psst", "[pm] * bob winks",
                "[pm -> bob] see you")) {
            String history = line.replaceFirst("] ", "] 2026-12-01T09:14:03Z ");
            assertEquals("17:14 " + line, PLAIN.render(ServerLineParser.parse("@k1 " + history), AT, "alice").toString());
            assertEquals("17:14 " + line, colour("@k1 " + history, "alice").toString());
        }
    }

    @Test
    void aHistoryLineFromAnotherDayHasItsDate() {
        // 23:30 UTC on 30 November is 07:30 on 1 December in Shanghai: today there.
        assertEquals("07:30 [#lobby] bob: hi", colour("[#lobby] 2026-11-30T23:30:00Z bob: hi", null).toString());
        // 15:59 UTC is 23:59 in Shanghai on the day before.
        assertEquals("2026-11-30 23:59 [#lobby] bob: hi",
                colour("[#lobby] 2026-11-30T15:59:00Z bob: hi", null).toString());
        ZonedDateTime newYork = AT.plusHours(12).withZoneSameInstant(ZoneId.of("America/New_York")); // 08:05 there
        assertEquals("04:14 [#lobby] bob: hi", COLOUR.render(ServerLineParser.parse(
                "[#lobby] 2026-12-01T09:14:03Z bob: hi"), newYork, null).toString());
        assertEquals("2025-06-01 10:00 [#lobby] bob: hi", COLOUR.render(ServerLineParser.parse(
                "[#lobby] 2025-06-01T14:00:00Z bob: hi"), newYork, null).toString());
    }

    @Test
    void aHistoryLineIsDimmedThroughoutAndKeepsItsColours() {
        AttributedString live = colour("@k1 [#lobby] bob: hi alice", "alice");
        AttributedString history = colour("@k1 [#lobby] 2026-12-01T09:14:03Z bob: hi alice", "alice");
        assertEquals(live.toString().substring(6), history.toString().substring(6)); // after the time
        for (int i = 0; i < history.length(); i++) {
            AttributedStyle style = history.styleAt(i);
            assertEquals(style.faint(), style, "faint at " + i + ": " + history);
            assertEquals(live.styleAt(i).faint(), style, "the live style, dimmed, at " + i);
        }
        int nick = "17:14 [#lobby] ".length();
        AttributedString own = colour("[#lobby] 2026-12-01T09:14:03Z alice: mine", "alice");
        assertEquals(colour("[#lobby] alice: mine", "alice").styleAt(nick).faint(), own.styleAt(nick),
                "our own nick stands out, dimmed");
        AttributedString plain = PLAIN.render(ServerLineParser.parse("[#lobby] 2026-12-01T09:14:03Z bob: hi"), AT, null);
        for (int i = 0; i < plain.length(); i++) {
            assertEquals(AttributedStyle.DEFAULT, plain.styleAt(i));
        }
    }

    private static AttributedStyle styleOfText(AttributedString line) {
        return line.styleAt(line.length() - 1);
    }

    /** The characters TerminalSafeText removes. */
    private static final class TerminalSafeCheck {
        static boolean unsafe(char c) {
            return chat.common.TerminalSafeText.isUnsafe(c);
        }
    }

    /** The family emoji lost its joiners on the sender's own line; rendered, it keeps them. */
    @Test
    void ownLineKeepsAZwjSequenceWhole() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        AttributedString own = colour("[#lobby] alice: family " + family + " here", "alice");
        assertTrue(own.toString().endsWith("alice: family " + family + " here"), own.toString());
    }
}
