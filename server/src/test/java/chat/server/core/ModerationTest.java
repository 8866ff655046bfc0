package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Room moderation in the core alone: who is operator, what each mode lets in or keeps quiet,
 * topics, kicks, invitations and mode changes, and who is told. Alice creates {@code #a} (and is
 * its operator); bob and carol join it; dave is connected and in no room. Each comes from its
 * own address, {@code 10.0.0.N}.
 */
class ModerationTest {

    private final ChatCore core = new ChatCore("lobby");
    private final List<Inbox> inboxes = new ArrayList<>();

    private final Inbox a = new Inbox();
    private final Inbox b = new Inbox();
    private final Inbox c = new Inbox();
    private final Inbox d = new Inbox();
    private final User alice;
    private final User bob;
    private final User carol;
    private final User dave;

    /** Records what one user is told. */
    private static final class Inbox implements Recipient {
        final List<ChatEvent> events = new ArrayList<>();

        @Override
        public void deliver(ChatEvent event) {
            events.add(event);
        }
    }

    ModerationTest() throws Exception {
        alice = user("alice", 1, a);
        bob = user("bob", 2, b);
        carol = user("carol", 3, c);
        dave = user("dave", 4, d);
        core.join(alice, "#a");
        core.join(bob, "#a");
        core.join(carol, "#a");
        settle();
    }

    private User user(String nick, int host, Inbox inbox) throws Exception {
        inboxes.add(inbox);
        return core.connect(inbox, nick, new Identity("~" + nick, "", InetAddress.getByName("10.0.0." + host)));
    }

    private void settle() {
        inboxes.forEach(inbox -> inbox.events.clear());
    }

    private Room room() {
        return core.room("#a");
    }

