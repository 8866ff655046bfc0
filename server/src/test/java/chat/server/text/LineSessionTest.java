package chat.server.text;

import static chat.server.text.LineHarness.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.core.ChatException;
import chat.server.net.CloseReason;
import chat.server.net.Limits;
import chat.server.text.LineHarness.Client;
import java.nio.charset.Charset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * One native session over a real core and a hand-driven loop: when it starts, what its setup
 * lines do, how its lines are relayed, and what its room mates hear when it goes.
 */
class LineSessionTest {

    private static final Charset GBK = Charset.forName("GBK");

    private final LineHarness server = new LineHarness();

    // ---- session start ----

    @Test
    void aSilentClientIsWelcomedAsAGuestInTheDefaultRoomWhenTheWindowClosesAndNotBefore() {
        Client alice = server.connect("alice");
        Client silent = server.accept();

        server.loop.advanceMillis(WINDOW - 1);
        assertThat(silent.take()).isEmpty();
        assertThat(alice.take()).as("nobody hears of a connection still being detected").isEmpty();
        assertThat(server.core.userCount()).isEqualTo(1);

        server.loop.advanceMillis(1);
        List<String> lines = silent.take();
        assertThat(lines).hasSize(2);
        String guest = LineHarness.welcomed(lines.get(0));
        assertThat(guest).matches("guest-\\d+");
        assertThat(lines.get(1)).isEqualTo("[#lobby] -- " + guest + " joined");
        assertThat(alice.take()).containsExactly("[#lobby] -- " + guest + " joined");
    }

