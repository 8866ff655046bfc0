package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every form of the server's output grammar (the server's LineFormatter): live lines and history
 * lines, with ids and without, and what fits none.
 */
class ServerLineParserTest {

    private static ServerLine parse(String line) {
        return ServerLineParser.parse(line);
    }

    @Test
    void roomMessage() {
        String raw = "[#lobby] alice: hi: there, bob";
        assertEquals(new ServerLine.RoomMessage(raw, "#lobby", "alice", "hi: there, bob", false), parse(raw));
    }

    @Test
    void roomAction() {
        String raw = "[#lobby] * alice waves at bob";
        assertEquals(new ServerLine.RoomMessage(raw, "#lobby", "alice", "waves at bob", true), parse(raw));
    }

    @Test
    void nickMadeOfDashesIsNotAnInfoLine() {
        String raw = "[#lobby] --: hello";
        assertEquals(new ServerLine.RoomMessage(raw, "#lobby", "--", "hello", false), parse(raw));
    }

    @Test
    void joinedAndLeft() {
        assertEquals(new ServerLine.Joined("[#dev] -- bob joined", "#dev", "bob"), parse("[#dev] -- bob joined"));
        assertEquals(new ServerLine.Left("[#dev] -- bob left", "#dev", "bob", ""), parse("[#dev] -- bob left"));
        assertEquals(new ServerLine.Left("[#dev] -- bob left: lunch: soup", "#dev", "bob", "lunch: soup"),
                parse("[#dev] -- bob left: lunch: soup"));
        assertEquals(new ServerLine.Kicked("[#dev] -- bob was kicked by alice", "#dev", "bob", "alice", ""),
                parse("[#dev] -- bob was kicked by alice"));
        assertEquals(new ServerLine.Kicked("[#dev] -- bob was kicked by alice: spam: again", "#dev", "bob", "alice", "spam: again"),
                parse("[#dev] -- bob was kicked by alice: spam: again"));
    }

    @Test
    void privateMessagesAndTheirEcho() {
        assertEquals(new ServerLine.PrivateMessage("[pm] bob: psst", "bob", "psst", false), parse("[pm] bob: psst"));
        assertEquals(new ServerLine.PrivateMessage("[pm] * bob winks", "bob", "winks", true), parse("[pm] * bob winks"));
        assertEquals(new ServerLine.PrivateEcho("[pm -> bob] see you", "bob", "see you", false),
                parse("[pm -> bob] see you"));
        assertEquals(new ServerLine.PrivateEcho("[pm -> bob] * waves", "bob", "waves", true), parse("[pm -> bob] * waves"));
    }

    @Test
    void nickChangeAndQuit() {
        assertEquals(new ServerLine.NickChanged("-- guest1 is now known as alice", "guest1", "alice"),
                parse("-- guest1 is now known as alice"));
        assertEquals(new ServerLine.Quit("-- bob quit", "bob", ""), parse("-- bob quit"));
        assertEquals(new ServerLine.Quit("-- bob quit: connection reset", "bob", "connection reset"),
                parse("-- bob quit: connection reset"));
    }

    @Test
    void serverInformation() {
        assertEquals(new ServerLine.Welcome("-- welcome guest-12; /help lists the commands", "guest-12"),
                parse("-- welcome guest-12; /help lists the commands"));
        assertEquals(new ServerLine.NowTalking("-- now talking in #dev", "#dev"), parse("-- now talking in #dev"));
        assertEquals(new ServerLine.Members("-- #dev (3): alice bob carol", "#dev", List.of("alice", "bob", "carol")),
                parse("-- #dev (3): alice bob carol"));
        assertEquals(new ServerLine.Members("-- #dev (3): @alice +bob carol", "#dev", List.of("alice", "bob", "carol")),
                parse("-- #dev (3): @alice +bob carol"));
        assertEquals(new ServerLine.Members("-- #empty (0):", "#empty", List.of()), parse("-- #empty (0):"));
        String paged = "-- #big (201): @a b; 1-2 of 201, more: /who #big 2";
        assertEquals(new ServerLine.Members(paged, "#big", List.of("a", "b")), parse(paged));
        assertEquals(new ServerLine.ShuttingDown("-- server shutting down"), parse("-- server shutting down"));
        assertEquals(new ServerLine.Notice("-- rooms (2): #a (1) #b (2)", "rooms (2): #a (1) #b (2)"),
                parse("-- rooms (2): #a (1) #b (2)"));
        assertEquals(new ServerLine.Notice("-- charset is now GBK", "charset is now GBK"), parse("-- charset is now GBK"));
        assertEquals(new ServerLine.Notice("-- bye", "bye"), parse("-- bye"));
    }