    private static void refused(ThrowingCallable call, ChatError error, String subject) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChatException.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.subject()).isEqualTo(subject);
        });
    }

    private ChatCore.ModeResult modes(User by, ModeChange... changes) throws ChatException {
        return core.changeModes(by, "#a", List.of(changes));
    }

    private static ModeChange plus(char mode, String param) {
        return new ModeChange(true, mode, param);
    }

    private static ModeChange minus(char mode, String param) {
        return new ModeChange(false, mode, param);
    }

    // ---- operators ----

    @Test
    void theFirstMemberIsOperatorAndTheOthersAreNot() {
        assertThat(room().isOperator(alice)).isTrue();
        assertThat(room().isOperator(bob)).isFalse();
        assertThat(room().hasVoice(bob)).isFalse();
        assertThat(room().modeString()).isEqualTo("+nt");
    }

    @Test
    void anOperatorThatLeavesIsNotOperatorWhenItComesBack() throws Exception {
        core.part(alice, "#a", "");
        core.join(alice, "#a");
        assertThat(room().isOperator(alice)).isFalse();
        assertThat(room().members()).containsExactly(bob, carol, alice);
    }

    @Test
    void aPrivilegeGivenLeavesWithTheMember() throws Exception {
        modes(alice, plus('o', "bob"), plus('v', "carol"));
        core.part(bob, "#a", "");
        core.part(carol, "#a", "");
        core.join(bob, "#a");
        core.join(carol, "#a");
        assertThat(room().isOperator(bob)).isFalse();
        assertThat(room().hasVoice(carol)).isFalse();
    }

    @Test
    void aRoomEmptiedAndRecreatedHasItsNewFirstMemberAsOperatorAndFreshModes() throws Exception {
        modes(alice, plus('i', null), plus('b', "dave"));
        core.part(alice, "#a", "");
        core.part(bob, "#a", "");
        core.disconnect(carol, "gone");
        assertThat(core.room("#a")).isNull();

        core.join(dave, "#a");
        core.join(bob, "#a");
        assertThat(room().isOperator(dave)).isTrue();
        assertThat(room().isOperator(bob)).isFalse();
        assertThat(room().modeString()).isEqualTo("+nt");
        assertThat(room().list('b')).isEmpty();
    }

    @Test
    void aPrivilegeFollowsAMemberThroughANickChange() throws Exception {
        core.rename(alice, "alicia");
        assertThat(room().isOperator(alice)).isTrue();
        assertThat(modes(alice, plus('v', "bob")).applied()).containsExactly(plus('v', "bob"));
    }

    // ---- who may join ----

    @Test
    void inviteOnlyRefusesTheUninvitedAndAnInvitationAdmitsOnce() throws Exception {
        modes(alice, plus('i', null));
        refused(() -> core.join(dave, "#a"), ChatError.INVITE_ONLY, "#a");

        assertThat(core.invite(alice, "DAVE", "#a")).isEqualTo("dave");
        core.join(dave, "#a");
        assertThat(dave.isIn(room())).isTrue();

        core.part(dave, "#a", "");
        refused(() -> core.join(dave, "#a"), ChatError.INVITE_ONLY, "#a");
    }

    @Test
    void anInviteExceptionAdmitsWithoutInvitationEveryTime() throws Exception {
        modes(alice, plus('i', null), plus('I', "*@10.0.0.4"));
        core.join(dave, "#a");
        core.part(dave, "#a", "");
        core.join(dave, "#a");
        assertThat(dave.isIn(room())).isTrue();
    }

    @Test
    void aKeyRefusesThoseWithoutItOrWithAnother() throws Exception {
        modes(alice, plus('k', "sesame"));
        refused(() -> core.join(dave, "#a"), ChatError.BAD_KEY, "#a");
        refused(() -> core.join(dave, "#a", "SESAME"), ChatError.BAD_KEY, "#a");
        refused(() -> core.join(dave, "#a", ""), ChatError.BAD_KEY, "#a");
        core.join(dave, "#a", "sesame");
        assertThat(dave.isIn(room())).isTrue();
    }

    @Test
    void aLimitRefusesWhenTheRoomIsFull() throws Exception {
        modes(alice, plus('l', "3"));
        refused(() -> core.join(dave, "#a"), ChatError.ROOM_FULL, "#a");
        core.part(carol, "#a", "");
        core.join(dave, "#a");
        refused(() -> core.join(carol, "#a"), ChatError.ROOM_FULL, "#a");
        modes(alice, minus('l', null));
        core.join(carol, "#a");
    }

    @Test
    void aLimitIsCheckedEvenForTheInvited() throws Exception {
        modes(alice, plus('l', "3"), plus('i', null));
        core.invite(alice, "dave", "#a");
        refused(() -> core.join(dave, "#a"), ChatError.ROOM_FULL, "#a");
        core.part(carol, "#a", "");
        core.join(dave, "#a");
        assertThat(dave.isIn(room())).as("the refused join did not use the invitation up").isTrue();
    }

    @Test
    void aBanRefusesAndAnExceptionLetsThrough() throws Exception {
        modes(alice, plus('b', "*!*@10.0.0.*"));
        refused(() -> core.join(dave, "#a"), ChatError.BANNED, "#a");
        modes(alice, plus('e', "dave"));
        core.join(dave, "#a");
        assertThat(dave.isIn(room())).isTrue();
    }

    @Test
    void aBanRefusesEvenTheInvited() throws Exception {
        modes(alice, plus('b', "dave"));
        core.invite(alice, "dave", "#a");
        refused(() -> core.join(dave, "#a"), ChatError.BANNED, "#a");
    }

    @Test
    void aBanIsCheckedAgainstTheCurrentNick() throws Exception {
        modes(alice, plus('b', "dave"));
        core.rename(dave, "david");
        core.join(dave, "#a");
        assertThat(dave.isIn(room())).isTrue();
    }

    // ---- who may speak ----

    @Test
    void aBannedMemberCannotSpeakUnlessVoicedOrOperator() throws Exception {
        modes(alice, plus('b', "*!*@10.0.0.*"));
        settle();
        refused(() -> core.say(bob, "#a", "hi", MessageKind.TEXT), ChatError.CANNOT_SEND, "#a");
        core.say(alice, "#a", "ops may", MessageKind.TEXT);
        modes(alice, plus('v', "bob"));
        settle();
        core.say(bob, "#a", "voiced may", MessageKind.TEXT);
        assertThat(c.events).usingRecursiveFieldByFieldElementComparatorIgnoringFields("id", "time").containsExactly(new ChatEvent.RoomMessage("#a", bob, "voiced may", MessageKind.TEXT));
        assertThat(bob.isIn(room())).as("a ban does not put members out").isTrue();
    }

    @Test
    void anExceptionLetsABannedMemberSpeak() throws Exception {
        modes(alice, plus('b', "*!*@10.0.0.*"), plus('e', "carol!*@*"));
        core.say(carol, "#a", "excepted", MessageKind.TEXT);
        refused(() -> core.say(bob, "#a", "hi", MessageKind.TEXT), ChatError.CANNOT_SEND, "#a");
    }

    @Test
    void aModeratedRoomHearsOnlyOperatorsAndVoicedMembers() throws Exception {
        modes(alice, plus('m', null), plus('v', "carol"));
        settle();
        refused(() -> core.say(bob, "#a", "hi", MessageKind.TEXT), ChatError.CANNOT_SEND, "#a");
        refused(() -> core.say(bob, "#a", "hi", MessageKind.ACTION), ChatError.CANNOT_SEND, "#a");
        core.say(carol, "#a", "voiced", MessageKind.TEXT);
        core.say(alice, "#a", "op", MessageKind.TEXT);
        assertThat(b.events).usingRecursiveFieldByFieldElementComparatorIgnoringFields("id", "time").containsExactly(
                new ChatEvent.RoomMessage("#a", carol, "voiced", MessageKind.TEXT),
                new ChatEvent.RoomMessage("#a", alice, "op", MessageKind.TEXT));

        modes(alice, minus('m', null));
        core.say(bob, "#a", "free again", MessageKind.TEXT);
    }

    @Test
    void withoutNoExternalMessagesOutsidersMaySpeak() throws Exception {
        refused(() -> core.say(dave, "#a", "hi", MessageKind.TEXT), ChatError.NOT_IN_ROOM, "#a");
        modes(alice, minus('n', null));
        settle();
        assertThat(core.say(dave, "#A", "from outside", MessageKind.TEXT)).isEqualTo("#a");
        ChatEvent said = new ChatEvent.RoomMessage("#a", dave, "from outside", MessageKind.TEXT);
        assertThat(a.events).usingRecursiveFieldByFieldElementComparatorIgnoringFields("id", "time").containsExactly(said);
        assertThat(b.events).usingRecursiveFieldByFieldElementComparatorIgnoringFields("id", "time").containsExactly(said);
        assertThat(d.events).isEmpty();
    }

    @Test
    void outsidersAreStillHeldByModerationAndBans() throws Exception {
        modes(alice, minus('n', null), plus('b', "dave"));
        refused(() -> core.say(dave, "#a", "hi", MessageKind.TEXT), ChatError.CANNOT_SEND, "#a");
        modes(alice, minus('b', "dave"), plus('m', null));
        refused(() -> core.say(dave, "#a", "hi", MessageKind.TEXT), ChatError.CANNOT_SEND, "#a");
    }

    // ---- topic ----

    @Test
    void withTopicLockOnlyOperatorsSetTheTopicAndEveryMemberIsTold() throws Exception {
        refused(() -> core.setTopic(bob, "#a", "mine"), ChatError.NOT_OPERATOR, "#a");
        assertThat(room().topic()).isEmpty();

        long before = System.currentTimeMillis() / 1000;
        core.setTopic(alice, "#A", "release friday");

        ChatEvent told = new ChatEvent.TopicChanged("#a", alice, "release friday");
        assertThat(a.events).containsExactly(told);
        assertThat(b.events).containsExactly(told);
        assertThat(c.events).containsExactly(told);
        assertThat(d.events).isEmpty();
        assertThat(room().topic()).isEqualTo("release friday");
        assertThat(room().topicSetBy()).isEqualTo("alice");
        assertThat(room().topicSetAt()).isBetween(before, System.currentTimeMillis() / 1000);
    }

    @Test
    void withoutTopicLockAnyMemberSetsTheTopicButNoOutsider() throws Exception {
        modes(alice, minus('t', null));
        core.setTopic(bob, "#a", "bob's");
        assertThat(room().topicSetBy()).isEqualTo("bob");
        refused(() -> core.setTopic(dave, "#a", "dave's"), ChatError.NOT_IN_ROOM, "#a");
        refused(() -> core.setTopic(dave, "#nowhere", "x"), ChatError.NO_SUCH_ROOM, "#nowhere");
        core.setTopic(carol, "#a", "");
        assertThat(room().topic()).isEmpty();
    }

    // ---- kick ----

    @Test
    void aKickedMemberIsRemovedAndEveryMemberIsToldTheTargetIncluded() throws Exception {
        core.kick(alice, "#a", "BOB", "behave");

        ChatEvent kicked = new ChatEvent.Kicked("#a", alice, "bob", "behave");
        assertThat(a.events).containsExactly(kicked);
        assertThat(b.events).containsExactly(kicked);
        assertThat(c.events).containsExactly(kicked);
        assertThat(d.events).isEmpty();
        assertThat(bob.isIn(room())).isFalse();
        assertThat(core.roomsOf(bob)).isEmpty();
        assertThat(room().members()).containsExactly(alice, carol);

        settle();
        core.say(alice, "#a", "after", MessageKind.TEXT);
        assertThat(b.events).as("no longer hears the room").isEmpty();
    }

    @Test
    void aKickIsRefusedToNonOperatorsAndForNonMembers() throws Exception {
        refused(() -> core.kick(bob, "#a", "carol", ""), ChatError.NOT_OPERATOR, "#a");
        refused(() -> core.kick(dave, "#a", "carol", ""), ChatError.NOT_IN_ROOM, "#a");
        refused(() -> core.kick(alice, "#a", "dave", ""), ChatError.USER_NOT_IN_ROOM, "dave");
        refused(() -> core.kick(alice, "#a", "nobody", ""), ChatError.NO_SUCH_NICK, "nobody");
        refused(() -> core.kick(alice, "#b", "bob", ""), ChatError.NO_SUCH_ROOM, "#b");
        assertThat(room().members()).containsExactly(alice, bob, carol);
        assertThat(a.events).isEmpty();
    }

    @Test
    void aKickTakesTheTargetsPrivilegesAndEmptiesTheRoomWhenLast() throws Exception {
        modes(alice, plus('o', "bob"));
        core.kick(bob, "#a", "alice", "");
        core.join(alice, "#a");
        assertThat(room().isOperator(alice)).isFalse();

        core.kick(bob, "#a", "alice", "");
        core.kick(bob, "#a", "carol", "");
        core.kick(bob, "#a", "bob", "self");
        assertThat(core.room("#a")).isNull();
    }

    // ---- invite ----

    @Test
    void anInvitationIsToldToTheInvitedAndToEveryOtherMemberOfAnOpenRoom() throws Exception {
        assertThat(core.invite(bob, "dave", "#A")).isEqualTo("dave");
        ChatEvent invited = new ChatEvent.Invited("#a", bob, "dave");
        assertThat(d.events).containsExactly(invited);
        assertThat(a.events).containsExactly(invited);
        assertThat(c.events).containsExactly(invited);
        assertThat(b.events).as("the inviter has its answer already").isEmpty();
    }

    @Test
    void anInvitationToAnInviteOnlyRoomIsToldToItsOperatorsAlone() throws Exception {
        modes(alice, plus('i', null), plus('o', "bob"));
        settle();
        core.invite(alice, "dave", "#a");
        ChatEvent invited = new ChatEvent.Invited("#a", alice, "dave");
        assertThat(d.events).containsExactly(invited);
        assertThat(b.events).containsExactly(invited);
        assertThat(c.events).as("carol could not have invited").isEmpty();
        assertThat(a.events).isEmpty();
    }

    @Test
    void anInvitationIsRefusedToNonOperatorsOfAnInviteOnlyRoomAndForMembers() throws Exception {
        modes(alice, plus('i', null));
        refused(() -> core.invite(bob, "dave", "#a"), ChatError.NOT_OPERATOR, "#a");
        refused(() -> core.invite(alice, "carol", "#a"), ChatError.ALREADY_IN_ROOM, "carol");
        refused(() -> core.invite(dave, "dave", "#a"), ChatError.NOT_IN_ROOM, "#a");
        refused(() -> core.invite(alice, "nobody", "#a"), ChatError.NO_SUCH_NICK, "nobody");
        refused(() -> core.invite(alice, "dave", "#b"), ChatError.NO_SUCH_ROOM, "#b");
        assertThat(d.events).isEmpty();
        refused(() -> core.join(dave, "#a"), ChatError.INVITE_ONLY, "#a");
    }

    @Test
    void invitationsAreBoundedAndTheOldestIsForgotten() throws Exception {
        modes(alice, plus('i', null));
        core.invite(alice, "dave", "#a");
        List<User> others = new ArrayList<>();
        for (int i = 0; i < Room.MAX_INVITATIONS; i++) {
            User guest = core.connect(new Inbox(), new Identity("~g", "", InetAddress.getLoopbackAddress()));
            core.invite(alice, guest.nick(), "#a");
            others.add(guest);
        }
        refused(() -> core.join(dave, "#a"), ChatError.INVITE_ONLY, "#a");
        core.join(others.get(0), "#a");
        core.join(others.get(Room.MAX_INVITATIONS - 1), "#a");
    }

    @Test
    void invitingTwiceKeepsOneInvitation() throws Exception {
        modes(alice, plus('i', null));
        core.invite(alice, "dave", "#a");
        core.invite(alice, "dave", "#a");
        core.join(dave, "#a");
        core.part(dave, "#a", "");
        refused(() -> core.join(dave, "#a"), ChatError.INVITE_ONLY, "#a");
    }

    // ---- changing modes ----

    @Test
    void appliedChangesAreAnnouncedOnceToEveryMemberInTheirNormalForm() throws Exception {
        ChatCore.ModeResult result = modes(alice,
                plus('o', "BOB"), plus('v', "carol"), plus('b', "dave"), plus('e', "*@10.0.0.4"),
                plus('I', "carol!~carol"), plus('k', "sesame"), plus('l', "10"), plus('m', null), minus('t', null));

        List<ModeChange> applied = List.of(
                plus('o', "bob"), plus('v', "carol"), plus('b', "dave!*@*"), plus('e', "*!*@10.0.0.4"),
                plus('I', "carol!~carol@*"), plus('k', "sesame"), plus('l', "10"), plus('m', null), minus('t', null));
        assertThat(result.applied()).containsExactlyElementsOf(applied);
        assertThat(result.refused()).isEmpty();
        ChatEvent announced = new ChatEvent.ModeChanged("#a", alice, applied);
        assertThat(a.events).containsExactly(announced);
        assertThat(b.events).containsExactly(announced);
        assertThat(c.events).containsExactly(announced);
        assertThat(d.events).isEmpty();
        assertThat(b.events.get(0)).isSameAs(a.events.get(0));

        assertThat(room().modeString()).isEqualTo("+mnkl sesame 10");
        assertThat(room().list('b')).containsExactly("dave!*@*");
        assertThat(room().list('e')).containsExactly("*!*@10.0.0.4");
        assertThat(room().list('I')).containsExactly("carol!~carol@*");
        assertThat(room().isOperator(bob)).isTrue();
        assertThat(room().hasVoice(carol)).isTrue();
    }

    @Test
    void removingTheKeyIsAnnouncedWithAStar() throws Exception {
        modes(alice, plus('k', "sesame"));
        settle();
        assertThat(modes(alice, minus('k', "whatever")).applied()).containsExactly(minus('k', "*"));
        assertThat(room().key()).isNull();
        assertThat(modes(alice, minus('k', "*")).applied()).as("no key to remove").isEmpty();
        assertThat(b.events).hasSize(1);
    }

    @Test
    void aLimitThatIsNotAPositiveNumberIsIgnored() throws Exception {
        assertThat(modes(alice, plus('l', "ten"), plus('l', "0"), plus('l', "-3"), plus('l', "")).applied()).isEmpty();
        assertThat(room().limit()).isZero();
        assertThat(modes(alice, plus('l', "007")).applied()).containsExactly(plus('l', "7"));
        assertThat(modes(alice, minus('l', null)).applied()).containsExactly(minus('l', null));
        assertThat(modes(alice, minus('l', null)).applied()).isEmpty();
        assertThat(a.events).hasSize(2);
    }

    @Test
    void changesThatChangeNothingAreNotAnnounced() throws Exception {
        ChatCore.ModeResult result = modes(alice, plus('n', null), plus('t', null), minus('i', null),
                plus('o', "alice"), minus('v', "bob"), minus('b', "nobody"));
        assertThat(result.applied()).isEmpty();
        assertThat(result.refused()).isEmpty();
        assertThat(a.events).isEmpty();
    }

    @Test
    void aMaskAlreadyListedInAnyCaseIsNotAddedTwiceAndIsRemovedInAnyCase() throws Exception {
        modes(alice, plus('b', "Dave"));
        assertThat(modes(alice, plus('b', "DAVE!*@*")).applied()).isEmpty();
        assertThat(modes(alice, minus('b', "dave")).applied()).containsExactly(minus('b', "dave!*@*"));
        assertThat(room().list('b')).isEmpty();
    }

    @Test
    void eachRefusedChangeIsReportedAndTheRestApplied() throws Exception {
        ChatCore.ModeResult result = modes(alice,
                plus('x', null), plus('o', "dave"), plus('v', "nobody"), plus('m', null));

        assertThat(result.applied()).containsExactly(plus('m', null));
        assertThat(result.refused()).extracting(ChatException::error, ChatException::subject).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ChatError.UNKNOWN_MODE, "x"),
                org.assertj.core.groups.Tuple.tuple(ChatError.USER_NOT_IN_ROOM, "dave"),
                org.assertj.core.groups.Tuple.tuple(ChatError.NO_SUCH_NICK, "nobody"));
        assertThat(a.events).containsExactly(new ChatEvent.ModeChanged("#a", alice, List.of(plus('m', null))));
    }

    @Test
    void aKeyOrMaskThatCouldNotBeTypedBackIsRefused() throws Exception {
        ChatCore.ModeResult result = modes(alice, plus('k', "two words"), plus('k', "a,b"), plus('k', ""),
                plus('k', ":x"), plus('b', "da ve"), plus('e', ":x"), plus('I', ""), plus('k', "ok"));
        assertThat(result.applied()).containsExactly(plus('k', "ok"));
        assertThat(result.refused()).extracting(ChatException::error).containsOnly(ChatError.INVALID_MODE_PARAM);
        assertThat(result.refused()).extracting(ChatException::subject)
                .containsExactly("k", "k", "k", "k", "b", "e", "I");
        assertThat(room().list('b')).isEmpty();
    }

    @Test
    void onlyOperatorsChangeModes() {
        refused(() -> modes(bob, plus('m', null)), ChatError.NOT_OPERATOR, "#a");
        refused(() -> modes(dave, plus('m', null)), ChatError.NOT_IN_ROOM, "#a");
        refused(() -> core.changeModes(alice, "#b", List.of(plus('m', null))), ChatError.NO_SUCH_ROOM, "#b");
        assertThat(room().hasFlag('m')).isFalse();
        assertThat(a.events).isEmpty();
    }

    @Test
    void anOperatorMayDeopItselfAndThenChangesNothing() throws Exception {
        assertThat(modes(alice, minus('o', "alice")).applied()).containsExactly(minus('o', "alice"));
        refused(() -> modes(alice, plus('o', "alice")), ChatError.NOT_OPERATOR, "#a");
    }

    // ---- away ----

    @Test
    void awayIsSetAndClearedAndToldToRoomMatesOnlyWhenItChanges() {
        core.setAway(bob, "lunch");
        assertThat(bob.away()).isEqualTo("lunch");
        core.setAway(bob, "");
        assertThat(bob.away()).isNull();
        core.setAway(bob, null); // already back: nothing to tell
        assertThat(bob.away()).isNull();
        assertThat(a.events).containsExactly(new ChatEvent.AwayChanged(bob, "lunch"), new ChatEvent.AwayChanged(bob, null));
        assertThat(b.events).as("not told of its own away").isEmpty();
    }

    @Test
    void eachListHoldsAtMostItsBoundAndSaysSoWithoutStoppingTheOtherChanges() throws Exception {
        List<ModeChange> bans = new ArrayList<>();
        for (int i = 0; i < ModeChange.MAX_LIST_LENGTH; i++) {
            bans.add(new ModeChange(true, 'b', "spam" + i + "!*@*"));
        }
        core.changeModes(alice, "#a", bans);
        ChatCore.ModeResult result = core.changeModes(alice, "#a", List.of(new ModeChange(true, 'b', "one!*@*"),
                new ModeChange(true, 'e', "one!*@*"), new ModeChange(false, 'b', "spam0!*@*")));
        assertThat(result.refused()).singleElement().satisfies(e -> {
            assertThat(e.error()).isEqualTo(ChatError.LIST_FULL);
            assertThat(e.subject()).isEqualTo("b");
        });
        assertThat(result.applied()).hasSize(2);
        assertThat(core.room("#a").list('b')).hasSize(ModeChange.MAX_LIST_LENGTH - 1);
    }
}
