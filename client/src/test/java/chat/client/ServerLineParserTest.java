package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every form of the server's output grammar (the server's LineFormatter), and what fits none. */
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
}