    @Test
    void error() {
        assertEquals(new ServerLine.Error("! nickname \"bob\" is taken", "nickname \"bob\" is taken"),
                parse("! nickname \"bob\" is taken"));
    }

    @Test
    void whatFitsNoFormIsKeptAsItCame() {
        for (String raw : List.of("", "hello", "[#lobby]", "[#lobby] no colon here", "[#lobby] -- bob danced",
                "[pm] no colon here", "[pm -> bob]", "--nospace", "!nospace")) {
            assertEquals(new ServerLine.Unknown(raw), parse(raw), raw);
        }
    }

    @Test
    void everyFieldIsTerminalSafe() {
        ServerLine line = parse("[#lobby] bob: \u001b[2J\u001b]0;pwned\u0007 hi\u009b31m \u202Eevil");
        assertEquals(new ServerLine.RoomMessage("[#lobby] bob: [2J]0;pwned hi31m evil", "#lobby", "bob",
                "[2J]0;pwned hi31m evil", false), line);
        assertEquals(new ServerLine.Notice("-- a\rb", "ab").text(), ((ServerLine.Notice) parse("-- a\rb")).text());
    }

    private static final Instant AT = Instant.parse("2026-12-01T09:14:03Z");

    @Test
    void anIdComesOffEveryMessageLineAndOutOfRaw() {
        assertEquals(new ServerLine.RoomMessage("[#lobby] alice: hi", "#lobby", "alice", "hi", false, "k3x9", null),
                parse("@k3x9 [#lobby] alice: hi"));
        assertEquals(new ServerLine.RoomMessage("[#lobby] * alice waves", "#lobby", "alice", "waves", true, "K3X9", null),
                parse("@K3X9 [#lobby] * alice waves"));
        assertEquals(new ServerLine.PrivateMessage("[pm] bob: psst", "bob", "psst", false, "7", null),
                parse("@7 [pm] bob: psst"));
        assertEquals(new ServerLine.PrivateMessage("[pm] * bob winks", "bob", "winks", true, "7", null),
                parse("@7 [pm] * bob winks"));
        assertEquals(new ServerLine.PrivateEcho("[pm -> bob] see you", "bob", "see you", false, "a1", null),
                parse("@a1 [pm -> bob] see you"));
    }

    @Test
    void linesForOperatorsOrVoicedMembersAreRoomMessagesOfTheMarkedRoom() {
        assertEquals(new ServerLine.RoomMessage("[@#dev] bob: ops only", "@#dev", "bob", "ops only", false, "z1", null),
                parse("@z1 [@#dev] bob: ops only"));
        assertEquals(new ServerLine.RoomMessage("[+#dev] bob: voiced", "+#dev", "bob", "voiced", false),
                parse("[+#dev] bob: voiced"));
    }

    @Test
    void aTextHoldingAtWordsIsText() {
        ServerLine.RoomMessage m = (ServerLine.RoomMessage) parse("@f9 [#lobby] bob: @alice look @f8 here");
        assertEquals("f9", m.id());
        assertEquals("@alice look @f8 here", m.text());
        ServerLine.RoomMessage live = (ServerLine.RoomMessage) parse("[#lobby] bob: @x hi");
        assertNull(live.id());
        assertEquals("@x hi", live.text());
        assertEquals("@x hi", ((ServerLine.PrivateEcho) parse("[pm -> bob] @x hi")).text());
    }

    @Test
    void whatIsNotAnIdStays() {
        for (String raw : List.of("@ [#lobby] bob: hi", "@a-b [#lobby] bob: hi", "@ab", "@ab\t[#lobby] bob: hi")) {
            assertEquals(new ServerLine.Unknown(raw), parse(raw), raw);
        }
    }

    @Test
    void anIdOnAnotherKindOfLineIsDroppedNeverShown() {
        assertEquals(new ServerLine.Notice("-- bye", "bye"), parse("@x1 -- bye"));
        assertEquals(new ServerLine.Error("! no", "no"), parse("@x1 ! no"));
        assertEquals(new ServerLine.Unknown("hello"), parse("@x1 hello"));
    }

