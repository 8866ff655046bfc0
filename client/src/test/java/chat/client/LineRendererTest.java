package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

/** How each kind of server line looks, with colour and without. */
class LineRendererTest {

    private static final LocalTime AT = LocalTime.of(9, 5, 59);
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

    private static AttributedStyle styleOfText(AttributedString line) {
        return line.styleAt(line.length() - 1);
    }

    /** The characters TerminalSafeText removes. */
    private static final class TerminalSafeCheck {
        static boolean unsafe(char c) {
            return chat.common.TerminalSafeText.isUnsafe(c);
        }
    }
}
