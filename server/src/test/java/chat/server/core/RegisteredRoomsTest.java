package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Registered rooms in the core: what is kept and given back when the room is made again, +o for
 * the accounts listed (and not for a guest who comes first), each change handed to the registry,
 * the refusals of register and drop; and server operators by account.
 */
class RegisteredRoomsTest {

    private static final Identity ID = new Identity("~u", "", java.net.InetAddress.getLoopbackAddress());

    /** A registry in a map, allowing two rooms per founder, counting the saves. */
    private static final class Registry implements RoomRegistry {
        final Map<String, RegisteredRoom> rooms = new HashMap<>();
        int saves;

        @Override
        public RegisteredRoom find(String room) {
            return rooms.get(Names.key(Names.bareRoomName(room)));
        }

        @Override
        public boolean register(RegisteredRoom room) {
            if (rooms.values().stream().filter(r -> r.isFounder(room.founder())).count() >= 2) {
                return false;
            }
            rooms.put(Names.key(Names.bareRoomName(room.name())), room);
            return true;
        }

        @Override
        public int maxPerFounder() {
            return 2;
        }

        @Override
        public void save(RegisteredRoom room) {
            saves++;
            rooms.replace(Names.key(Names.bareRoomName(room.name())), room);
        }

        @Override
        public void drop(String room) {
            rooms.remove(Names.key(Names.bareRoomName(room)));
        }
    }

    /** Accounts alice, bob and root, root a server operator's. */
    private static final class Directory implements AccountDirectory {
        @Override
        public String ownerOf(String nick) {
            return List.of("alice", "bob", "root").contains(Names.key(nick)) ? Names.key(nick) : null;
        }

        @Override
        public boolean keepForLater(String account, ChatEvent.PrivateMessage message) {
            return false;
        }

        @Override
        public long registeredMillis(String account) {
            return 1;
        }

        @Override
        public boolean isServerOperator(String account) {
            return Names.key(account).equals("root");
        }
    }

    private static final class Inbox implements Recipient {
        final List<ChatEvent> events = new ArrayList<>();

        @Override
        public void deliver(ChatEvent event) {
            events.add(event);
        }
    }

    private final ChatCore core = new ChatCore("lobby", 1000, () -> 1_800_000_000_000L);
    private final Registry registry = new Registry();

    RegisteredRoomsTest() {
        core.accounts(new Directory());
        core.roomRegistry(registry);
    }

    private User loggedIn(String account, Inbox inbox) {
        User user = core.connect(inbox, ID);
        core.logIn(user, account);
        return user;
    }

