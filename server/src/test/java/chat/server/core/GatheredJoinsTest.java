package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Joins gathered until the end of a loop iteration ({@link ChatCore#gatherJoins}): earlier
 * members get them in one delivery, joiners the joins after their own, and whatever else a
 * member is told about the room or a joiner comes after the joins it follows.
 */
class GatheredJoinsTest {

    private static final Identity ID = new Identity("~u", "", java.net.InetAddress.getLoopbackAddress());

    private final ChatCore core = new ChatCore("lobby", 4, () -> 0L);

    /** What one user was told, one entry per delivery: an event, or a batch of joins. */
    private static final class Inbox implements Recipient {
        final List<Object> deliveries = new ArrayList<>();
        /** Each event as its dialect would show it when told: the joiner's nick at that time. */
        final List<String> seen = new ArrayList<>();

        @Override
        public void deliver(ChatEvent event) {
            deliveries.add(event);
            seen.add(shown(event));
        }

        @Override
        public void deliverJoins(List<ChatEvent.Joined> joins, int from) {
            deliveries.add(joins.subList(from, joins.size()));
            joins.subList(from, joins.size()).forEach(joined -> seen.add(shown(joined)));
        }

        private static String shown(ChatEvent event) {
            if (event instanceof ChatEvent.Joined j) {
                return "join " + j.nick();
            } else if (event instanceof ChatEvent.Parted p) {
                return "part " + p.nick();
            } else if (event instanceof ChatEvent.Quit q) {
                return "quit " + q.who().nick();
            } else if (event instanceof ChatEvent.NickChanged n) {
                return "nick " + n.oldNick() + " " + n.who().nick();
            } else if (event instanceof ChatEvent.RoomMessage m) {
                return "say " + m.from().nick() + " " + m.text();
            }
            return event.getClass().getSimpleName();
        }

        void clear() {
            deliveries.clear();
            seen.clear();
        }
    }

    private User enter(String nick, Inbox inbox) throws ChatException {
        User user = core.connect(inbox, nick, ID);
        core.join(user, "#lobby");
        return user;
    }

    /** alice in #lobby, told nothing yet, and joins gathered from now on. */
    private Inbox aliceThenGathering() throws ChatException {
        Inbox alice = new Inbox();
        enter("alice", alice);
        core.gatherJoins();
        alice.clear();
        return alice;
    }

    @Test
    void joinsOfOneIterationReachEarlierMembersAsOneDeliveryAndJoinersOnlyLaterJoins() throws Exception {
        Inbox alice = aliceThenGathering();
        Inbox bob = new Inbox();
        Inbox carol = new Inbox();
        Inbox dave = new Inbox();

        enter("bob", bob);
        enter("carol", carol);
        enter("dave", dave);

        assertThat(alice.deliveries).as("nothing before the iteration ends").isEmpty();
        assertThat(bob.seen).as("a joiner is told of its own join at once").containsExactly("join bob");

        core.announceGatheredJoins();

        assertThat(alice.deliveries).hasSize(1);
        assertThat(alice.seen).containsExactly("join bob", "join carol", "join dave");
        assertThat(bob.deliveries).as("its own, then the two after it at once").hasSize(2);
        assertThat(bob.seen).containsExactly("join bob", "join carol", "join dave");
        assertThat(carol.seen).containsExactly("join carol", "join dave");
        assertThat(dave.seen).containsExactly("join dave");

        alice.clear();
        core.announceGatheredJoins();
        assertThat(alice.deliveries).as("told once").isEmpty();
    }

    @Test
    void aMessageAfterAJoinComesAfterItsAnnouncement() throws Exception {
        Inbox alice = aliceThenGathering();
        User bob = enter("bob", new Inbox());

        core.say(bob, "#lobby", "hi", MessageKind.TEXT);
        core.announceGatheredJoins();

        assertThat(alice.seen).containsExactly("join bob", "say bob hi");
    }

    @Test
    void aPartOrAQuitAfterAJoinComesAfterItsAnnouncement() throws Exception {
        Inbox alice = aliceThenGathering();
        User bob = enter("bob", new Inbox());
        Inbox carolInbox = new Inbox();
        User carol = enter("carol", carolInbox);

        core.disconnect(bob, "gone"); // takes bob out of the room before telling anyone
        core.part(carol, "#lobby", "bye");
        core.announceGatheredJoins();

        assertThat(alice.seen).containsExactly("join bob", "join carol", "quit bob", "part carol");
        assertThat(carolInbox.seen).containsExactly("join carol", "quit bob", "part carol");
    }

    @Test
    void aPendingJoinIsToldUnderTheNickItWasMadeWith() throws Exception {
        Inbox alice = aliceThenGathering();
        User bob = enter("bob", new Inbox());

        core.rename(bob, "robert");
        core.announceGatheredJoins();

        assertThat(alice.seen).containsExactly("join bob", "nick bob robert");
    }

    @Test
    void aJoinerPastTheAnnounceLimitIsToldNoEarlierJoinAndNobodyOfItsOwn() throws Exception {
        Inbox alice = aliceThenGathering();
        Inbox bob = new Inbox();
        Inbox carol = new Inbox();
        Inbox dave = new Inbox();
        Inbox erin = new Inbox();
        enter("bob", bob);
        enter("carol", carol);
        enter("dave", dave); // four members: the limit
        enter("erin", erin); // five: told only to erin

        core.announceGatheredJoins();

        assertThat(alice.seen).containsExactly("join bob", "join carol", "join dave");
        assertThat(bob.seen).containsExactly("join bob", "join carol", "join dave");
        assertThat(dave.seen).containsExactly("join dave");
        assertThat(erin.seen).containsExactly("join erin");
    }

    @Test
    void withoutGatheringEveryJoinIsToldAtOnce() throws Exception {
        Inbox alice = new Inbox();
        enter("alice", alice);
        alice.clear();

        enter("bob", new Inbox());

        assertThat(alice.seen).containsExactly("join bob");
    }
}
