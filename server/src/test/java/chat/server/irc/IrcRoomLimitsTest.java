package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.irc.IrcHarness.Client;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CHANLIMIT and the server's room cap as IRC clients meet them, and LIST on a server with very many channels. */
class IrcRoomLimitsTest {

    private final IrcHarness server = new IrcHarness();

    @Test
    void chanlimitIsAdvertisedAndJoiningPastItGives405() {
        server.core.roomLimits(3, 1000);
        Client alice = server.acceptIrc().send("NICK alice", "USER alice 0 * :Alice");
        assertThat(alice.take()).anyMatch(l -> l.contains(" 005 ") && l.contains(" CHANLIMIT=#:3 "));
        alice.send("JOIN #a,#b,#c,#d");
        List<String> lines = alice.take();
        assertThat(lines).filteredOn(l -> l.contains(" JOIN ")).hasSize(3);
        assertThat(lines).contains(":" + IrcHarness.SERVER + " 405 alice #d :You have joined too many channels");
    }

    @Test
    void aNewChannelPastTheServersCapGives405AndExistingOnesStillOpen() {
        server.core.roomLimits(50, 1);
        Client alice = server.irc("alice");
        alice.send("JOIN #only");
        alice.take();
        Client bob = server.irc("bob");
        bob.send("JOIN #another,#only");
        List<String> lines = bob.take();
        assertThat(lines).contains(":" + IrcHarness.SERVER
                + " 405 bob #another :Cannot create channel: the server has too many; join an existing one");
        assertThat(lines).anyMatch(l -> l.startsWith(":bob!") && l.endsWith(" JOIN #only"));
    }

    @Test
    void listStopsAtItsBoundAndSaysSo() {
        int channels = QueryCommands.MAX_LISTED + 3;
        for (int u = 0; u * 48 < channels; u++) {
            Client maker = server.irc("maker" + u);
            StringBuilder join = new StringBuilder("JOIN ");
            for (int c = u * 48; c < Math.min(channels, (u + 1) * 48); c++) {
                join.append(c == u * 48 ? "" : ",").append("#c").append(c);
            }
            maker.send(join.toString());
        }
        Client lister = server.irc("lister");
        server.settle();
        lister.send("LIST");
        List<String> lines = lister.take();
        assertThat(lines).filteredOn(l -> l.contains(" 322 ")).hasSize(QueryCommands.MAX_LISTED);
        assertThat(lines.get(lines.size() - 2)).isEqualTo(":" + IrcHarness.SERVER + " NOTICE lister :LIST stopped at "
                + QueryCommands.MAX_LISTED + " channels, 3 more; narrow it with a mask or >N (ELIST)");
        assertThat(lines.get(lines.size() - 1)).contains(" 323 ");
    }
}