    private User guest(String nick) throws ChatException {
        return core.connect(new Inbox(), nick, ID);
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

    /** Alice founds #den with a topic, +k, a ban and +i; everyone leaves. */
    private void foundedAndLeft() throws ChatException {
        User alice = loggedIn("alice", new Inbox());
        core.join(alice, "#Den");
        core.setTopic(alice, "#den", "welcome");
        core.changeModes(alice, "#den", List.of(new ModeChange(true, 'b', "mallory!*@*"), new ModeChange(true, 'k', "sesame")));
        core.registerRoom(alice, "#den");
        core.changeModes(alice, "#den", List.of(new ModeChange(true, 'm', null)));
        core.part(alice, "#den", null);
        assertThat(core.room("#den")).isNull();
    }

    @Test
    void aRegisteredRoomMadeAgainHasItsTopicModesAndListsBackAndItsFounderIsOperator() throws Exception {
        foundedAndLeft();
        User alice = loggedIn("alice", new Inbox());
        core.join(alice, "#den"); // no key: the founder gets in
        Room room = core.room("#den");
        assertThat(room.name()).isEqualTo("#Den"); // spelled as registered
        assertThat(room.topic()).isEqualTo("welcome");
        assertThat(room.topicSetBy()).isEqualTo("alice");
        assertThat(room.modeString()).isEqualTo("+mntk sesame");
        assertThat(room.list('b')).containsExactly("mallory!*@*");
        assertThat(room.isOperator(alice)).isTrue();
    }

    @Test
    void aGuestWhoMakesARegisteredRoomAgainIsNotOperatorAndItsKeyAndBansHoldForHim() throws Exception {
        foundedAndLeft();
        User mallory = guest("mallory");
        assertThat(errorOf(() -> core.join(mallory, "#den", "sesame"))).isEqualTo(ChatError.BANNED);
        assertThat(core.room("#den")).isNull(); // refused: not made
        User carol = guest("carol");
        assertThat(errorOf(() -> core.join(carol, "#den"))).isEqualTo(ChatError.BAD_KEY);
        core.join(carol, "#den", "sesame");
        assertThat(core.room("#den").isOperator(carol)).isFalse();
        assertThat(errorOf(() -> core.setTopic(carol, "#den", "mine"))).isEqualTo(ChatError.NOT_OPERATOR);
    }

    @Test
    void aListedAccountGetsOperatorOnJoiningAndOnLoggingInWhileInTheRoomToldAsTheRegistrationsDoing() throws Exception {
        foundedAndLeft();
        Inbox carolInbox = new Inbox();
        User carol = core.connect(carolInbox, "carol", ID);
        core.join(carol, "#den", "sesame");
        User alice = loggedIn("alice", new Inbox());
        core.join(alice, "#den");
        assertThat(core.room("#den").isOperator(alice)).isTrue();
        assertThat(carolInbox.events).contains(new ChatEvent.ModeChanged("#Den", null,
                List.of(new ModeChange(true, 'o', "alice"))));

        Inbox bobInbox = new Inbox();
        User bob = core.connect(bobInbox, "bobby", ID);
        core.join(bob, "#den", "sesame");
        core.logIn(bob, "bob");
        core.changeModes(alice, "#den", List.of(new ModeChange(true, 'o', "bob")));
        assertThat(registry.find("#den").operators()).containsExactly("bob");
        core.disconnect(bob, "bye");

        User bobAgain = core.connect(bobInbox, "bobby", ID);
        core.join(bobAgain, "#den", "sesame");
        assertThat(core.room("#den").isOperator(bobAgain)).isFalse(); // a guest yet
        bobInbox.events.clear();
        core.logIn(bobAgain, "bob");
        assertThat(core.room("#den").isOperator(bobAgain)).isTrue();
        assertThat(bobInbox.events).contains(new ChatEvent.ModeChanged("#Den", null,
                List.of(new ModeChange(true, 'o', "bob"))));
    }

    @Test
    void changesAreSavedAndADeopTakesTheAccountOffButAGuestsOpIsNotKept() throws Exception {
        User alice = loggedIn("alice", new Inbox());
        core.join(alice, "#den");
        core.registerRoom(alice, "#den");
        User bob = loggedIn("bob", new Inbox());
        User carol = guest("carol");
        core.join(bob, "#den");
        core.join(carol, "#den");
        int before = registry.saves;
        core.changeModes(alice, "#den", List.of(new ModeChange(true, 'o', "bob"), new ModeChange(true, 'o', "carol"),
                new ModeChange(true, 'e', "carol!*@*"), new ModeChange(true, 'l', "20")));
        core.setTopic(alice, "#den", "news");
        assertThat(registry.saves).isEqualTo(before + 2);
        RegisteredRoom saved = registry.find("#den");
        assertThat(saved.operators()).containsExactly("bob");
        assertThat(saved.exceptions()).containsExactly("carol!*@*");
        assertThat(saved.limit()).isEqualTo(20);
        assertThat(saved.topic()).isEqualTo("news");

        core.changeModes(alice, "#den", List.of(new ModeChange(false, 'o', "bob"), new ModeChange(false, 'o', "alice")));
        assertThat(registry.find("#den").operators()).isEmpty();
        assertThat(registry.find("#den").founder()).isEqualTo("alice"); // a founder is one for good

        core.rename(carol, "carola");
        core.logOut(bob);
        assertThat(registry.find("#den").exceptions()).containsExactly("carol!*@*");
    }

    @Test
    void registeringNeedsALoggedInOperatorOfTheRoomOnceAndWithinTheBound() throws Exception {
        User carol = guest("carol");
        core.join(carol, "#a");
        assertThat(errorOf(() -> core.registerRoom(carol, "#a"))).isEqualTo(ChatError.NOT_LOGGED_IN);
        User alice = loggedIn("alice", new Inbox());
        assertThat(errorOf(() -> core.registerRoom(alice, "#nowhere"))).isEqualTo(ChatError.NO_SUCH_ROOM);
        assertThat(errorOf(() -> core.registerRoom(alice, "#a"))).isEqualTo(ChatError.NOT_IN_ROOM);
        core.join(alice, "#a");
        assertThat(errorOf(() -> core.registerRoom(alice, "#a"))).isEqualTo(ChatError.NOT_OPERATOR);
        for (String name : List.of("#b", "#c", "#d")) {
            core.join(alice, name);
        }
        core.registerRoom(alice, "#b");
        assertThat(errorOf(() -> core.registerRoom(alice, "#B"))).isEqualTo(ChatError.ROOM_REGISTERED);
        core.registerRoom(alice, "#c");
        assertThatThrownBy(() -> core.registerRoom(alice, "#d")).isInstanceOf(ChatException.class)
                .extracting(e -> ((ChatException) e).error()).isEqualTo(ChatError.TOO_MANY_REGISTERED_ROOMS);
        assertThat(core.registeredRoom("#b").founder()).isEqualTo("alice");
        assertThat(core.registeredRoom("#b").operators()).isEmpty();

        User bob = loggedIn("bob", new Inbox());
        core.join(bob, "#e");
        core.join(alice, "#e");
        core.join(carol, "#e");
        core.changeModes(bob, "#e", List.of(new ModeChange(true, 'o', "alice"), new ModeChange(true, 'o', "carol")));
        core.registerRoom(bob, "#e");
        assertThat(core.registeredRoom("#e").operators()).containsExactly("alice"); // the guest carol is no account
        assertThat(core.registeredRoom("#b").registeredMillis()).isEqualTo(1_800_000_000_000L);
    }

    @Test
    void onlyItsFounderDropsARegisteredRoomWhichThenEndsWhenEmpty() throws Exception {
        foundedAndLeft();
        User bob = loggedIn("bob", new Inbox());
        assertThat(errorOf(() -> core.dropRoom(bob, "#den"))).isEqualTo(ChatError.NOT_FOUNDER);
        assertThat(errorOf(() -> core.dropRoom(bob, "#elsewhere"))).isEqualTo(ChatError.ROOM_NOT_REGISTERED);
        User carol = guest("carol");
        assertThat(errorOf(() -> core.dropRoom(carol, "#den"))).isEqualTo(ChatError.NOT_LOGGED_IN);
        User alice = loggedIn("alice", new Inbox());
        assertThat(core.dropRoom(alice, "#den")).isEqualTo("#Den");
        assertThat(errorOf(() -> core.registeredRoom("#den"))).isEqualTo(ChatError.ROOM_NOT_REGISTERED);
        core.join(carol, "#den");
        assertThat(core.room("#den").topic()).isEmpty();
        assertThat(core.room("#den").isOperator(carol)).isTrue(); // an ordinary room again
    }

    @Test
    void loggingInToAnOperatorAccountMakesAServerOperatorAndLoggingOutEndsIt() {
        Inbox inbox = new Inbox();
        User root = loggedIn("root", inbox);
        assertThat(root.isServerOperator()).isTrue();
        assertThat(inbox.events).contains(new ChatEvent.ServerOperatorChanged(root, true));
        core.logOut(root);
        assertThat(root.isServerOperator()).isFalse();
        assertThat(inbox.events).contains(new ChatEvent.ServerOperatorChanged(root, false));

        User alice = loggedIn("alice", new Inbox());
        core.makeServerOperator(alice); // by OPER's password
        core.logOut(alice);
        assertThat(alice.isServerOperator()).isTrue();
    }

    @Test
    void aUserArrivingLoggedInToAnOperatorAccountIsAServerOperator() throws Exception {
        User root = core.connect(new Inbox(), "root", ID, "root");
        assertThat(root.isServerOperator()).isTrue();
    }
}
