package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The core's two seams to other nodes: what {@link Peers} hears, and what {@link Replica} applies unchecked. */
class ReplicaTest {

    private static final Identity ID = new Identity("~u", "", java.net.InetAddress.getLoopbackAddress());

    private final ChatCore core = new ChatCore("lobby");
    private final List<String> heard = new ArrayList<>();

    private static final class Inbox implements Recipient {
        final List<ChatEvent> events = new ArrayList<>();

        @Override
        public void deliver(ChatEvent event) {
            events.add(event);
        }
    }

    /** Records each change as text. */
    private final Peers recorder = new Peers() {
        @Override
        public void arrived(User user) {
            heard.add("arrived " + user.nick());
        }

        @Override
        public void renamed(User user, String oldNick) {
            heard.add("renamed " + oldNick + " " + user.nick());
        }

        @Override
        public void accountChanged(User user) {
            heard.add("account " + user.nick() + " " + user.account());
        }

        @Override
        public void joined(User user, Room room) {
            heard.add("joined " + user.nick() + " " + room.name());
        }

        @Override
        public void parted(User user, Room room, String reason) {
            heard.add("parted " + user.nick() + " " + room.name() + " " + reason);
        }

        @Override
        public void kicked(User by, Room room, User target, String reason) {
            heard.add("kicked " + by.nick() + " " + room.name() + " " + target.nick() + " " + reason);
        }

        @Override
        public void quit(User user, String reason) {
            heard.add("quit " + user.nick() + " " + reason);
        }

        @Override
        public void said(ChatEvent.RoomMessage message) {
            heard.add("said " + message.from().nick() + " " + message.room() + " " + message.text());
        }

        @Override
        public void sentPrivately(ChatEvent.PrivateMessage message, User to) {
            heard.add("private " + message.from().nick() + " " + to.nick() + " " + message.text());
        }

        @Override
        public void topicChanged(User by, Room room) {
            heard.add("topic " + by.nick() + " " + room.name() + " " + room.topic());
        }
    };

    @Test
    void peersHearEveryChangeOnceAfterItWasMade() throws Exception {
        core.peers(recorder);
        User alice = core.connect(new Inbox(), "alice", ID);
        User bob = core.connect(new Inbox(), "bob", ID);
        core.join(alice, "#dev");
        core.join(bob, "#dev");
        core.say(alice, "#dev", "hi", MessageKind.TEXT);
        core.sendPrivate(alice, "bob", "psst", MessageKind.TEXT);
        core.setTopic(alice, "#dev", "t");
        core.rename(alice, "alicia");
        core.kick(alice, "#dev", "bob", "out");
        core.join(bob, "#dev");
        core.part(bob, "#dev", "bye");
        core.disconnect(bob, "gone");
        assertThat(heard).containsExactly("arrived alice", "arrived bob", "joined alice #dev", "joined bob #dev",
                "said alice #dev hi", "private alice bob psst", "topic alice #dev t", "renamed alice alicia",
                "kicked alicia #dev bob out", "joined bob #dev", "parted bob #dev bye", "quit bob gone");
    }

    @Test
    void aRefusedChangeIsNotHeard() throws Exception {
        core.peers(recorder);
        User alice = core.connect(new Inbox(), "alice", ID);
        core.connect(new Inbox(), "bob", ID);
        heard.clear();
        try {
            core.rename(alice, "bob");
        } catch (ChatException taken) {
            // expected
        }
        try {
            core.say(alice, "#nowhere", "x", MessageKind.TEXT);
        } catch (ChatException notIn) {
            // expected
        }
        assertThat(heard).isEmpty();
    }

    @Test
    void theReplicaAppliesWithoutChecksAndTellsThisNodesUsers() throws Exception {
        Inbox mine = new Inbox();
        User local = core.connect(mine, "local", ID);
        core.join(local, "#dev");
        core.changeModes(local, "#dev", List.of(new ModeChange(true, 'i', null), new ModeChange(true, 'l', "1")));
        mine.events.clear();

        Replica replica = core.replica();
        User remote = replica.arrive(event -> { }, "remote", ID, "acct");
        replica.join(remote, "#dev"); // past +i and +l: its node let it in
        assertThat(core.members("#dev").nicks()).containsExactly("local", "remote");
        ChatEvent.RoomMessage said = replica.say(remote, "#dev", "from afar", MessageKind.TEXT, Map.of(),
                Audience.EVERYONE, 4242, 99, null);
        assertThat(said.id()).isEqualTo(4242);
        replica.rename(remote, "far");
        replica.sendPrivate(remote, local, "direct", MessageKind.TEXT, Map.of(), 4243, 100, null);
        replica.topic(remote, "#dev", "set afar");
        replica.part(remote, "#dev", "later");
        replica.quit(remote, "node gone");

        assertThat(mine.events).extracting(e -> e.getClass().getSimpleName()).containsExactly("Joined", "RoomMessage",
                "NickChanged", "PrivateMessage", "TopicChanged", "Parted");
        assertThat(core.user("far")).isNull();
        assertThat(core.room("#dev").topic()).isEqualTo("set afar");
    }
}