    @Test
    void roomHistoryLines() {
        assertEquals(new ServerLine.RoomMessage("[#lobby] 2026-12-01T09:14:03Z bob: hi: there", "#lobby", "bob",
                "hi: there", false, null, AT), parse("[#lobby] 2026-12-01T09:14:03Z bob: hi: there"));
        assertEquals(new ServerLine.RoomMessage("[#lobby] 2026-12-01T09:14:03Z * bob waves", "#lobby", "bob",
                "waves", true, "q7", AT), parse("@q7 [#lobby] 2026-12-01T09:14:03Z * bob waves"));
        ServerLine.Message m = (ServerLine.Message) parse("@q7 [#lobby] 2026-12-01T09:14:03Z bob: hi");
        assertEquals("#lobby", m.target());
        assertTrue(m.fromHistory());
    }

    @Test
    void privateHistoryLines() {
        assertEquals(new ServerLine.PrivateMessage("[pm] 2026-12-01T09:14:03Z bob: psst", "bob", "psst", false, null, AT),
                parse("[pm] 2026-12-01T09:14:03Z bob: psst"));
        assertEquals(new ServerLine.PrivateMessage("[pm] 2026-12-01T09:14:03Z * bob winks", "bob", "winks", true, "p1", AT),
                parse("@p1 [pm] 2026-12-01T09:14:03Z * bob winks"));
        assertEquals(new ServerLine.PrivateEcho("[pm -> bob] 2026-12-01T09:14:03Z see you", "bob", "see you", false,
                "p2", AT), parse("@p2 [pm -> bob] 2026-12-01T09:14:03Z see you"));
        ServerLine.Message echo = (ServerLine.Message) parse("[pm -> bob] 2026-12-01T09:14:03Z see you");
        assertEquals("bob", echo.target());
        assertEquals(AT, echo.time());
    }

    @Test
    void aNickStartsWithALetterSoItIsNeverTakenForATime() {
        String raw = "[#lobby] T2026-12-01T09:14:03Z: hi";
        assertEquals(new ServerLine.RoomMessage(raw, "#lobby", "T2026-12-01T09:14:03Z", "hi", false), parse(raw));
        // A time in the text of a live line is text.
        ServerLine.RoomMessage live = (ServerLine.RoomMessage) parse("[#lobby] bob: 2026-12-01T09:14:03Z it is");
        assertFalse(live.fromHistory());
        assertEquals("2026-12-01T09:14:03Z it is", live.text());
        ServerLine.PrivateMessage pm = (ServerLine.PrivateMessage) parse("[pm] bob: 2026-12-01T09:14:03Z ok");
        assertFalse(pm.fromHistory());
    }

    @Test
    void whatLooksLikeATimeButIsNoneIsNoHistoryLine() {
        for (String raw : List.of("[#lobby] 2026-13-01T09:14:03Z bob: hi", "[#lobby] 2026-12-01T09:14:03Z -- bob joined",
                "[#lobby] 2026-12-01T09:14:03Z", "[pm] 2026-12-01T25:14:03Z bob: hi",
                "[#lobby] 2026-12-01 09:14:03 bob: hi")) {
            assertEquals(new ServerLine.Unknown(raw), parse(raw), raw);
        }
    }

    @Test
    void theEndsOfHistoryAnswersAndIds() {
        assertEquals(new ServerLine.Ids("-- ids on", true), parse("-- ids on"));
        assertEquals(new ServerLine.Ids("-- ids off", false), parse("-- ids off"));
        assertEquals(new ServerLine.Resumed("-- resumed #lobby: 3 missed messages", "#lobby", 3),
                parse("-- resumed #lobby: 3 missed messages"));
        assertEquals(new ServerLine.Resumed("-- resumed bob: 0 missed messages", "bob", 0),
                parse("-- resumed bob: 0 missed messages"));
        String more = "-- resumed #lobby: 500 missed messages; more: /history #lobby after k9";
        assertEquals(new ServerLine.Resumed(more, "#lobby", 500), parse(more));
        for (String end : List.of("-- history of #lobby: 20 messages; /history #lobby for earlier ones",
                "-- history of #lobby: 3 messages, none earlier", "-- history of #lobby: 2 messages after k1",
                "-- no history of #lobby")) {
            assertEquals(new ServerLine.HistoryEnd(end, "#lobby"), parse(end), end);
        }
        assertEquals(new ServerLine.HistoryEnd("-- history of bob: none earlier", "bob"),
                parse("-- history of bob: none earlier"));
        assertEquals(new ServerLine.Notice("-- resumed nothing", "resumed nothing"), parse("-- resumed nothing"));
    }
}
