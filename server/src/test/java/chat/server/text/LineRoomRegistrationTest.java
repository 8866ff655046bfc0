package chat.server.text;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.accounts.AccountOptions;
import chat.server.accounts.Accounts;
import chat.server.text.LineHarness.Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The native {@code /room} commands on a scripted loop: register, info and drop, each refusal in
 * words, a registered room made again by a guest (no +o for it) and by its founder (+o), and the
 * rooms an account founded dropped with it.
 */
class LineRoomRegistrationTest {

    private final LineHarness server = new LineHarness();
    private final Accounts accounts = server.withAccounts(AccountOptions.inMemory());

    @AfterEach
    void close() {
        accounts.close();
    }

    /** A client with an account of its nick, logged in; what it was told forgotten. */
    private Client registered(String nick) {
        Client client = server.connect(nick);
        client.line("/register correcthorse");
        server.awaitLine(client, l -> l.startsWith("-- registered " + nick));
        server.settle();
        return client;
    }

    private String answer(Client client, String line) {
        client.line(line);
        return client.take().get(0);
    }

    @Test
    void aLoggedInOperatorRegistersARoomAndAnyoneMayAskWhoFoundedIt() {
        Client guest = server.connect("guest");
        guest.line("/join #den");
        server.settle();
        assertThat(answer(guest, "/room register #den"))
                .isEqualTo("! only a user logged in to an account may do that to #den; /login NICK PASSWORD first");

        Client alice = registered("alice");
        assertThat(answer(alice, "/room register #den")).isEqualTo("! you are not in #den");
        alice.line("/join #den");
        server.settle();
        assertThat(answer(alice, "/room register #den")).isEqualTo("! only operators of #den may do that");
        alice.line("/join #Lair");
        server.settle();
        assertThat(answer(alice, "/room register #lair")).isEqualTo("-- #Lair is registered to alice: its topic, modes"
                + " and lists are kept, and the accounts you /op get it back when they come");
        assertThat(answer(alice, "/room register #LAIR"))
                .isEqualTo("! #Lair is registered already; /room info #Lair tells by whom");

        guest.line("/room info #lair");
        assertThat(guest.take()).satisfiesExactly(
                l -> assertThat(l).matches("-- #Lair was registered by alice on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"),
                l -> assertThat(l).isEqualTo("-- operators: alice (founder)"));
        assertThat(answer(guest, "/room info #den")).isEqualTo("! #den is not registered");
        assertThat(answer(guest, "/room drop #lair"))
                .isEqualTo("! only a user logged in to an account may do that to #lair; /login NICK PASSWORD first");
        assertThat(answer(guest, "/room")).startsWith("! usage: /room register #ROOM");
        assertThat(answer(guest, "/room register #a extra")).startsWith("! usage: /room register #ROOM");
    }

    @Test
    void onlyTheFounderDropsItAndAGuestWhoMakesItAgainIsNoOperator() {
        Client alice = registered("alice");
        alice.line("/join #lair");
        alice.line("/topic our place");
        alice.line("/room register #lair");
        alice.line("/part #lair");
        server.settle();

        Client bob = registered("bob");
        assertThat(answer(bob, "/room drop #lair"))
                .isEqualTo("! only the founder of #lair may do that; /room info #lair tells who it is");
        Client guest = server.connect("guest");
        guest.line("/join #lair");
        assertThat(guest.take()).contains("-- topic of #lair: our place");
        assertThat(answer(guest, "/topic mine")).isEqualTo("! only operators of #lair may do that");

        alice.line("/join #lair");
        assertThat(server.awaitLine(guest, l -> l.contains("set mode")))
                .contains("[#lair] -- the room's registration set mode +o alice");
        server.settle();
        assertThat(answer(alice, "/room drop #LAIR")).isEqualTo("-- #lair is no longer registered");
    }

    @Test
    void unregisteringSaysWhichRoomsItsFounderLost() {
        Client alice = registered("alice");
        alice.line("/join #lair");
        alice.line("/room register #lair");
        server.settle();
        alice.line("/unregister correcthorse");
        assertThat(server.awaitLine(alice, l -> l.contains("no longer registered")))
                .contains("-- the rooms you founded are no longer registered: #lair");
        assertThat(accounts.rooms().find("#lair")).isNull();
    }

    @Test
    void withoutAccountsThereAreNoRegisteredRooms() {
        LineHarness plain = new LineHarness();
        Client alice = plain.connect("alice");
        alice.line("/room info #lair");
        assertThat(alice.take()).containsExactly("! accounts are off on this server, and with them registered rooms");
    }
}
