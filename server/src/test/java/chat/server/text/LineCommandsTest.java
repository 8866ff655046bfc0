package chat.server.text;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.core.ChatException;
import chat.server.net.CloseReason;
import chat.server.text.LineHarness.Client;
import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every command of docs/protocol.md's table, with the answer each client receives, exactly as
 * documented. Alice and bob share #lobby; carol shares no room with them.
 */
class LineCommandsTest {

    private static final Charset GBK = Charset.forName("GBK");

    private final LineHarness server = new LineHarness();
    private final Client alice = server.connect("alice");
    private final Client bob = server.connect("bob");
    private final Client carol = server.connect("carol");

    LineCommandsTest() {
        carol.line("/join elsewhere");
        carol.line("/part lobby");
        server.settle();
    }

    // ---- /nick ----

    @Test
    void nickIsToldOnceToTheUserAndEveryoneSharingARoom() {
        alice.line("/join dev");
        bob.line("/join dev");
        server.settle();

        alice.line("/nick alicia");

        assertThat(alice.take()).containsExactly("-- alice is now known as alicia");
        assertThat(bob.take()).as("two shared rooms, told once").containsExactly("-- alice is now known as alicia");
        assertThat(carol.take()).isEmpty();
        bob.line("/who lobby");
        assertThat(bob.take()).containsExactly("-- #lobby (2): @alicia bob");
    }

    @Test
    void aNickOfAnyScriptUpToThirtyTwoCharactersIsValid() {
        alice.line("/nick 张伟");
        alice.line("/nick " + "n".repeat(32));

        assertThat(alice.take()).containsExactly(
                "-- alice is now known as 张伟",
                "-- 张伟 is now known as " + "n".repeat(32));
    }

    @Test
    void anInvalidNickIsRefusedToItsSenderAloneAndTheOldNickStays() throws ChatException {
        alice.line("/nick bad!");
        alice.line("/nick " + "n".repeat(33));
        alice.line("/nick 9lives");
        alice.line("/nick -dash");

        String rule = "\": use 1-32 letters, digits or _-[]\\`^{}|, not starting with a digit or -";
        assertThat(alice.take()).containsExactly(
                "! invalid nickname \"bad!" + rule,
                "! invalid nickname \"" + "n".repeat(33) + rule,
                "! invalid nickname \"9lives" + rule,
                "! invalid nickname \"-dash" + rule);
        assertThat(bob.take()).isEmpty();
        assertThat(server.core.members("lobby").nicks()).containsExactly("alice", "bob");
    }

    @Test
    void nicksMayHoldTheCharactersIrcClientsUse() {
        alice.line("/nick [al]^ice`{x}|_-");
        assertThat(alice.take()).containsExactly("-- alice is now known as [al]^ice`{x}|_-");
    }

    @Test
    void nicksCollideAfterCaseFoldingAndCompatibilityNormalization() {
        alice.line("/nick Ａｌｉｃｅ2"); // full-width
        bob.line("/nick alice2");
        bob.line("/nick ÄNNE");
        alice.line("/nick änne");
        assertThat(bob.take()).contains("! nickname \"alice2\" is taken");
        assertThat(alice.take()).contains("! nickname \"änne\" is taken");
    }

    @Test
    void aTakenNickIsRefusedWhateverItsCase() {
        alice.line("/nick bob");
        alice.line("/nick BOB");
        alice.line("/nick Carol");

        assertThat(alice.take()).containsExactly(
                "! nickname \"bob\" is taken",
                "! nickname \"BOB\" is taken",
                "! nickname \"Carol\" is taken");
        assertThat(bob.take()).isEmpty();
    }

    // ---- /join ----

    @Test
    void joinTellsTheRoomAndSaysWhereTheUserNowTalksWhenItWasElsewhere() {
        alice.line("/join dev");
        assertThat(alice.take()).containsExactly("[#dev] -- alice joined", "-- now talking in #dev");
        assertThat(bob.take()).isEmpty();

        bob.line("/join #dev");
        assertThat(bob.take()).containsExactly("[#dev] -- bob joined", "-- now talking in #dev");
        assertThat(alice.take()).containsExactly("[#dev] -- bob joined");

        alice.line("in dev now");
        assertThat(bob.take()).containsExactly("[#dev] alice: in dev now");
    }

