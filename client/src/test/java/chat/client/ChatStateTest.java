package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
    void handshakeNamesTheCharsetFirstThenIdsThenNickThenRoomsCurrentLast() {
        Charset gbk = Charset.forName("GBK");
        assertEquals(List.of("/charset GBK", "/ids on", "/nick alice", "/ready"),
                Handshake.lines(gbk, Handshake.Target.first("alice")));
        assertEquals(List.of("/charset UTF-8", "/ids on", "/ready"),
                Handshake.lines(StandardCharsets.UTF_8, Handshake.Target.first(null)));
        Handshake.Target target = Handshake.Target.restore("alice", List.of("#lobby", "#dev", "#ops"), "#dev", Map.of());
        assertEquals(List.of("/charset UTF-8", "/ids on", "/nick alice", "/join #lobby", "/join #ops", "/join #dev", "/ready"),
                Handshake.lines(StandardCharsets.UTF_8, target));
    }

    @Test
    void aReconnectResumesEachRoomAndConversationAfterItsLastIdAndJoinsTheOthers() {
        Map<String, String> lastIds = new java.util.LinkedHashMap<>();
        lastIds.put("#Dev", "k2");
        lastIds.put("#lobby", "k7");
        lastIds.put("bob", "k5");
        lastIds.put("#gone", "k1"); // a room we are no longer in: not resumed
        lastIds.put("Carol", "k9");
        Handshake.Target target = Handshake.Target.restore("alice", List.of("#lobby", "#dev", "#ops"), "#lobby",
                lastIds);
        assertEquals(List.of("/charset UTF-8", "/ids on", "/nick alice", "/resume #dev k2", "/join #ops",
                "/resume #lobby k7", "/resume bob k5", "/resume Carol k9", "/ready"),
                Handshake.lines(StandardCharsets.UTF_8, target));
        assertEquals(Map.of("#lobby", "k7", "#dev", "k2", "bob", "k5", "Carol", "k9"), target.resumed());
    }

    @Test
    void loggingInTheNickAndTheConversationsWaitForTheLoginsAnswer() {
        Map<String, String> lastIds = new java.util.LinkedHashMap<>();
        lastIds.put("#lobby", "k7");
        lastIds.put("bob", "k5");
        Handshake.Target target = Handshake.Target.restore("alice", List.of("#lobby", "#dev"), "#dev", lastIds);
        assertEquals(List.of("/charset UTF-8", "/ids on", "/resume #lobby k7", "/join #dev", "/ready"),
                Handshake.lines(StandardCharsets.UTF_8, target, true));
        assertEquals(List.of("/resume bob k5"), Handshake.afterLogin(target, "Alice"), "the login gave us the nick");
        assertEquals(List.of("/nick alice", "/resume bob k5"), Handshake.afterLogin(target, "guest-12"),
                "not logged in: the nick the usual way");
        assertEquals("logging in as alice and rejoining #lobby #dev", target.describe(true));
        assertEquals("restoring nick alice and rejoining #lobby #dev", target.describe(false));
        assertEquals(List.of(), Handshake.afterLogin(Handshake.Target.first(null), "guest-1"));
    }

    @Test
    void weLeavingARoomIsAnEffectAndIdsOnIsFollowed() {
        apply("-- welcome alice; /help lists the commands");
        assertTrue(!state.ownLinesEchoed());
        apply("-- ids on");
        assertTrue(state.ownLinesEchoed());
        apply("[#lobby] -- alice joined");
        assertEquals(ChatState.Effect.NONE, apply("[#lobby] -- bob left"));
        assertEquals(ChatState.Effect.WE_LEFT, apply("[#lobby] -- alice left"));
        apply("[#dev] -- alice joined");
        assertEquals(ChatState.Effect.WE_LEFT, apply("[#dev] -- alice was kicked by bob"));
        apply("-- ids off");
        assertTrue(!state.ownLinesEchoed());
        apply("-- ids on");
        apply("-- welcome alice; /help lists the commands");
        assertTrue(!state.ownLinesEchoed(), "a new connection has not asked yet");
    }

    @Test
    void historyLinesDoNotMakeMembers() {
        apply("-- welcome alice; /help lists the commands");
        apply("[#lobby] -- alice joined");
        apply("@a1 [#lobby] 2026-12-01T09:14:03Z ghost: said long ago");
        apply("@a2 [#lobby] bob: here now");
        assertEquals(List.of("bob"), state.nicksInCurrentRoom());
    }

    @Test
    void aScriptsHandshakeAsksForNoIds() {
        assertEquals(List.of("/charset GBK", "/nick bot", "/ready"), Handshake.forScript(Charset.forName("GBK"), "bot", false));
        assertEquals(List.of("/charset UTF-8", "/ready"), Handshake.forScript(StandardCharsets.UTF_8, null, false));
        assertEquals(List.of("/charset UTF-8", "/ready"), Handshake.forScript(StandardCharsets.UTF_8, "bot", true),
                "the login gives the nick");
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