    @Test
    void setupLinesWelcomeTheAskedNickAfterTheWindowAnnouncedOnceAndNeverRenamed() {
        Client alice = server.connect("alice");
        Client carol = server.accept().send("/charset UTF-8\n/nick carol\n");

        server.loop.advanceMillis(WINDOW - 1);
        assertThat(carol.take()).as("setup waits for the window").isEmpty();
        assertThat(alice.take()).isEmpty();

        server.loop.advanceMillis(1);
        assertThat(carol.take()).containsExactly(
                "-- welcome carol; /help lists the commands",
                "-- charset is now UTF-8",
                "[#lobby] -- carol joined");
        assertThat(alice.take()).containsExactly("[#lobby] -- carol joined");

        server.loop.advanceMillis(WINDOW);
        assertThat(carol.take()).isEmpty();
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void aBlankLineBeforeTheWelcomeNeitherStartsTheSessionNorEndsTheSetup() {
        Client carol = server.accept().send("\r\n/nick carol\n\n");

        server.loop.advanceMillis(WINDOW - 1);
        assertThat(carol.take()).isEmpty();
        server.loop.advanceMillis(1);
        assertThat(carol.take()).containsExactly(
                "-- welcome carol; /help lists the commands",
                "[#lobby] -- carol joined");
    }

    @Test
    void setupLinesSplitAcrossTwoReadsAtAnyByteAreTheSame() {
        String setup = "/charset UTF-8\n/nick carol\n";
        for (int split = 1; split < setup.length(); split++) {
            LineHarness fresh = new LineHarness();
            Client alice = fresh.connect("alice");
            Client carol = fresh.accept().send(setup.substring(0, split)).send(setup.substring(split));
            fresh.loop.advanceMillis(WINDOW);

            assertThat(carol.take()).as("split at %d", split).containsExactly(
                    "-- welcome carol; /help lists the commands",
                    "-- charset is now UTF-8",
                    "[#lobby] -- carol joined");
            assertThat(alice.take()).as("split at %d", split).containsExactly("[#lobby] -- carol joined");
        }
    }

    @Test
    void readyEndsTheSetupAtOnceAndSaysNothingLater() {
        Client bob = server.connect("bob");
        bob.line("/join dev");
        server.settle();

        Client dan = server.accept().send("/nick dan\n/join dev\n/READY\n");

        assertThat(dan.take()).as("no wait for the window, and /ready itself is no message").containsExactly(
                "-- welcome dan; /help lists the commands",
                "[#dev] -- dan joined");
        assertThat(bob.take()).containsExactly("[#dev] -- dan joined");
        dan.line("/ready");
        server.loop.advanceMillis(WINDOW);
        assertThat(dan.take()).as("once started, /ready does nothing").isEmpty();
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void aSetupJoinReplacesTheDefaultRoomAndTheFirstOtherLineStartsTheSessionAtOnce() throws ChatException {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");
        bob.line("/join dev");
        server.settle();

        Client dan = server.accept().send("/nick dan\n/join dev\nhello\n");

        assertThat(dan.take()).as("no wait for the window").containsExactly(
                "-- welcome dan; /help lists the commands",
                "[#dev] -- dan joined");
        assertThat(bob.take()).containsExactly("[#dev] -- dan joined", "[#dev] dan: hello");
        assertThat(alice.take()).isEmpty();
        assertThat(server.core.members("dev").nicks()).containsExactly("bob", "dan");
        assertThat(server.core.members("lobby").nicks()).containsExactly("alice", "bob");

        server.loop.advanceMillis(WINDOW);
        assertThat(dan.take()).as("the window's timer was cancelled").isEmpty();
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void aTakenSetupNickGivesTheGuestNickAndTheErrorAfterTheWelcome() {
        Client carol = server.connect("carol");
        Client other = server.accept().send("/nick CAROL\n");
        server.loop.advanceMillis(WINDOW);

        List<String> lines = other.take();
        assertThat(lines).hasSize(3);
        String guest = LineHarness.welcomed(lines.get(0));
        assertThat(guest).startsWith("guest-");
        assertThat(lines.subList(1, 3)).containsExactly(
                "! nickname \"CAROL\" is taken",
                "[#lobby] -- " + guest + " joined");
        assertThat(carol.take()).containsExactly("[#lobby] -- " + guest + " joined");
    }

    @Test
    void anInvalidSetupCharsetIsAnsweredAfterTheWelcomeAndChangesNothing() {
        Client dan = server.accept().send("/charset klingon\n/charset UTF-16\n/nick dan\n");
        server.loop.advanceMillis(WINDOW);

        List<String> lines = dan.take();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("-- welcome dan; /help lists the commands");
        assertThat(lines.get(1)).isEqualTo("! unknown charset \"klingon\"");
        assertThat(lines.get(2)).startsWith("! charset UTF-16 is not ASCII-compatible; ");
        assertThat(lines.get(3)).isEqualTo("[#lobby] -- dan joined");

        dan.line("/charset");
        assertThat(dan.take()).containsExactly("-- charset is UTF-8");
    }

    @Test
    void aSetupCharsetDecodesTheSetupLinesAfterIt() {
        Client alice = server.connect("alice");
        Client zhang = server.accept().send("/charset GBK\n").send("/nick 张伟\n".getBytes(GBK));
        server.loop.advanceMillis(WINDOW);

        assertThat(zhang.take(GBK)).containsExactly(
                "-- welcome 张伟; /help lists the commands",
                "-- charset is now GBK",
                "[#lobby] -- 张伟 joined");
        assertThat(alice.take()).containsExactly("[#lobby] -- 张伟 joined");
    }

    @Test
    void eightSetupLinesStillWaitForTheWindow() {
        Client dan = server.accept().send(joins(8));
        assertThat(dan.take()).isEmpty();
        assertThat(server.core.userCount()).isZero();

        server.loop.advanceMillis(WINDOW);
        assertThat(dan.take()).first().asString().startsWith("-- welcome guest-");
        assertThat(server.core.userCount()).isEqualTo(1);
    }

    @Test
    void aNinthSetupLineStartsTheSessionAtOnceAndIsRunAsACommand() throws ChatException {
        Client dan = server.accept().send(joins(9) + "hello\n");

        List<String> lines = dan.take();
        String nick = LineHarness.welcomed(lines.get(0));
        assertThat(lines).contains("[#r1] -- " + nick + " joined", "[#r9] -- " + nick + " joined");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("-- now talking in #r9");
        for (int i = 1; i <= 9; i++) {
            assertThat(server.core.members("r" + i).nicks()).containsExactly(nick);
        }
        assertThatThrownBy(() -> server.core.members("lobby")).isInstanceOf(ChatException.class);
    }

    @Test
    void aClientThatSetsUpAndLeavesBeforeTheWindowIsHeardByNobody() {
        Client alice = server.connect("alice");
        Client carol = server.accept().send("/nick carol\n/join dev\n");
        carol.close();
        assertThat(server.loop.pendingTimers()).as("its setup timer is cancelled at once").isZero();
        server.loop.advanceMillis(WINDOW);

        assertThat(carol.socket.writtenText()).isEmpty();
        assertThat(carol.socket.closed).isTrue();
        assertThat(alice.take()).isEmpty();
        assertThat(server.core.userCount()).isEqualTo(1);
        assertThat(server.core.rooms()).extracting(r -> r.name()).containsExactly("#lobby");

        Client second = server.accept().send("/nick carol\n");
        server.loop.advanceMillis(WINDOW);
        assertThat(second.take()).as("the nick was never taken")
                .startsWith("-- welcome carol; /help lists the commands");
    }

    @Test
    void theTutorialClientsGbkWithoutNewlineReachesAUtf8RoomMateAsText() {
        Client alice = server.connect("alice");
        Client tutorial = server.accept().send(new byte[] {(byte) 0xC4, (byte) 0xE3, (byte) 0xBA, (byte) 0xC3});
        tutorial.close();

        List<String> heard = alice.take();
        assertThat(heard).hasSize(3);
        String guest = heard.get(0).replaceFirst("^\\[#lobby\\] -- (guest-\\d+) joined$", "$1");
        assertThat(guest).matches("guest-\\d+");
        assertThat(heard.subList(1, 3)).containsExactly(
                "[#lobby] " + guest + ": 你好",
                "-- " + guest + " quit: connection closed");
    }

    // ---- relay ----

    @Test
    void aPlainLineGoesToTheCurrentRoomOnlyAndNotBackToItsSender() {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");
        Client carol = server.connect("carol");
        carol.line("/join dev");
        carol.line("/part lobby");
        server.settle();

        alice.line("hello there");

        assertThat(bob.take()).containsExactly("[#lobby] alice: hello there");
        assertThat(alice.take()).isEmpty();
        assertThat(carol.take()).isEmpty();
    }

    @Test
    void aDoubleSlashSaysTheLineWithOneSlash() {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");

        alice.line("//nick mallory");

        assertThat(bob.take()).containsExactly("[#lobby] alice: /nick mallory");
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void blankLinesAndLinesOfControlsOnlyAreIgnored() {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");

        alice.send("\n   \n\t\r\n\u001b\u0007\n\u202e\n");

        assertThat(alice.take()).isEmpty();
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void terminalControlsAreStrippedBeforeRelay() {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");

        alice.line("a\u001b[2Jb\u0007c\bd\u202eE\u2066f\u0085g\u009bh\u007fi\rj\tk");
        alice.line("/me \u001b]0;pwned\u0007waves");
        alice.line("/msg bob \u001b[31mred\u202c");

        assertThat(bob.take()).containsExactly(
                "[#lobby] alice: a[2JbcdEfghij\tk",
                "[#lobby] * alice ]0;pwnedwaves",
                "[pm] alice: [31mred");
        assertThat(alice.take()).containsExactly("[pm -> bob] [31mred");
    }

    @Test
    void aLineTooLongIsRefusedAndTheConnectionGoesOn() {
        LineHarness small = new LineHarness(Limits.unlimited().withMaxLineBytes(16));
        Client alice = small.connect("alice");
        Client bob = small.connect("bob");

        alice.send("0123456789abcdefXYZ\nshort\n");
        assertThat(alice.take()).containsExactly(
                "! line too long (19 bytes or more, the limit is 16); discarded up to the next newline");
        assertThat(bob.take()).containsExactly("[#lobby] alice: short");

        // Over three reads: refused as soon as it is seen, the rest skipped up to the LF.
        alice.send("0123456789abcdefghij").send("still the same line").send(" end\n0123456789abcdef\n");
        assertThat(alice.take()).containsExactly(
                "! line too long (20 bytes or more, the limit is 16); discarded up to the next newline");
        assertThat(bob.take()).as("a line of exactly the limit passes")
                .containsExactly("[#lobby] alice: 0123456789abcdef");
        assertThat(alice.connection.isOpen()).isTrue();
    }

    // ---- leaving ----

    @Test
    void quitWithoutAndWithAReasonBecomesTheQuitNotice() {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");
        Client carol = server.connect("carol");

        alice.line("/quit");
        bob.line("/quit gone fishing");

        assertThat(carol.take()).containsExactly("-- alice quit", "-- bob quit: gone fishing");
    }

    @Test
    void theClientsCloseBecomesConnectionClosedAndItsLastLineIsStillSaid() {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");

        alice.send("bye all");
        alice.close();

        assertThat(bob.take()).containsExactly("[#lobby] alice: bye all", "-- alice quit: connection closed");
        assertThat(alice.connection.closeReason()).isEqualTo(CloseReason.END_OF_STREAM);
        assertThat(server.core.userCount()).isEqualTo(1);
    }

    @Test
    void aResetBecomesConnectionReset() {
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");

        alice.send("half a li");
        alice.reset();

        assertThat(bob.take()).containsExactly("[#lobby] alice: half a li", "-- alice quit: connection reset");
        assertThat(server.core.userCount()).isEqualTo(1);
    }

    @Test
    void aClientThatDoesNotReadIsToldAndItsRoomHearsSendQueueExceeded() {
        LineHarness limited = new LineHarness(Limits.unlimited().withPending(400, 0, 0));
        Client alice = limited.connect("alice");
        Client bob = limited.connect("bob");
        bob.socket.perWrite = 0; // bob stops reading

        for (int i = 0; i < 20 && bob.connection.isOpen(); i++) {
            alice.line("line " + i + " of a story that bob will never read");
        }

        assertThat(bob.connection.closeReason()).isEqualTo(CloseReason.LIMIT);
        assertThat(alice.take()).containsExactly("-- bob quit: send queue exceeded");
        assertThat(limited.core.userCount()).isEqualTo(1);

        bob.socket.perWrite = Integer.MAX_VALUE; // reads again while the close lingers
        limited.loop.writable(bob.connection);
        List<String> told = bob.take();
        assertThat(told).hasSize(1);
        assertThat(told.get(0)).startsWith("! send queue exceeded: you are not reading fast enough (")
                .endsWith(" bytes waiting, limit 400); disconnecting");
    }

    @Test
    void aSendQueueLimitShorterThanTheLineThatReportsItStillDisconnectsCleanly() {
        // The welcome and the join (79 bytes) fit; the line saying why (about 100) does not.
        LineHarness limited = new LineHarness(Limits.unlimited().withPending(90, 0, 0));
        Client alice = limited.connect("alice");
        Client bob = limited.connect("bob");
        bob.socket.perWrite = 0;

        for (int i = 0; i < 10 && bob.connection.isOpen(); i++) {
            alice.line("line " + i);
        }

        assertThat(bob.connection.closeReason()).isEqualTo(CloseReason.LIMIT);
        assertThat(alice.take()).containsExactly("-- bob quit: send queue exceeded");
        bob.socket.perWrite = Integer.MAX_VALUE;
        limited.loop.writable(bob.connection);
        assertThat(bob.take()).singleElement().asString().startsWith("! send queue exceeded: ");

        Client carol = limited.connect("carol");
        alice.line("the loop still serves");
        assertThat(carol.take()).containsExactly("[#lobby] alice: the loop still serves");
    }

    private static String joins(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "/join r" + i + "\n").collect(Collectors.joining());
    }
}
