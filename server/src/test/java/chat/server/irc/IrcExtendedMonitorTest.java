package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import org.junit.jupiter.api.Test;

/** extended-monitor: news of a watched user without a shared room, only for those who asked. */
class IrcExtendedMonitorTest {

    private final IrcHarness server = new IrcHarness();

    @Test
    void aWatcherWithExtendedMonitorAndAwayNotifyHearsOfAwayWithoutARoomInCommon() {
        Client watcher = server.irc("watcher", "extended-monitor", "away-notify", "setname");
        Client plain = server.irc("plain", "away-notify");
        Client bar = server.irc("bar");
        watcher.send("MONITOR + bar");
        plain.send("MONITOR + bar");
        server.settle();

        bar.send("AWAY :afk");
        assertThat(watcher.take()).containsExactly(":" + IrcHarness.ircPrefix("bar") + " AWAY :afk");
        assertThat(plain.take()).as("monitoring without extended-monitor tells of presence only").isEmpty();

        bar.send("AWAY");
        assertThat(watcher.take()).containsExactly(":" + IrcHarness.ircPrefix("bar") + " AWAY");

        bar.send("SETNAME :Bar Baz");
        assertThat(watcher.take()).containsExactly(":" + IrcHarness.ircPrefix("bar") + " SETNAME :Bar Baz");
        assertThat(plain.take()).isEmpty();
    }

    @Test
    void aRoomMateWhoAlsoMonitorsIsToldOnce() {
        Client watcher = server.irc("watcher", "extended-monitor", "away-notify");
        Client bar = server.irc("bar");
        watcher.send("JOIN #a", "MONITOR + bar");
        bar.send("JOIN #a");
        server.settle();

        bar.send("AWAY :lunch");
        assertThat(watcher.take()).containsExactly(":" + IrcHarness.ircPrefix("bar") + " AWAY :lunch");
    }
}
