package chat.server.text;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.text.LineHarness.Client;
import org.junit.jupiter.api.Test;

/**
 * The native moderation commands, with the lines each client receives, exactly as LineFormatter
 * words them and docs/protocol.md documents them. Alice creates {@code #a}, so she is its
 * operator; bob joins it; dave stays in #lobby only. Everyone talks in #a except dave.
 */
class LineModerationTest {

    private final LineHarness server = new LineHarness();
    private final Client alice = server.connect("alice");
    private final Client bob = server.connect("bob");
    private final Client dave = server.connect("dave");

    LineModerationTest() {
        alice.line("/join a");
        bob.line("/join a");
        server.settle();
    }

    // ---- /topic ----

    @Test
    void anOperatorSetsTheTopicAndTheRoomSeesIt() {
        alice.line("/topic release on friday");

        String line = "[#a] -- alice set the topic: release on friday";
        assertThat(alice.take()).containsExactly(line);
        assertThat(bob.take()).containsExactly(line);
        assertThat(dave.take()).isEmpty();
    }

    @Test
    void topicWithoutTextShowsItAndWhoSetIt() {
        bob.line("/topic");
        assertThat(bob.take()).containsExactly("-- #a has no topic");

        alice.line("/topic release on friday");
        server.settle();
        bob.line("/topic");
        assertThat(bob.take()).containsExactly("-- topic of #a: release on friday (set by alice)");
        dave.line("/topic #A");
        assertThat(dave.take()).as("any room by name, for anyone").containsExactly(
                "-- topic of #a: release on friday (set by alice)");
    }

    @Test
    void aNamedRoomsTopicIsSetFromElsewhere() {
        alice.line("/join b");
        server.settle();
        alice.line("/topic #a from b");
        assertThat(bob.take()).containsExactly("[#a] -- alice set the topic: from b");
    }

