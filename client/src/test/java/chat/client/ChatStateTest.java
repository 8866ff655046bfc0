package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the client learns from server lines, and the lines that restore it after a reconnect. */
class ChatStateTest {

    private final ChatState state = new ChatState();

    private ChatState.Effect apply(String line) {
        return state.apply(ServerLineParser.parse(line));
    }

    @Test
    void followsNickRoomsAndMembers() {
        apply("-- welcome guest1; /help lists the commands");
        assertEquals(ChatState.Effect.WE_JOINED, apply("[#lobby] -- guest1 joined"));
        apply("-- guest1 is now known as alice");
        assertEquals("alice", state.nick());
        assertTrue(state.isMe("ALICE"));
        apply("-- #lobby (3): alice bob carol");
        assertEquals(List.of("bob", "carol"), state.nicksInCurrentRoom());

        assertEquals(ChatState.Effect.NONE, apply("[#lobby] -- dave joined"));
        apply("[#lobby] -- carol left: lunch");
        apply("-- bob is now known as rob");
        apply("[#lobby] erin: hello");
        assertEquals(List.of("dave", "rob", "erin"), state.nicksInCurrentRoom());
        apply("-- dave quit: gone");
        assertEquals(List.of("rob", "erin"), state.nicksInCurrentRoom());

        apply("[#dev] -- alice joined");
        apply("-- now talking in #dev");
        assertEquals("#dev", state.currentRoom());
        assertEquals(List.of("#lobby", "#dev"), state.rooms());
        assertEquals(List.of(), state.nicksInCurrentRoom());

        apply("[#dev] -- alice left");
        assertEquals("#lobby", state.currentRoom());
        apply("[#lobby] -- alice left");
        assertNull(state.currentRoom());
        assertEquals(List.of(), state.rooms());
    }

    @Test
    void aKickTakesTheKickedOutOfTheRoomUsAsWell() {
        apply("-- welcome alice; /help lists the commands");
        apply("[#lobby] -- alice joined");
        apply("[#dev] -- alice joined");
        apply("-- now talking in #dev");
        apply("[#dev] -- bob joined");
        apply("[#dev] -- carol joined");
        apply("[#dev] -- bob was kicked by carol: spam");
        assertEquals(List.of("carol"), state.nicksInCurrentRoom());

        apply("[#dev] -- alice was kicked by carol");
        assertEquals(List.of("#lobby"), state.rooms());
        assertEquals("#lobby", state.currentRoom());
    }

    @Test
    void aNewWelcomeForgetsTheOldConnection() {
        apply("-- welcome guest1; /help lists the commands");
        apply("[#lobby] -- guest1 joined");
        apply("-- welcome guest7; /help lists the commands");
        assertEquals("guest7", state.nick());
        assertEquals(List.of(), state.rooms());
    }

    @Test
    void linesAboutRoomsWeAreNotInAreIgnored() {
        apply("-- welcome guest1; /help lists the commands");
        apply("[#elsewhere] bob: hi");
        apply("-- #elsewhere (1): bob");
        assertEquals(List.of(), state.rooms());
    }

    @Test
    void handshakeNamesTheCharsetFirstThenNickThenRoomsCurrentLast() {
        Charset gbk = Charset.forName("GBK");
        assertEquals(List.of("/charset GBK", "/nick alice"), Handshake.lines(gbk, "alice"));
        assertEquals(List.of("/charset UTF-8"), Handshake.lines(StandardCharsets.UTF_8, (String) null));
        Handshake.Target target = Handshake.Target.restore("alice", List.of("#lobby", "#dev", "#ops"), "#dev");
        assertEquals(List.of("/charset UTF-8", "/nick alice", "/join #lobby", "/join #ops", "/join #dev"),
                Handshake.lines(StandardCharsets.UTF_8, target));
    }

    @Test
    void onlyAsciiCompatibleCharsetsAreAccepted() {
        for (String ok : List.of("UTF-8", "GBK", "GB18030", "ISO-8859-1", "Big5", "Shift_JIS", "US-ASCII")) {
            assertTrue(ConsoleCharset.isAsciiCompatible(Charset.forName(ok)), ok);
        }
        for (String bad : List.of("UTF-16", "UTF-16LE", "UTF-32")) {
            assertTrue(!ConsoleCharset.isAsciiCompatible(Charset.forName(bad)), bad);
        }
    }
}