    @Test
    void joinFromNoRoomSaysWhereTheUserTalksAndTheRoomKeepsItsCreatorsSpelling() {
        carol.line("/join Dev");
        carol.line("/part elsewhere");
        server.settle();

        alice.line("/part");
        alice.take();
        alice.line("/join DEV");

        assertThat(alice.take()).containsExactly("[#Dev] -- alice joined", "-- now talking in #Dev");
        assertThat(carol.take()).containsExactly("[#Dev] -- alice joined");
    }

    @Test
    void joiningTheCurrentRoomAgainTellsNobodyAnything() {
        alice.line("/join lobby");

        assertThat(alice.take()).isEmpty();
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void joinRefusesABadRoomName() {
        alice.line("/join bad!");
        alice.line("/join #");

        assertThat(alice.take()).containsExactly(
                "! invalid room name \"bad!\": use 1-32 letters, digits, _ or -",
                "! invalid room name \"#\": use 1-32 letters, digits, _ or -");
    }

    // ---- /part ----

    @Test
    void partLeavesTheCurrentRoomAndSaysWhereTheUserNowTalks() {
        alice.line("/join dev");
        bob.line("/join dev");
        server.settle();

        alice.line("/part");

        assertThat(alice.take()).containsExactly("[#dev] -- alice left", "-- now talking in #lobby");
        assertThat(bob.take()).containsExactly("[#dev] -- alice left");
        alice.line("back in the lobby");
        assertThat(bob.take()).containsExactly("[#lobby] alice: back in the lobby");
    }

    @Test
    void partANamedRoomWithAReasonKeepsTheCurrentRoom() {
        alice.line("/join dev");
        server.settle();

        alice.line("/part #lobby see you   later");

        assertThat(alice.take()).containsExactly("[#lobby] -- alice left: see you   later");
        assertThat(bob.take()).containsExactly("[#lobby] -- alice left: see you   later");
        alice.line("/who");
        assertThat(alice.take()).containsExactly("-- #dev (1): @alice");
    }

    @Test
    void partingTheLastRoomLeavesTheUserInNoRoom() {
        alice.line("/part lobby bye");

        assertThat(alice.take()).containsExactly("[#lobby] -- alice left: bye", "-- you are in no room; /join one");
        assertThat(bob.take()).containsExactly("[#lobby] -- alice left: bye");

        alice.line("anyone?");
        alice.line("/me looks around");
        alice.line("/part");
        alice.line("/who");
        assertThat(alice.take()).containsExactly(
                "! you are in no room; /join one",
                "! you are in no room; /join one",
                "! you are in no room; /join one",
                "! you are in no room; /who ROOM");
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void partARoomTheUserIsNotIn() {
        alice.line("/part elsewhere");

        assertThat(alice.take()).containsExactly("! you are not in #elsewhere");
        assertThat(carol.take()).isEmpty();
    }

    // ---- /msg, /me ----

    @Test
    void msgReachesTheAddresseeAloneAndIsEchoedToTheSender() {
        alice.line("/msg carol  hi   there ");

        assertThat(alice.take()).containsExactly("[pm -> carol] hi   there");
        assertThat(carol.take()).containsExactly("[pm] alice: hi   there");
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void msgEchoesTheAddresseesOwnSpelling() {
        alice.line("/msg CAROL hi");

        assertThat(alice.take()).containsExactly("[pm -> carol] hi");
        assertThat(carol.take()).containsExactly("[pm] alice: hi");
    }

    @Test
    void msgToAnUnknownNick() {
        alice.line("/msg zed hi");

        assertThat(alice.take()).containsExactly("! no such nick \"zed\"");
    }

    @Test
    void meActsInTheCurrentRoomForTheOthersOnly() {
        alice.line("/me waves at everyone");

        assertThat(bob.take()).containsExactly("[#lobby] * alice waves at everyone");
        assertThat(alice.take()).isEmpty();
        assertThat(carol.take()).isEmpty();
    }

    // ---- /who, /rooms ----

    @Test
    void whoListsTheCurrentOrANamedRoomInJoinOrder() {
        alice.line("/who");
        alice.line("/who elsewhere");
        alice.line("/who #ELSEWHERE");
        alice.line("/who nowhere");

        assertThat(alice.take()).containsExactly(
                "-- #lobby (2): @alice bob",
                "-- #elsewhere (1): @carol",
                "-- #elsewhere (1): @carol",
                "! no such room #nowhere");
    }

    @Test
    void roomsListsTheRoomsBiggestFirstThenByNameWithTheirSizes() {
        bob.line("/join Zoo");
        bob.line("/join apple");
        alice.take();

        alice.line("/rooms");

        assertThat(alice.take()).containsExactly("-- rooms (4): #lobby (2) #apple (1) #elsewhere (1) #Zoo (1)");
    }

    @Test
    void roomsLeavesOutSecretRoomsOfOthersAndNarrowsByMask() {
        bob.line("/join hidden");
        bob.line("/mode +s");
        bob.line("/join apple");
        alice.take();

        alice.line("/rooms");
        assertThat(alice.take()).containsExactly("-- rooms (3): #lobby (2) #apple (1) #elsewhere (1)");
        alice.line("/rooms #a*");
        assertThat(alice.take()).containsExactly("-- rooms (1): #apple (1)");
        bob.take();
        bob.line("/rooms h*");
        assertThat(bob.take()).containsExactly("-- rooms (1): #hidden (1)");
    }

    @Test
    void roomsAndWhoCutLongAnswersWithWhatIsLeftAndHowToSeeIt() {
        LineHarness big = new LineHarness();
        List<Client> users = new java.util.ArrayList<>();
        for (int i = 0; i < LineCommands.MAX_MEMBERS_LISTED + 5; i++) {
            users.add(big.connect("u" + i));
        }
        for (int r = 0; r < LineCommands.MAX_ROOMS_LISTED + 1; r++) {
            users.get(r % users.size()).line("/join r" + r);
        }
        Client asker = users.get(0);
        big.settle();

        asker.line("/rooms");
        String rooms = asker.take().get(0);
        assertThat(rooms).startsWith("-- rooms (" + (LineCommands.MAX_ROOMS_LISTED + 2) + "): #lobby ("
                + (LineCommands.MAX_MEMBERS_LISTED + 5) + ") ").endsWith("; 2 more: /rooms MASK narrows it (* and ?)");

        asker.line("/who #lobby");
        String first = asker.take().get(0);
        assertThat(first).startsWith("-- #lobby (" + (LineCommands.MAX_MEMBERS_LISTED + 5) + "): @u0 u1 ")
                .endsWith(" u199; 1-200 of 205, more: /who #lobby 2");
        asker.line("/who #lobby 2");
        assertThat(asker.take()).containsExactly("-- #lobby (205): u200 u201 u202 u203 u204; 201-205 of 205");
    }

    @Test
    void joiningPastTheRoomLimitsIsRefusedWithWhatToDo() {
        LineHarness limited = new LineHarness();
        limited.core.roomLimits(2, 3);
        Client carol = limited.connect("carol");
        carol.line("/join a");
        carol.take();
        carol.line("/join b");
        assertThat(carol.take()).containsExactly("! you are in as many rooms as one may be; /part one to join #b");
        Client dave = limited.connect("dave");
        dave.line("/part #lobby");
        dave.line("/join c");
        dave.take();
        dave.line("/join d");
        assertThat(dave.take()).containsExactly(
                "! the server has as many rooms as it may; #d cannot be made, but existing rooms can be joined (/rooms)");
        dave.line("/part #c");
        dave.line("/join a");
        assertThat(dave.take()).contains("[#a] -- dave joined");
    }

    // ---- /charset ----

    @Test
    void charsetShowsAndSetsTheConnectionsCharsetBothWays() {
        alice.line("/charset");
        assertThat(alice.take()).containsExactly("-- charset is UTF-8");

        alice.line("/charset gbk");
        assertThat(alice.takeBytes()).as("the answer, in the new charset")
                .isEqualTo("-- charset is now GBK\n".getBytes(GBK));

        bob.line("你好");
        assertThat(alice.takeBytes()).isEqualTo("[#lobby] bob: 你好\n".getBytes(GBK));

        alice.send("再见\n".getBytes(GBK));
        assertThat(bob.take()).containsExactly("[#lobby] alice: 再见");

        alice.line("/charset");
        assertThat(alice.take(GBK)).containsExactly("-- charset is GBK");
    }

    @Test
    void charsetRefusesUtf16AndUnknownNamesAndKeepsTheOldOne() {
        alice.line("/charset UTF-16");
        alice.line("/charset klingon");
        alice.line("/charset");

        assertThat(alice.take()).containsExactly(
                "! charset UTF-16 is not ASCII-compatible; use UTF-8, GBK, GB18030, Big5, Shift_JIS, ISO-8859-1...",
                "! unknown charset \"klingon\"",
                "-- charset is UTF-8");
    }

    // ---- /help, /quit ----

    @Test
    void helpListsEveryCommandOnInfoLines() {
        alice.line("/help");

        List<String> lines = alice.take();
        assertThat(lines).hasSize(LineCommands.HELP.size()).allSatisfy(line -> assertThat(line).startsWith("-- "));
        for (String command : List.of("/nick", "/join", "/part", "/msg", "/me", "/who", "/rooms", "/charset",
                "/quit", "/help")) {
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("-- " + command + " "));
        }
    }

    @Test
    void quitSaysByeThenClosesAndTheOthersSeeTheReason() {
        alice.line("/quit lunch break");

        assertThat(alice.take()).containsExactly("-- bye");
        assertThat(alice.connection.closeReason()).isEqualTo(CloseReason.QUIT);
        assertThat(alice.socket.closed).as("closed once its last line was written").isTrue();
        assertThat(bob.take()).containsExactly("-- alice quit: lunch break");
        assertThat(carol.take()).as("shares no room with alice").isEmpty();
        assertThat(server.core.userCount()).isEqualTo(2);
    }

    // ---- aliases, names, mistakes ----

    @ParameterizedTest
    @CsvSource({
        "/leave lobby, /part lobby",
        "/names, /who",
        "/list, /rooms",
        "/exit, /quit",
    })
    void anAliasAnswersAsItsCommand(String alias, String command) {
        LineHarness other = new LineHarness();
        Client viaAlias = other.connect("alice");
        Client watcher = other.connect("bob");
        viaAlias.line(alias);
        List<String> aliasAnswer = viaAlias.take();
        List<String> aliasHeard = watcher.take();

        LineHarness reference = new LineHarness();
        Client viaCommand = reference.connect("alice");
        Client referenceWatcher = reference.connect("bob");
        viaCommand.line(command);

        assertThat(aliasAnswer).isNotEmpty().isEqualTo(viaCommand.take());
        assertThat(aliasHeard).isEqualTo(referenceWatcher.take());
    }

    @Test
    void commandNamesIgnoreCase() {
        alice.line("/NICK alicia");
        alice.line("/Who");

        assertThat(alice.take()).containsExactly("-- alice is now known as alicia", "-- #lobby (2): @alicia bob");
    }

    @Test
    void anUnknownCommandIsRefused() {
        alice.line("/frob the widget");
        alice.line("/");

        assertThat(alice.take()).containsExactly(
                "! unknown command \"/frob\"; /help lists the commands",
                "! unknown command \"/\"; /help lists the commands");
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void missingOrExtraArgumentsGiveTheUsage() {
        for (String line : List.of("/nick", "/nick a b", "/join", "/join a b c", "/msg", "/msg bob", "/msg bob   ",
                "/me", "/me   ")) {
            alice.line(line);
        }

        assertThat(alice.take()).containsExactly(
                "! usage: /nick NAME",
                "! a nickname is one word, without spaces: \"a b\" is not one; /nick NAME",
                "! usage: /join ROOM [KEY]",
                "! usage: /join ROOM [KEY]",
                "! usage: /msg NICK TEXT",
                "! usage: /msg NICK TEXT",
                "! usage: /msg NICK TEXT",
                "! usage: /me TEXT",
                "! usage: /me TEXT");
        assertThat(bob.take()).isEmpty();
    }
}