    @Test
    void topicIsRefusedToNonOperatorsNonMembersAndForUnknownRooms() {
        bob.line("/topic mine");
        assertThat(bob.take()).containsExactly("! only operators of #a may do that");
        dave.line("/topic #a mine");
        assertThat(dave.take()).containsExactly("! you are not in #a");
        dave.line("/topic #nowhere");
        assertThat(dave.take()).containsExactly("! no such room #nowhere");
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void withoutTopicLockAnyMemberSetsTheTopic() {
        alice.line("/mode -t");
        server.settle();
        bob.line("/topic bob's");
        assertThat(alice.take()).containsExactly("[#a] -- bob set the topic: bob's");
    }

    @Test
    void aRoomWithATopicShowsItOnJoin() {
        alice.line("/topic be nice");
        server.settle();
        dave.line("/join a");
        assertThat(dave.take()).containsExactly(
                "[#a] -- dave joined",
                "-- now talking in #a",
                "-- topic of #a: be nice");
    }

    // ---- /kick ----

    @Test
    void aKickIsToldToTheRoomAndTheKickedTalksInItsOtherRoom() {
        alice.line("/kick bob enough spam");

        String line = "[#a] -- bob was kicked by alice: enough spam";
        assertThat(alice.take()).containsExactly(line);
        assertThat(bob.take()).containsExactly(line, "-- now talking in #lobby");
        bob.line("back in the lobby");
        assertThat(dave.take()).containsExactly("[#lobby] bob: back in the lobby");
        assertThat(alice.take()).containsExactly("[#lobby] bob: back in the lobby");
    }

    @Test
    void aKickWithoutReasonHasNone() {
        bob.line("/part lobby");
        server.settle();

        alice.line("/kick BOB");

        assertThat(alice.take()).containsExactly("[#a] -- bob was kicked by alice");
        assertThat(bob.take()).containsExactly("[#a] -- bob was kicked by alice", "-- you are in no room; /join one");
        bob.line("anyone?");
        assertThat(bob.take()).containsExactly("! you are in no room; /join one");
    }

    @Test
    void kickIsRefusedToNonOperatorsAndForNonMembers() {
        bob.line("/kick alice");
        assertThat(bob.take()).containsExactly("! only operators of #a may do that");
        alice.line("/kick dave");
        assertThat(alice.take()).containsExactly("! dave is not in that room");
        alice.line("/kick nobody");
        assertThat(alice.take()).containsExactly("! no such nick \"nobody\"");
        alice.line("/kick");
        assertThat(alice.take()).containsExactly("! usage: /kick NICK [REASON]");
        assertThat(bob.take()).isEmpty();
    }

    // ---- /ban, /unban ----

    @Test
    void aBanOfANickBansItsMaskAndKeepsItOut() {
        alice.line("/ban dave");
        String line = "[#a] -- alice set mode +b dave!*@*";
        assertThat(alice.take()).containsExactly(line);
        assertThat(bob.take()).containsExactly(line);

        dave.line("/join a");
        assertThat(dave.take()).containsExactly("! you are banned from #a");

        alice.line("/unban dave");
        assertThat(bob.take()).containsExactly("[#a] -- alice set mode -b dave!*@*");
        dave.line("/join a");
        assertThat(dave.take()).startsWith("[#a] -- dave joined");
    }

    @Test
    void aBanOnTheAddressSilencesMembersButNotVoicedOnes() {
        alice.line("/ban *@127.0.0.1");
        assertThat(bob.take()).containsExactly("[#a] -- alice set mode +b *!*@127.0.0.1");

        bob.line("hello?");
        assertThat(bob.take()).containsExactly("! you cannot speak in #a (moderated, or you are banned)");
        alice.line("ops still speak");
        assertThat(bob.take()).containsExactly("[#a] alice: ops still speak");
        alice.line("/voice bob");
        server.settle();
        bob.line("voiced");
        assertThat(alice.take()).containsExactly("[#a] bob: voiced");
    }

    @Test
    void banAndUnbanNeedOneArgumentAndAnOperator() {
        alice.line("/ban");
        alice.line("/ban a b");
        alice.line("/unban");
        assertThat(alice.take()).containsExactly(
                "! usage: /ban MASK|NICK", "! usage: /ban MASK|NICK", "! usage: /unban MASK");
        bob.line("/ban dave");
        assertThat(bob.take()).containsExactly("! only operators of #a may do that");
    }

    // ---- /op, /deop, /voice, /devoice ----

    @Test
    void privilegesAreGivenAndTakenAndTheRoomSeesEach() {
        alice.line("/op bob");
        alice.line("/deop BOB");
        alice.line("/voice bob");
        alice.line("/devoice bob");

        assertThat(bob.take()).containsExactly(
                "[#a] -- alice set mode +o bob",
                "[#a] -- alice set mode -o bob",
                "[#a] -- alice set mode +v bob",
                "[#a] -- alice set mode -v bob");
        assertThat(dave.take()).isEmpty();
    }

    @Test
    void whoMarksOperatorsAndVoicedMembers() {
        dave.line("/join a");
        alice.line("/voice dave");
        server.settle();

        bob.line("/who");
        assertThat(bob.take()).containsExactly("-- #a (3): @alice bob +dave");
        alice.line("/op dave");
        server.settle();
        bob.line("/who #a");
        assertThat(bob.take()).as("the highest rank alone").containsExactly("-- #a (3): @alice bob @dave");
    }

    @Test
    void anOpedMemberMayModerate() {
        alice.line("/op bob");
        server.settle();
        bob.line("/kick alice");
        assertThat(alice.take()).containsExactly("[#a] -- alice was kicked by bob", "-- now talking in #lobby");
    }

    @Test
    void privilegeCommandsNeedANickInTheRoom() {
        alice.line("/op");
        alice.line("/deop");
        alice.line("/voice");
        alice.line("/devoice");
        alice.line("/op dave");
        alice.line("/voice nobody");
        assertThat(alice.take()).containsExactly(
                "! usage: /op NICK", "! usage: /deop NICK", "! usage: /voice NICK", "! usage: /devoice NICK",
                "! dave is not in that room", "! no such nick \"nobody\"");
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void privilegeCommandsOutsideAnyRoomSaySo() {
        dave.line("/part lobby");
        dave.take();
        dave.line("/op bob");
        assertThat(dave.take()).containsExactly("! you are in no room; join one first for that");
    }

    // ---- /mode ----

    @Test
    void modeWithoutArgumentsShowsTheModes() {
        bob.line("/mode");
        assertThat(bob.take()).containsExactly("-- #a modes: +nt");
        alice.line("/mode +ilk 5 sesame");
        server.settle();
        bob.line("/mode");
        assertThat(bob.take()).containsExactly("-- #a modes: +intkl sesame 5");
    }

    @Test
    void severalChangesAreOneLine() {
        alice.line("/mode +mk-t sesame");
        String line = "[#a] -- alice set mode +m +k sesame -t";
        assertThat(alice.take()).containsExactly(line);
        assertThat(bob.take()).containsExactly(line);

        alice.line("/mode -k");
        assertThat(bob.take()).containsExactly("[#a] -- alice set mode -k *");
    }

    @Test
    void modeErrorsNameTheLetterOrTheForm() {
        alice.line("/mode +x");
        assertThat(alice.take()).containsExactly("! unknown mode x; modes: imnst, k KEY, l N, b/e/I MASK, o/v NICK");
        alice.line("/mode +k");
        assertThat(alice.take()).containsExactly("! usage: /mode +k ARGUMENT");
        alice.line("/mode +o");
        assertThat(alice.take()).containsExactly("! usage: /mode +o ARGUMENT");
        alice.line("/mode +k a,b");
        alice.line("/mode +b :x");
        assertThat(alice.take()).containsExactly(
                "! invalid argument for mode k: one word without commas, not starting with :",
                "! invalid argument for mode b: one word without commas, not starting with :");
        alice.line("/mode +xm");
        assertThat(alice.take()).as("the known letters still apply").containsExactly(
                "[#a] -- alice set mode +m", "! unknown mode x; modes: imnst, k KEY, l N, b/e/I MASK, o/v NICK");
        server.settle();
        bob.line("/mode -m");
        assertThat(bob.take()).containsExactly("! only operators of #a may do that");
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void aChangeThatChangesNothingIsNotAnnounced() {
        alice.line("/mode +nt");
        alice.line("/mode +l many");
        assertThat(alice.take()).isEmpty();
        assertThat(bob.take()).isEmpty();
    }

    @Test
    void aModeratedRoomHearsOnlyOperatorsAndVoicedMembers() {
        alice.line("/mode +m");
        server.settle();
        bob.line("hello?");
        assertThat(bob.take()).containsExactly("! you cannot speak in #a (moderated, or you are banned)");
        bob.line("/me waves");
        assertThat(bob.take()).containsExactly("! you cannot speak in #a (moderated, or you are banned)");
        assertThat(alice.take()).isEmpty();
    }

    @Test
    void joinRefusalsSayWhatIsNeeded() {
        alice.line("/mode +k sesame");
        dave.line("/join a");
        dave.line("/join a wrong");
        assertThat(dave.take()).containsExactly(
                "! #a has a key (+k): /join #a KEY", "! #a has a key (+k): /join #a KEY");
        dave.line("/join a sesame");
        assertThat(dave.take()).startsWith("[#a] -- dave joined");
        dave.line("/part");
        alice.line("/mode -k+l * 2");
        server.settle();

        dave.line("/join a");
        assertThat(dave.take()).containsExactly("! #a is full (+l); ask one of its operators");
        alice.line("/mode -l+i");
        dave.line("/join a");
        assertThat(dave.take()).containsExactly("! #a is invite-only (+i); ask one of its operators to /invite you");
        dave.line("/join a b c");
        assertThat(dave.take()).containsExactly("! usage: /join ROOM [KEY]");
    }

    // ---- /invite ----

    @Test
    void anInvitationIsToldToTheInvitedAndLetsItIn() {
        alice.line("/mode +i");
        server.settle();

        alice.line("/invite DAVE");
        assertThat(alice.take()).containsExactly("-- invited dave to #a");
        assertThat(dave.take()).containsExactly("-- alice invites you to #a; /join #a");
        assertThat(bob.take()).isEmpty();

        dave.line("/join #a");
        assertThat(dave.take()).startsWith("[#a] -- dave joined");
    }

    @Test
    void anInvitationToANamedRoomShowsItsName() {
        alice.line("/join b");
        alice.line("/invite dave A");
        assertThat(alice.take()).endsWith("-- invited dave to #a");
    }

    @Test
    void invitationsAreRefusedForMembersAndToNonOperatorsOfAnInviteOnlyRoom() {
        alice.line("/invite bob");
        assertThat(alice.take()).containsExactly("! bob is already in that room");
        alice.line("/mode +i");
        server.settle();
        bob.line("/invite dave");
        assertThat(bob.take()).containsExactly("! only operators of #a may do that");
        dave.line("/invite bob #a");
        assertThat(dave.take()).containsExactly("! you are not in #a");
        alice.line("/invite");
        alice.line("/invite a b c");
        assertThat(alice.take()).containsExactly("! usage: /invite NICK [ROOM]", "! usage: /invite NICK [ROOM]");
        assertThat(dave.take()).isEmpty();
    }

    // ---- /away, /whois ----

    @Test
    void awayIsShownByWhoisAndClearedWithoutAMessage() {
        bob.line("/away lunch");
        assertThat(bob.take()).containsExactly("-- you are away: lunch");
        assertThat(alice.take()).as("nobody is told").isEmpty();

        dave.line("/whois BOB");
        assertThat(dave.take()).containsExactly("-- bob is bob!~chat@127.0.0.1, in #lobby #a, away: lunch");

        bob.line("/away");
        assertThat(bob.take()).containsExactly("-- you are back");
        dave.line("/whois bob");
        assertThat(dave.take()).containsExactly("-- bob is bob!~chat@127.0.0.1, in #lobby #a");
    }

    @Test
    void aLongAwayMessageIsCutAndItsWriterSeesWhatWasKept() {
        bob.line("/away " + "z".repeat(1000));
        assertThat(bob.take()).containsExactly("-- you are away: " + "z".repeat(chat.server.core.ChatCore.MAX_AWAY_BYTES));
    }

    @Test
    void whoisOfSomeoneInNoRoomAndOfNobody() {
        dave.line("/part");
        server.settle();
        alice.line("/whois dave");
        assertThat(alice.take()).containsExactly("-- dave is dave!~chat@127.0.0.1, in no room");
        alice.line("/whois nobody");
        alice.line("/whois");
        assertThat(alice.take()).containsExactly("! no such nick \"nobody\"", "! usage: /whois NICK");
    }
}
