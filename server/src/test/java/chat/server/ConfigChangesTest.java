package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a reload sees as changed, and how it says so. */
class ConfigChangesTest {

    @Test
    void nestedComponentsAreNamedByTheirPath() {
        ServerConfig before = ServerConfig.loopbackEphemeral();
        ServerConfig after = before.withLimits(before.limits().withFlood(2, 4)).withAnnounceLimit(7);
        List<ConfigChanges.Change> changes = ConfigChanges.between(before, after);
        assertThat(changes).extracting(ConfigChanges.Change::path)
                .containsExactly("limits.floodRate", "limits.floodBurst", "announceLimit");
        assertThat(changes.get(0)).hasToString("limits.floodRate " + before.limits().floodRate() + " -> 2.0");
        assertThat(changes.get(2).group()).isEqualTo("announceLimit");
    }

    @Test
    void nothingChangedIsAnEmptyList() {
        assertThat(ConfigChanges.between(ServerConfig.loopbackEphemeral(), ServerConfig.loopbackEphemeral())).isEmpty();
    }

    @Test
    void passwordsAndOperatorHashesAreNeverPrinted() {
        IrcOptions irc = IrcOptions.defaults();
        IrcOptions secret = new IrcOptions(irc.serverName(), irc.network(), irc.description(), irc.motd(),
                "hunter2", Map.of("alice", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"), irc.pingIntervalSeconds());
        List<ConfigChanges.Change> changes = ConfigChanges.between(irc, secret);
        assertThat(changes).extracting(Object::toString).containsExactly("password changed", "operators changed");
    }

    @Test
    void whatAReloadAppliesAndWhatTakesARestart() {
        assertThat(ChatServer.isReloadable("limits.maxClients")).isTrue();
        assertThat(ChatServer.isReloadable("limits.floodRate")).isTrue();
        assertThat(ChatServer.isReloadable("irc.motd")).isTrue();
        assertThat(ChatServer.isReloadable("irc.operators")).isTrue();
        assertThat(ChatServer.isReloadable("maxRooms")).isTrue();
        assertThat(ChatServer.isReloadable("accounts.operatorAccounts")).isTrue();
        assertThat(ChatServer.isReloadable("accounts.dataDir")).isFalse();
        assertThat(ChatServer.isReloadable("limits.maxLineBytes")).isFalse();
        assertThat(ChatServer.isReloadable("port")).isFalse();
        assertThat(ChatServer.isReloadable("irc.serverName")).isFalse();
        assertThat(ChatServer.isReloadable("tls.certificate")).isFalse();
    }
}
