package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import chat.server.ServerConfig;
import chat.server.accounts.AccountOptions;
import chat.server.history.HistoryOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registered room over real sockets, with the embedded store in a temporary data directory:
 * registered with a topic, a ban and a second account opped; left empty; the server restarted on
 * the same directory; the room made again by a guest, who is not its operator, then joined by the
 * two accounts, who are, with the topic and the ban as they were.
 */
class RegisteredRoomsEndToEndTest {

    private static final String PASSWORD = "correcthorsebattery";

    @RegisterExtension
    final RunningServer server = new RunningServer();

    @TempDir
    Path dataDir;

    private ServerConfig config() {
        return ServerConfig.loopbackEphemeral()
                .withHistory(HistoryOptions.inMemory())
                .withAccounts(new AccountOptions(true, dataDir, AccountOptions.DEFAULT_MAX_KEPT, false,
                        chat.server.auth.LoginThrottle.Policy.DEFAULT));
    }

    private boolean isOperator(String room, String nick) throws Exception {
        return server.onLoop(s -> s.core().room(room).isOperator(s.core().user(nick)));
    }

    @Test
    void aRegisteredRoomKeepsItsTopicBanAndOperatorsAcrossAnEmptyPeriodAndARestart() throws Exception {
        server.start(config());
        try (LineClient alice = LineClient.named(server.port(), "alice");
                LineClient bob = LineClient.named(server.port(), "bob")) {
            alice.send("/register " + PASSWORD);
            alice.awaitLine(l -> l.startsWith("-- registered alice"));
            bob.send("/register " + PASSWORD);
            bob.awaitLine(l -> l.startsWith("-- registered bob"));

            alice.send("/join #den");
            alice.send("/room register #den");
            alice.awaitLine(l -> l.startsWith("-- #den is registered to alice"));
            alice.send("/topic a den for us");
            alice.send("/ban mallory!*@*");
            bob.send("/join #den");
            bob.awaitLine(l -> l.equals("[#den] -- alice joined") || l.startsWith("-- topic of #den"));
            alice.send("/op bob");
            bob.awaitExact("[#den] -- alice set mode +o bob");
            alice.send("/room info #den");
            alice.awaitExact("-- operators: alice (founder), bob");
        }
        await().until(() -> server.onLoop(s -> s.core().room("#den")) == null); // empty: the room is gone
        server.stop();

        server.start(config()); // a restart: the registration is on disk
        try (LineClient guest = LineClient.named(server.port(), "carol")) {
            guest.send("/join #den");
            guest.awaitExact("-- topic of #den: a den for us");
            assertThat(isOperator("#den", "carol")).isFalse();
            assertThat(server.<java.util.List<String>>onLoop(s -> s.core().room("#den").list('b')))
                    .containsExactly("mallory!*@*");

            try (LineClient mallory = LineClient.named(server.port(), "mallory")) {
                mallory.send("/join #den");
                mallory.awaitExact("! you are banned from #den");
            }

            try (LineClient alice = LineClient.connected(server.port());
                    LineClient bob = LineClient.connected(server.port())) {
                alice.send("/login alice " + PASSWORD);
                alice.awaitExact("-- logged in as alice");
                alice.send("/join #den");
                guest.awaitExact("[#den] -- the room's registration set mode +o alice");
                bob.send("/join #den");
                bob.awaitExact("-- topic of #den: a den for us");
                bob.send("/login bob " + PASSWORD); // in the room already: +o comes with the login
                guest.awaitExact("[#den] -- the room's registration set mode +o bob");
                assertThat(isOperator("#den", "alice")).isTrue();
                assertThat(isOperator("#den", "bob")).isTrue();
                assertThat(isOperator("#den", "carol")).isFalse();
            }
        }
    }
}
