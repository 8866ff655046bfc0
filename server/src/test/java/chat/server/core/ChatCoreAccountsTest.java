package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the core does with accounts: reserved nicks, logging in and the ghost, messages kept for the absent. */
class ChatCoreAccountsTest {

    private static final Identity ID = new Identity("~u", "", java.net.InetAddress.getLoopbackAddress());

    /** A directory of accounts by key, keeping at most two messages each. */
    private static final class Directory implements AccountDirectory {
        final Map<String, String> owners = new HashMap<>();
        final Map<String, List<ChatEvent.PrivateMessage>> kept = new HashMap<>();

        void register(String name) {
            owners.put(Names.key(name), name);
        }

        @Override
        public String ownerOf(String nick) {
            return owners.get(Names.key(nick));
        }

        @Override
        public long registeredMillis(String account) {
            return owners.containsKey(Names.key(account)) ? 5 : -1;
        }

        @Override
        public boolean keepForLater(String account, ChatEvent.PrivateMessage message) {
            List<ChatEvent.PrivateMessage> box = kept.computeIfAbsent(account, a -> new ArrayList<>());
            if (box.size() >= 2) {
                return false;
            }
            box.add(message);
            return true;
        }
    }

    private static final class Inbox implements Recipient {
        final List<ChatEvent> events = new ArrayList<>();

        @Override
        public void deliver(ChatEvent event) {
            events.add(event);
        }
    }

    private final ChatCore core = new ChatCore("lobby");
    private final Directory directory = new Directory();

    ChatCoreAccountsTest() {
        core.accounts(directory);
    }

    private static ChatError errorOf(ThrowingAction action) {
        try {
            action.run();
        } catch (ChatException e) {
            return e.error();
        }
        return null;
    }

    private interface ThrowingAction {
        void run() throws ChatException;
    }

    @Test
    void aRegisteredNickIsRefusedToEveryoneNotLoggedInToItInAnyCase() throws Exception {
        directory.register("Alice");
        User guest = core.connect(new Inbox(), ID);
        assertThat(errorOf(() -> core.rename(guest, "alice"))).isEqualTo(ChatError.NICK_RESERVED);
        assertThat(errorOf(() -> core.connect(new Inbox(), "ALICE", ID))).isEqualTo(ChatError.NICK_RESERVED);
        assertThat(errorOf(() -> core.checkNickFree("alice"))).isEqualTo(ChatError.NICK_RESERVED);
        assertThat(errorOf(() -> core.checkNickFree("alice", "alice"))).isNull();
        assertThat(errorOf(() -> core.connect(new Inbox(), "bob", ID))).isNull(); // not registered: anyone's
    }

    @Test
    void loggingInGivesTheAccountsNickAndTellsRoomMatesOfTheAccount() throws Exception {
        directory.register("alice");
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        User guest = core.connect(a, ID);
        core.join(guest, "#dev");
        User bob = core.connect(b, "bob", ID);
        core.join(bob, "#dev");
        b.events.clear();
        a.events.clear();

        assertThat(core.logIn(guest, "alice")).isNull();

        assertThat(guest.nick()).isEqualTo("alice");
        assertThat(guest.account()).isEqualTo("alice");
        assertThat(guest.nickSince()).as("its private history from the registration on").isEqualTo(5);
        assertThat(b.events).hasSize(2);
        assertThat(b.events.get(0)).isEqualTo(new ChatEvent.AccountChanged(guest, "alice"));
        assertThat(b.events.get(1)).isInstanceOf(ChatEvent.NickChanged.class);
        assertThat(a.events).contains(new ChatEvent.AccountChanged(guest, "alice"));

        core.logOut(guest);
        assertThat(guest.account()).isNull();
        assertThat(guest.nick()).isEqualTo("alice"); // kept while connected
        assertThat(b.events).last().isEqualTo(new ChatEvent.AccountChanged(guest, null));
    }

    @Test
    void theOwnerLoggingInPutsOutTheStaleConnectionThatHoldsTheNick() throws Exception {
        directory.register("alice");
        Inbox stale = new Inbox();
        User old = core.connect(stale, "alice", ID, "alice");
        core.join(old, "#dev");
        Inbox watcherBox = new Inbox();
        User bob = core.connect(watcherBox, "bob", ID);
        core.join(bob, "#dev");
        watcherBox.events.clear();
        stale.events.clear();

        User fresh = core.connect(new Inbox(), ID);
        User ghosted = core.logIn(fresh, "alice");

        assertThat(ghosted).isSameAs(old);
        assertThat(old.isConnected()).isFalse();
        assertThat(stale.events).first().isInstanceOf(ChatEvent.Ghosted.class);
        assertThat(fresh.nick()).isEqualTo("alice");
        assertThat(core.user("alice")).isSameAs(fresh);
        assertThat(watcherBox.events).anySatisfy(e -> assertThat(e)
                .isEqualTo(new ChatEvent.Quit(old, ChatEvent.Ghosted.QUIT_REASON)));
    }

    @Test
    void arrivingLoggedInTakesTheNickBackFromItsHolder() throws Exception {
        directory.register("alice");
        Inbox stale = new Inbox();
        User old = core.connect(stale, "alice", ID, "alice");

        User fresh = core.connect(new Inbox(), "alice", ID, "alice");

        assertThat(old.isConnected()).isFalse();
        assertThat(core.user("alice")).isSameAs(fresh);
        assertThat(fresh.account()).isEqualTo("alice");
        // someone logged in to another account may not
        directory.register("carol");
        assertThat(errorOf(() -> core.connect(new Inbox(), "alice", ID, "carol"))).isEqualTo(ChatError.NICK_TAKEN);
    }

    @Test
    void aMessageToAnAbsentAccountIsKeptUpToItsBoundAndToNobodyElseRefused() throws Exception {
        directory.register("alice");
        User bob = core.connect(new Inbox(), "bob", ID);

        ChatEvent.PrivateMessage first = core.sendPrivate(bob, "ALICE", "are you there?", MessageKind.TEXT, Map.of());
        core.sendPrivate(bob, "alice", "second", MessageKind.TEXT);

        assertThat(first.to()).isEqualTo("alice");
        assertThat(first.id()).isPositive();
        assertThat(core.isOnline("alice")).isFalse();
        assertThat(directory.kept.get("alice")).extracting(ChatEvent.PrivateMessage::text)
                .containsExactly("are you there?", "second");
        assertThat(errorOf(() -> core.sendPrivate(bob, "alice", "third", MessageKind.TEXT)))
                .isEqualTo(ChatError.MAILBOX_FULL);
        assertThat(errorOf(() -> core.sendPrivate(bob, "nobody", "hi", MessageKind.TEXT)))
                .isEqualTo(ChatError.NO_SUCH_NICK);
        assertThat(errorOf(() -> core.sendPrivate(bob, "alice", "", MessageKind.TAGMSG)))
                .isEqualTo(ChatError.NO_SUCH_NICK); // a TAGMSG is not kept
    }

    @Test
    void guestNicksAreNeverRegisteredOnes() {
        for (int i = 1000; i < 100_000; i++) {
            directory.register("guest-" + i); // every four- and five-digit guest nick
        }
        assertThat(core.connect(new Inbox(), ID).nick()).matches("guest-\\d{6,}");
        assertThatThrownBy(() -> core.connect(new Inbox(), "guest-1234", ID)).isInstanceOf(ChatException.class);
    }
}
