package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chat core alone: no sockets, no wire format, events recorded as they are delivered. */
class ChatCoreTest {

    private static final Identity ID = new Identity("~u", "", java.net.InetAddress.getLoopbackAddress());

    private final ChatCore core = new ChatCore("lobby");
    private final List<Inbox> inboxes = new ArrayList<>();

    /** Records what one user is told. */
    private static final class Inbox implements Recipient {
        final List<ChatEvent> events = new ArrayList<>();

        @Override
        public void deliver(ChatEvent event) {
            events.add(event);
        }
    }

    private User user(String nick, Inbox inbox) throws ChatException {
        User user = core.connect(inbox, ID);
        core.rename(user, nick);
        core.join(user, core.defaultRoom());
        inboxes.add(inbox);
        settle();
        return user;
    }

    /** Forgets what set-up told everyone, so a test sees only what its action caused. */
    private void settle() {
        inboxes.forEach(inbox -> inbox.events.clear());
    }

    @Test
    void guestsGetDistinctNicksAndTheDefaultRoomIsShownWithItsHash() {
        assertThat(core.defaultRoom()).isEqualTo("#lobby");
        List<String> nicks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            nicks.add(core.connect(new Inbox(), ID).nick());
        }
        assertThat(nicks).doesNotHaveDuplicates().allMatch(n -> n.matches("guest-\\d{4,}"));
        assertThat(core.userCount()).isEqualTo(500);
    }

    @Test
    void oneEventInstanceReachesEveryOtherMember() throws Exception {
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        Inbox c = new Inbox();
        User alice = user("alice", a);
        user("bob", b);
        user("carol", c);

        core.say(alice, "#lobby", "hi", MessageKind.TEXT);

        assertThat(a.events).isEmpty();
        assertThat(b.events).usingRecursiveFieldByFieldElementComparatorIgnoringFields("id", "time").containsExactly(new ChatEvent.RoomMessage("#lobby", alice, "hi", MessageKind.TEXT));
        assertThat(c.events.get(0)).isSameAs(b.events.get(0));
    }

    @Test
    void nicksAreUniqueRegardlessOfCaseAndARefusedNickKeepsTheOldOne() throws Exception {
        User alice = user("alice", new Inbox());
        User bob = user("bob", new Inbox());
        assertThatThrownBy(() -> core.rename(bob, "ALICE"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.NICK_TAKEN));
        assertThatThrownBy(() -> core.rename(bob, "a b"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.INVALID_NICK));
        assertThatThrownBy(() -> core.rename(bob, "x".repeat(33)))
                .isInstanceOf(ChatException.class);
        assertThat(bob.nick()).isEqualTo("bob");
        core.rename(alice, "Alice"); // a user may change the case of its own nick
        assertThat(alice.nick()).isEqualTo("Alice");
        core.rename(bob, "鲍勃");
        assertThat(bob.nick()).isEqualTo("鲍勃");
    }

    @Test
    void aNickChangeIsToldOnceToEachRoomMateAndToTheUser() throws Exception {
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        Inbox outsider = new Inbox();
        User alice = user("alice", a);
        User bob = user("bob", b);
        User carol = user("carol", outsider);
        core.join(alice, "dev");
        core.join(bob, "dev");
        core.part(carol, "lobby", "");
        a.events.clear();
        b.events.clear();
        outsider.events.clear();

        core.rename(alice, "alicia");

        ChatEvent change = new ChatEvent.NickChanged("alice", alice);
        assertThat(a.events).containsExactly(change);
        assertThat(b.events).containsExactly(change);
        assertThat(outsider.events).isEmpty();
    }

    @Test
    void disconnectTellsRoomMatesOnceAndEmptyRoomsDisappear() throws Exception {
        Inbox b = new Inbox();
        User alice = user("alice", new Inbox());
        user("bob", b);
        core.join(alice, "dev");
        core.join(alice, "solo");
        b.events.clear();

        core.disconnect(alice, "connection reset");
        core.disconnect(alice, "again");

        assertThat(b.events).containsExactly(new ChatEvent.Quit(alice, "connection reset"));
        assertThat(core.rooms()).extracting(ChatCore.RoomSummary::name).containsExactly("#lobby");
        assertThat(core.userCount()).isEqualTo(1);
        User newcomer = user("alice", new Inbox()); // the nick is free again
        assertThat(newcomer.nick()).isEqualTo("alice");
    }

    @Test
    void peakUserCountKeepsTheMostAtOnceAfterUsersLeaveAndRename() throws Exception {
        User alice = user("alice", new Inbox());
        User bob = user("bob", new Inbox());
        assertThat(core.peakUserCount()).isEqualTo(2);

        core.disconnect(alice, "gone");
        core.rename(bob, "robert"); // the same user under another nick: no new one
        assertThat(core.userCount()).isEqualTo(1);
        assertThat(core.peakUserCount()).isEqualTo(2);

        user("carol", new Inbox());
        user("dave", new Inbox());
        assertThat(core.peakUserCount()).isEqualTo(3);
    }

    @Test
    void roomsAreCaseInsensitiveAndRequireMembershipToSpeak() throws Exception {
        Inbox b = new Inbox();
        User alice = user("alice", new Inbox());
        User bob = user("bob", b);
        assertThat(core.join(alice, "#Dev")).isEqualTo("#Dev");
        assertThat(core.join(bob, "dev")).isEqualTo("#Dev");
        assertThat(core.members("#DEV").nicks()).containsExactly("alice", "bob");
        assertThat(core.members("dev").room()).isEqualTo("#Dev");
        assertThatThrownBy(() -> core.say(alice, "#elsewhere", "x", MessageKind.TEXT))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.NOT_IN_ROOM));
        assertThatThrownBy(() -> core.join(alice, "no way"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.INVALID_ROOM));
        assertThatThrownBy(() -> core.members("#nothing"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.NO_SUCH_ROOM));
    }

    @Test
    void aPrivateMessageGoesToTheAddresseeAlone() throws Exception {
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        Inbox c = new Inbox();
        User alice = user("alice", a);
        user("Bob", b);
        user("carol", c);

        assertThat(core.sendPrivate(alice, "bob", "psst", MessageKind.TEXT)).isEqualTo("Bob");

        assertThat(b.events).usingRecursiveFieldByFieldElementComparatorIgnoringFields("id", "time").containsExactly(new ChatEvent.PrivateMessage(alice, "Bob", "psst", MessageKind.TEXT));
        assertThat(a.events).isEmpty();
        assertThat(c.events).isEmpty();
        assertThatThrownBy(() -> core.sendPrivate(alice, "nobody", "x", MessageKind.TEXT))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.NO_SUCH_NICK));
    }

    @Test
    void largeRoomsAreNotToldOfJoinsPartsAndQuitsButTheUserIsToldOfItsOwn() throws Exception {
        ChatCore small = new ChatCore("lobby", 2);
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        Inbox c = new Inbox();
        User alice = small.connect(a, ID);
        small.join(alice, "lobby");
        User bob = small.connect(b, ID);
        small.join(bob, "lobby");
        assertThat(a.events).hasSize(2); // its own join, then bob's: the room had 2 members
        User carol = small.connect(c, ID);
        small.join(carol, "lobby");
        assertThat(a.events).hasSize(2); // 3 members now: carol's join is not announced
        assertThat(c.events).containsExactly(new ChatEvent.Joined("#lobby", carol));
        small.say(carol, "lobby", "still heard", MessageKind.TEXT);
        assertThat(a.events.get(2)).usingRecursiveComparison().ignoringFields("id", "time")
                .isEqualTo(new ChatEvent.RoomMessage("#lobby", carol, "still heard", MessageKind.TEXT));
        small.disconnect(bob, "gone"); // 2 members left: announced
        assertThat(c.events.get(c.events.size() - 1)).isEqualTo(new ChatEvent.Quit(bob, "gone"));
    }

    @Test
    void roomsAndTopicsAreTimedByTheCoresWallClock() throws Exception {
        long[] millis = {1_000_000_000_000L};
        ChatCore timed = new ChatCore("lobby", ChatCore.DEFAULT_ANNOUNCE_LIMIT, () -> millis[0]);
        User alice = timed.connect(new Inbox(), ID);
        timed.join(alice, "#a");
        millis[0] += 90_500;
        timed.setTopic(alice, "#a", "hello");

        Room room = timed.room("#a");
        assertThat(room.createdAt()).isEqualTo(1_000_000_000L);
        assertThat(room.topicSetAt()).isEqualTo(1_000_000_090L);
        assertThat(timed.epochSeconds()).isEqualTo(1_000_000_090L);
    }

    @Test
    void aLongTopicKickReasonOrAwayMessageIsCutBetweenCharactersAndTheRoomSeesWhatWasKept() throws Exception {
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        User alice = user("alice", a);
        User bob = user("bob", b);
        core.join(alice, "#cut"); // the first in is its operator
        core.join(bob, "#cut");
        settle();

        core.setTopic(alice, "#cut", "é".repeat(300)); // 600 bytes; 390 hold 195 of them
        assertThat(core.room("#cut").topic()).isEqualTo("é".repeat(195));
        assertThat(b.events).containsExactly(new ChatEvent.TopicChanged("#cut", alice, "é".repeat(195)));

        core.setAway(bob, "😀".repeat(100)); // 4 bytes each: 97 fit in 390
        assertThat(bob.away()).isEqualTo("😀".repeat(97));

        settle();
        core.kick(alice, "#cut", "bob", "中".repeat(200)); // 3 bytes each: 130 fit
        assertThat(b.events).containsExactly(new ChatEvent.Kicked("#cut", alice, "bob", "中".repeat(130)));
        assertThat(ChatCore.MAX_TOPIC_BYTES).isEqualTo(390);
    }
}
