package chat.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.server.core.ChatCore;
import chat.server.core.ChatError;
import chat.server.core.ChatEvent;
import chat.server.core.ChatException;
import chat.server.core.Identity;
import chat.server.core.MessageKind;
import chat.server.core.Recipient;
import chat.server.core.User;
import chat.server.net.Limits;
import chat.server.net.LoopHarness;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Nodes of a cluster on a {@link FakeRedis} and a hand-driven loop: every message crosses the
 * channel only when the test calls {@link FakeRedis#process}, so races between nodes are made
 * for certain, and time moves only when the test says.
 */
class ClusterNodeTest {

    private static final long TIMEOUT_MILLIS = 10_000;
    private static final Identity ID = new Identity("user", "Real Name", InetAddress.getLoopbackAddress());

    private final LoopHarness harness = new LoopHarness(Limits.defaults(), LoopHarness.only(null));
    private final FakeRedis redis = new FakeRedis();

    /** A node: its core, and the bus it talks to the fake Redis through. */
    private final class Node {
        final ChatCore core = new ChatCore("lobby");
        final FakeRedis.Bus bus = redis.bus();
        final ClusterNode cluster;

        Node(String name) {
            cluster = new ClusterNode(core, harness.loop, new ClusterOptions(URI.create("redis://127.0.0.1:1"), name,
                    Duration.ofMillis(TIMEOUT_MILLIS), 1000), bus);
            cluster.start();
        }

        User user(String nick, Inbox inbox) throws ChatException {
            User user = core.connect(inbox, nick, ID);
            core.join(user, "#lobby");
            return user;
        }

        List<String> lobby() throws ChatException {
            return core.members("#lobby").nicks();
        }
    }

    /** Records what one user is told. */
    private static final class Inbox implements Recipient {
        final List<ChatEvent> events = new ArrayList<>();

        @Override
        public void deliver(ChatEvent event) {
            events.add(event);
        }

        <T extends ChatEvent> List<T> all(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        boolean saw(Predicate<ChatEvent> which) {
            return events.stream().anyMatch(which);
        }

        List<String> notices() {
            return all(ChatEvent.ServerNotice.class).stream().map(ChatEvent.ServerNotice::text).toList();
        }
    }

    @Test
    void usersOfTwoNodesShareARoomAndSeeEachOtherJoinSpeakAndQuit() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        Inbox aliceInbox = new Inbox();
        Inbox bobInbox = new Inbox();
        User alice = a.user("alice", aliceInbox);
        redis.process();
        User bob = b.user("bob", bobInbox);
        redis.process();

        assertThat(a.lobby()).containsExactly("alice", "bob");
        assertThat(b.lobby()).containsExactly("alice", "bob");
        assertThat(aliceInbox.saw(e -> e instanceof ChatEvent.Joined j && j.nick().equals("bob"))).isTrue();

        a.core.say(alice, "#lobby", "hello from a", MessageKind.TEXT);
        redis.process();
        assertThat(bobInbox.all(ChatEvent.RoomMessage.class)).singleElement()
                .satisfies(m -> {
                    assertThat(m.from().nick()).isEqualTo("alice");
                    assertThat(m.text()).isEqualTo("hello from a");
                });
        assertThat(aliceInbox.all(ChatEvent.RoomMessage.class)).isEmpty(); // not echoed back by its own node

        b.core.disconnect(bob, "bye now");
        redis.process();
        assertThat(aliceInbox.all(ChatEvent.Quit.class)).singleElement()
                .satisfies(q -> assertThat(q.reason()).isEqualTo("bye now"));
        assertThat(a.lobby()).containsExactly("alice");
        assertThat(redis.holders).containsOnlyKeys("alice");
    }

    @Test
    void aNickClaimedOnTwoNodesAtOnceGoesToTheFirstClaimAndTheOtherUserIsRenamedAndTold() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        Inbox first = new Inbox();
        Inbox second = new Inbox();
        // Both nodes grant "alice" before either hears of the other's: Redis decides.
        User onA = a.user("alice", first);
        User onB = b.user("alice", second);
        redis.process();

        assertThat(onA.nick()).isEqualTo("alice");
        assertThat(onB.nick()).startsWith("guest-");
        assertThat(second.notices()).singleElement().satisfies(n -> assertThat(n)
                .contains("The nick alice was taken on another server").contains(onB.nick()));
        assertThat(first.notices()).isEmpty();
        assertThat(a.lobby()).containsExactlyInAnyOrder("alice", onB.nick());
        assertThat(b.lobby()).containsExactlyInAnyOrder("alice", onB.nick());
        assertThat(b.core.user("alice")).isNotSameAs(onB);
    }

    @Test
    void aNickHeldOnAnotherNodeIsRefusedHere() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        a.user("alice", new Inbox());
        redis.process();

        assertThatThrownBy(() -> b.core.connect(new Inbox(), "ALICE", ID))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.NICK_TAKEN));
        User bob = b.user("bob", new Inbox());
        assertThatThrownBy(() -> b.core.rename(bob, "alice")).isInstanceOf(ChatException.class);
    }

    @Test
    void aRenameIsSeenOnTheOtherNodeAndFreesTheOldNick() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User alice = a.user("alice", new Inbox());
        Inbox bobInbox = new Inbox();
        b.user("bob", bobInbox);
        redis.process();

        a.core.rename(alice, "alicia");
        redis.process();
        assertThat(b.lobby()).containsExactlyInAnyOrder("alicia", "bob");
        assertThat(bobInbox.all(ChatEvent.NickChanged.class)).singleElement()
                .satisfies(n -> assertThat(n.oldNick()).isEqualTo("alice"));
        assertThat(redis.holders).containsOnlyKeys("alicia", "bob");
        b.core.connect(new Inbox(), "alice", ID); // free again
    }

    @Test
    void aPrivateMessageReachesTheAddresseeOnItsNode() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User alice = a.user("alice", new Inbox());
        Inbox bobInbox = new Inbox();
        b.user("bob", bobInbox);
        redis.process();

        a.core.sendPrivate(alice, "bob", "psst", MessageKind.TEXT);
        redis.process();
        assertThat(bobInbox.all(ChatEvent.PrivateMessage.class)).singleElement().satisfies(m -> {
            assertThat(m.from().nick()).isEqualTo("alice");
            assertThat(m.text()).isEqualTo("psst");
        });
    }

    @Test
    void oneSendersMessagesArriveInTheOrderSent() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User alice = a.user("alice", new Inbox());
        Inbox bobInbox = new Inbox();
        b.user("bob", bobInbox);
        redis.process();
        for (int i = 0; i < 100; i++) {
            a.core.say(alice, "#lobby", "line " + i, MessageKind.TEXT);
            if (i % 7 == 0) {
                redis.process(); // some cross one by one, some in bursts
            }
        }
        redis.process();
        List<String> texts = bobInbox.all(ChatEvent.RoomMessage.class).stream().map(ChatEvent.RoomMessage::text).toList();
        assertThat(texts).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(texts.get(i)).isEqualTo("line " + i);
        }
    }

    @Test
    void messageIdsOfTwoNodesNeverCollide() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User alice = a.user("alice", new Inbox());
        User bob = b.user("bob", new Inbox());
        redis.process();
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < 2000; i++) { // far more than a millisecond's share: ids run ahead of the clock on both
            ids.add(a.core.say(alice, "#lobby", "a" + i, MessageKind.TEXT, java.util.Map.of()).id());
            ids.add(b.core.say(bob, "#lobby", "b" + i, MessageKind.TEXT, java.util.Map.of()).id());
        }
        assertThat(ids).hasSize(4000);
    }

    @Test
    void kicksAndTopicsMadeOnOneNodeApplyOnTheOther() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User alice = a.user("alice", new Inbox()); // first in #lobby: its operator on both nodes
        Inbox bobInbox = new Inbox();
        b.user("bob", bobInbox);
        redis.process();

        a.core.setTopic(alice, "#lobby", "cluster talk");
        redis.process();
        assertThat(b.core.room("#lobby").topic()).isEqualTo("cluster talk");

        a.core.kick(alice, "#lobby", "bob", "out");
        redis.process();
        assertThat(bobInbox.all(ChatEvent.Kicked.class)).singleElement()
                .satisfies(k -> assertThat(k.reason()).isEqualTo("out"));
        assertThat(b.lobby()).containsExactly("alice");
        assertThat(a.lobby()).containsExactly("alice");
    }

    @Test
    void whenANodeIsGoneItsUsersQuitAndTheirNicksAreFree() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        Inbox aliceInbox = new Inbox();
        a.user("alice", aliceInbox);
        b.user("bob", new Inbox());
        redis.process();

        redis.expire("b");
        assertThat(aliceInbox.all(ChatEvent.Quit.class)).singleElement()
                .satisfies(q -> assertThat(q.reason()).isEqualTo("b left the cluster"));
        assertThat(a.lobby()).containsExactly("alice");
        a.core.connect(new Inbox(), "bob", ID);
    }

    @Test
    void cutOffFromRedisANodeTellsItsUsersOnceAndDropsTheOthersAfterTheTimeout() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        Inbox aliceInbox = new Inbox();
        User alice = a.user("alice", aliceInbox);
        b.user("bob", new Inbox());
        redis.process();

        a.bus.cut();
        a.core.say(alice, "#lobby", "anyone?", MessageKind.TEXT); // lost to the others: alice was told
        harness.advanceMillis(TIMEOUT_MILLIS / 2);
        assertThat(a.lobby()).containsExactly("alice", "bob");
        harness.advanceMillis(TIMEOUT_MILLIS / 2);
        assertThat(a.lobby()).containsExactly("alice");
        assertThat(aliceInbox.notices()).containsExactly(ClusterNode.LINK_DOWN_NOTICE);
        assertThat(aliceInbox.all(ChatEvent.Quit.class)).singleElement()
                .satisfies(q -> assertThat(q.reason()).isEqualTo("Lost the cluster link"));

        redis.expire("a"); // what b's heartbeat does meanwhile
        a.bus.restore();
        redis.process();
        assertThat(aliceInbox.notices()).containsExactly(ClusterNode.LINK_DOWN_NOTICE, ClusterNode.LINK_UP_NOTICE);
        assertThat(a.lobby()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(b.lobby()).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void aNodeBackUnderANewIncarnationKeepsItsUsersWithoutAQuit() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        a.user("alice", new Inbox());
        Inbox bobInbox = new Inbox();
        b.user("bob", bobInbox);
        redis.process();
        long before = a.cluster.incarnation();

        // Redis restarts empty: both nodes lose the link, then find themselves unregistered.
        a.bus.cut();
        b.bus.cut();
        redis.flush();
        a.bus.restore();
        b.bus.restore();
        redis.process();

        assertThat(a.cluster.incarnation()).isNotEqualTo(before);
        assertThat(b.lobby()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(bobInbox.all(ChatEvent.Quit.class)).isEmpty();
        assertThat(bobInbox.all(ChatEvent.NickChanged.class)).isEmpty();
        assertThat(redis.holders).containsOnlyKeys("alice", "bob");
    }

    @Test
    void aDumpDropsUsersThatLeftWhileTheLinkWasDown() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        a.user("alice", new Inbox());
        User bob = b.user("bob", new Inbox());
        Inbox carolInbox = new Inbox();
        b.user("carol", carolInbox);
        redis.process();

        a.bus.cut();
        b.core.disconnect(bob, "gone"); // a never hears of it
        redis.process();
        a.bus.restore(); // a is still registered: it asks for everyone's users again
        redis.process();
        assertThat(a.lobby()).containsExactlyInAnyOrder("alice", "carol");
    }

    @Test
    void anUnreadableMessageIsIgnored() throws Exception {
        Node a = new Node("a");
        redis.process();
        Inbox aliceInbox = new Inbox();
        a.user("alice", aliceInbox);
        a.cluster.received("Z\0what");
        a.cluster.received("M\0only\0three");
        a.cluster.received("J\0" + "99.1\0#lobby"); // a user nobody announced
        assertThat(a.lobby()).containsExactly("alice");
    }

    @Test
    void aStoppedNodeLeavesAndItsUsersQuitAtOnce() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        Inbox aliceInbox = new Inbox();
        a.user("alice", aliceInbox);
        b.user("bob", new Inbox());
        redis.process();

        b.cluster.stop();
        redis.process();
        assertThat(a.lobby()).containsExactly("alice");
        assertThat(redis.nodes).containsOnlyKeys("a");
    }

    @Test
    void modesBansAndPrivilegesSetOnOneNodeApplyOnTheOther() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User alice = a.user("alice", new Inbox()); // made #lobby: its operator everywhere
        redis.process();
        Inbox bobInbox = new Inbox();
        User bob = b.user("bob", bobInbox);
        redis.process();
        assertThat(b.core.room("#lobby").isOperator(b.core.user("alice"))).isTrue();

        a.core.changeModes(alice, "#lobby", List.of(new chat.server.core.ModeChange(true, 'm', null),
                new chat.server.core.ModeChange(true, 'b', "spam!*@*"), new chat.server.core.ModeChange(true, 'v', "bob")));
        redis.process();
        chat.server.core.Room lobby = b.core.room("#lobby");
        assertThat(lobby.hasFlag('m')).isTrue();
        assertThat(lobby.list('b')).containsExactly("spam!*@*");
        assertThat(lobby.hasVoice(bob)).isTrue();
        assertThat(bobInbox.all(ChatEvent.ModeChanged.class)).singleElement()
                .satisfies(m -> assertThat(m.changes()).hasSize(3));
        b.core.say(bob, "#lobby", "voiced, so heard in +m", MessageKind.TEXT); // b's own check lets bob speak
    }

    @Test
    void aNodeThatJoinsLaterLearnsEachRoomsStateAndItsOperators() throws Exception {
        Node a = new Node("a");
        redis.process();
        User alice = a.user("alice", new Inbox());
        a.user("amy", new Inbox());
        a.core.setTopic(alice, "#lobby", "before c");
        a.core.changeModes(alice, "#lobby", List.of(new chat.server.core.ModeChange(true, 'i', null),
                new chat.server.core.ModeChange(true, 'l', "50")));
        redis.process();

        Node c = new Node("c");
        redis.process();
        chat.server.core.Room lobby = c.core.room("#lobby");
        assertThat(c.lobby()).containsExactly("alice", "amy");
        assertThat(lobby.topic()).isEqualTo("before c");
        assertThat(lobby.hasFlag('i')).isTrue();
        assertThat(lobby.limit()).isEqualTo(50);
        assertThat(lobby.isOperator(c.core.user("alice"))).isTrue();
        assertThat(lobby.isOperator(c.core.user("amy"))).isFalse();
    }

    @Test
    void aServerOperatorKillsAUserOfAnotherNode() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User oper = a.user("oper", new Inbox());
        a.core.makeServerOperator(oper);
        Inbox bobInbox = new Inbox();
        b.user("bob", bobInbox);
        redis.process();

        a.core.kill(oper, "bob", "spamming");
        redis.process();
        assertThat(bobInbox.all(ChatEvent.Killed.class)).singleElement()
                .satisfies(k -> assertThat(k.quitReason()).isEqualTo("Killed (oper (spamming))"));
    }

    @Test
    void awayAndRealNameChangesReachTheOtherNodeAndANewcomerLearnsThem() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User alice = a.user("alice", new Inbox());
        Inbox bobInbox = new Inbox();
        b.user("bob", bobInbox);
        redis.process();

        a.core.setAway(alice, "at lunch");
        a.core.setRealname(alice, "Alice Liddell");
        redis.process();
        assertThat(b.core.user("alice").away()).isEqualTo("at lunch");
        assertThat(b.core.user("alice").identity().realname()).isEqualTo("Alice Liddell");
        assertThat(bobInbox.all(ChatEvent.AwayChanged.class)).hasSize(1);

        Node c = new Node("c");
        redis.process();
        assertThat(c.core.user("alice").away()).isEqualTo("at lunch");
        assertThat(c.core.user("alice").identity().realname()).isEqualTo("Alice Liddell");
    }

    @Test
    void aNodeThatFellBehindTellsItsUsersAndEveryNodeSendsItsUsersAgain() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        Inbox aliceInbox = new Inbox();
        a.user("alice", aliceInbox);
        User bob = b.user("bob", new Inbox());
        b.user("carol", new Inbox());
        redis.process();

        a.bus.missing = 1; // bob's quit never reaches a
        b.core.disconnect(bob, "gone");
        redis.process();
        assertThat(a.lobby()).containsExactly("alice", "bob", "carol");

        a.cluster.fellBehind(1);
        redis.process();
        assertThat(aliceInbox.notices()).containsExactly(ClusterNode.FELL_BEHIND_NOTICE);
        assertThat(a.lobby()).containsExactly("alice", "carol");
    }

    @Test
    void aRoomMadeOnTwoNodesAtOnceHasTheJoinRedisTookFirstAsItsOperatorEverywhere() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        Node c = new Node("c");
        redis.process();
        // Both make #lobby before hearing of the other: a's join reaches Redis first.
        User alice = a.user("alice", new Inbox());
        Inbox bobInbox = new Inbox();
        User bob = b.user("bob", bobInbox);
        assertThat(b.core.room("#lobby").isOperator(bob)).isTrue();
        redis.process();

        for (Node node : List.of(a, b, c)) {
            chat.server.core.Room lobby = node.core.room("#lobby");
            assertThat(lobby.isOperator(node.core.user("alice"))).as(node.cluster.toString()).isTrue();
            assertThat(lobby.isOperator(node.core.user("bob"))).isFalse();
        }
        assertThat(bobInbox.all(ChatEvent.ModeChanged.class)).singleElement()
                .satisfies(m -> assertThat(m.changes()).hasSize(2));
        assertThat(alice.nick()).isEqualTo("alice");
    }

    @Test
    void usersArrivingWhileRedisIsUnreachableAreToldAndToldAgainWhenItIsBack() throws Exception {
        Node a = new Node("a");
        redis.process();
        a.bus.cut();
        Inbox early = new Inbox();
        a.user("early", early);
        Inbox late = new Inbox();
        a.user("late", late);
        a.bus.restore();
        redis.process();
        assertThat(early.notices()).containsExactly(ClusterNode.LINK_DOWN_NOTICE, ClusterNode.LINK_UP_NOTICE);
        assertThat(late.notices()).containsExactly(ClusterNode.LINK_DOWN_NOTICE, ClusterNode.LINK_UP_NOTICE);
    }

    @Test
    void aNodeThatNeverReachesRedisSaysSoOnceTheNodeTimeoutHasPassed() throws Exception {
        FakeRedis.Bus bus = redis.bus();
        ChatCore core = new ChatCore("lobby");
        ClusterNode node = new ClusterNode(core, harness.loop, new ClusterOptions(URI.create("redis://127.0.0.1:1"), "x",
                Duration.ofMillis(TIMEOUT_MILLIS), 1000), new ClusterBus() {
                    // A Redis that never answers: the link never comes up.
                    @Override public void start(Listener listener) { }
                    @Override public void register(String n, long l, java.util.function.Consumer<Registration> d,
                            java.util.function.Consumer<Throwable> f) { }
                    @Override public void beat(String n, long i, long l, java.util.function.Consumer<Beat> d,
                            java.util.function.Consumer<Throwable> f) { }
                    @Override public void resetNicks(String n, long i) { }
                    @Override public void publish(String message) { }
                    @Override public void publishNick(long i, String u, String a, String o, String as, String g,
                            ClusterCodec.Split s) { }
                    @Override public void leave(String n, long i) { }
                    @Override public void close() { }
                    @Override public long published() { return 0; }
                    @Override public long lost() { return 0; }
                });
        node.start();
        Inbox first = new Inbox();
        core.connect(first, "first", ID);
        harness.advanceMillis(TIMEOUT_MILLIS - 1);
        assertThat(first.notices()).isEmpty();
        harness.advanceMillis(1);
        assertThat(first.notices()).containsExactly(ClusterNode.LINK_DOWN_NOTICE);
        Inbox next = new Inbox();
        core.connect(next, "next", ID);
        assertThat(next.notices()).containsExactly(ClusterNode.LINK_DOWN_NOTICE);
        assertThat(bus.published()).isZero();
    }

    @Test
    void whatADroppedNodeStillSaysMakesNoUserAndItsNewUsersComeBackWhenItJoinsAgain() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        a.user("alice", new Inbox());
        redis.process();

        a.bus.missing = 1; // a was silent too long and does not know yet: G reaches b, not a
        redis.expire("a");
        Inbox carolInbox = new Inbox();
        a.core.connect(carolInbox, "carol", ID); // before a learns it was dropped: refused by Redis
        redis.process();
        assertThat(b.core.user("carol")).as("no ghost of the dropped incarnation").isNull();
        assertThat(redis.holders).doesNotContainKey("carol");

        // a joins again under a new incarnation and announces everyone it has.
        harness.advanceMillis(TIMEOUT_MILLIS / 5);
        redis.process();
        assertThat(b.core.user("carol")).isNotNull();
        assertThat(b.core.user("alice")).isNotNull();
        assertThat(redis.holders).containsKeys("alice", "carol");
    }

    @Test
    void aDepartureMissedWhileCutOffIsFoundByTheNextHeartbeat() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        a.user("alice", new Inbox());
        Inbox bobInbox = new Inbox();
        b.user("bob", bobInbox);
        redis.process();

        a.bus.close(); // a dies
        b.bus.missing = 1; // and its G never reaches b
        redis.expire("a");
        assertThat(b.lobby()).containsExactlyInAnyOrder("alice", "bob");
        Node c = new Node("c"); // a newer incarnation registers: a's is older than the newest and not live
        redis.process();
        harness.advanceMillis(TIMEOUT_MILLIS / 5);
        redis.process();
        assertThat(b.lobby()).containsExactly("bob");
        assertThat(bobInbox.all(ChatEvent.Quit.class)).singleElement()
                .satisfies(q -> assertThat(q.reason()).isEqualTo("a left the cluster"));
    }

    @Test
    void aNickGivenUpWhileTheLinkWasDownIsFreeOnceItIsBack() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User alice = a.user("alice", new Inbox());
        redis.process();

        a.bus.cut();
        a.core.disconnect(alice, "gone while cut off"); // its release never reaches Redis
        a.bus.restore(); // still registered: it resets its nicks and claims its users' again
        redis.process();
        assertThat(redis.holders).doesNotContainKey("alice");
        User again = b.user("alice", new Inbox());
        redis.process();
        assertThat(again.nick()).isEqualTo("alice");
    }

    @Test
    void aSecondLossWithinANodeTimeoutIsMadeGoodAtTheWindowsEnd() throws Exception {
        Node a = new Node("a");
        redis.process();
        Inbox aliceInbox = new Inbox();
        a.user("alice", aliceInbox);
        a.cluster.fellBehind(10);
        a.cluster.fellBehind(10);
        assertThat(aliceInbox.notices()).containsExactly(ClusterNode.FELL_BEHIND_NOTICE);
        harness.advanceMillis(TIMEOUT_MILLIS / 2);
        assertThat(aliceInbox.notices()).hasSize(1);
        harness.advanceMillis(TIMEOUT_MILLIS / 2 + 1);
        assertThat(aliceInbox.notices()).hasSize(2); // put off, not forgotten
    }

    @Test
    void loggingInToTheAccountOfAnotherNodesUsersNickAsksThatNodeToPutItOut() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User guest = a.user("someone", new Inbox());
        Inbox bobInbox = new Inbox();
        b.user("bob", bobInbox);
        redis.process();

        assertThat(a.core.logIn(guest, "bob")).isNull(); // bob is b's: a does not drop it itself
        assertThat(a.core.user("bob")).isNotNull();
        redis.process();
        assertThat(bobInbox.all(ChatEvent.Ghosted.class)).hasSize(1);
        redis.process();
        assertThat(guest.nick()).as("the nick freed by b is the account owner's").isEqualTo("bob");
        redis.process();
        assertThat(b.core.user("bob").recipient(RemoteUser.class)).as("b sees a's user under it").isNotNull();
        assertThat(redis.holders.get("bob")).startsWith(a.cluster.incarnation() + ".");
    }

    @Test
    void eachNodeSavesInTheSharedHistoryTheMessagesItsOwnUsersSaid() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        redis.process();
        User alice = a.user("alice", new Inbox());
        User bob = b.user("bob", new Inbox());
        redis.process();
        for (int i = 0; i < 50; i++) {
            long fromA = a.core.say(alice, "#lobby", "a" + i, MessageKind.TEXT, java.util.Map.of()).id();
            long fromB = b.core.say(bob, "#lobby", "b" + i, MessageKind.TEXT, java.util.Map.of()).id();
            assertThat(a.cluster.gaveId(fromA)).isTrue();
            assertThat(a.cluster.gaveId(fromB)).isFalse();
            assertThat(b.cluster.gaveId(fromB)).isTrue();
            assertThat(b.cluster.gaveId(fromA)).isFalse();
        }
    }
}
