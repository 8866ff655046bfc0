package chat.server.irc;

import static chat.server.irc.IrcHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import chat.server.core.Metadata;
import chat.server.irc.IrcHarness.Client;
import java.util.List;
import org.junit.jupiter.api.Test;

/** METADATA (draft/metadata-3): what is stored, who may change and read it, who is told. */
class IrcMetadataTest {

    private static final String CAP = "draft/metadata-3";

    private final IrcHarness server = new IrcHarness();

    /** The lines of a metadata batch, without the BATCH lines and the batch tag. */
    private static List<String> batch(List<String> lines) {
        assertThat(lines.get(0)).matches(":irc\\.test BATCH \\+\\S+ metadata \\S+");
        assertThat(lines.get(lines.size() - 1)).startsWith(":irc.test BATCH -");
        return lines.subList(1, lines.size() - 1).stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
    }

    @Test
    void aUserSetsGetsListsAndRemovesItsOwnKeys() {
        Client foo = server.irc("foo", CAP, "batch");
        foo.send("METADATA * SET display-name :Foo The First");
        assertThat(foo.take()).containsExactly(server("761 foo foo display-name * :Foo The First"));
        foo.send("METADATA foo GET display-name avatar");
        assertThat(batch(foo.take())).containsExactly(
                server("761 foo foo display-name * :Foo The First"),
                server("766 foo foo avatar :key not set"));
        foo.send("METADATA * SET Avatar :https://example.org/foo.png");
        foo.take();
        foo.send("METADATA * LIST");
        assertThat(batch(foo.take())).containsExactly(
                server("761 foo foo display-name * :Foo The First"),
                server("761 foo foo avatar * :https://example.org/foo.png"));

        foo.send("METADATA * SET display-name");
        assertThat(foo.take()).containsExactly(server("766 foo foo display-name :key not set"));
        foo.send("METADATA * SET display-name");
        assertThat(foo.take()).containsExactly(server("768 foo foo display-name :key not set"));
        foo.send("METADATA * CLEAR");
        assertThat(batch(foo.take())).containsExactly(server("766 foo foo avatar :key not set"));
    }

    @Test
    void badKeysValuesTargetsAndOthersKeysAreRefused() {
        Client foo = server.irc("foo", CAP, "batch");
        Client bar = server.irc("bar", CAP, "batch");
        foo.send("METADATA * SET $url :x");
        assertThat(foo.take()).containsExactly(server("FAIL METADATA INVALID_KEY $url :invalid key"));
        foo.send("METADATA * SET bio :" + "x".repeat(Metadata.MAX_VALUE_BYTES + 1));
        assertThat(foo.take()).singleElement().asString().startsWith(server("FAIL METADATA INVALID_VALUE bio :"));
        foo.send("METADATA nobody LIST");
        assertThat(foo.take()).containsExactly(server("FAIL METADATA INVALID_TARGET nobody :invalid metadata target"));
        foo.send("METADATA bar SET display-name :Not Bar", "METADATA bar CLEAR");
        assertThat(foo.take()).containsExactly(
                server("FAIL METADATA KEY_NO_PERMISSION bar display-name :permission denied"),
                server("FAIL METADATA KEY_NO_PERMISSION bar * :permission denied"));
        foo.send("METADATA * DESTROY");
        assertThat(foo.take()).containsExactly(server("FAIL METADATA INVALID_SUBCOMMAND DESTROY :invalid subcommand"));
        assertThat(bar.take()).isEmpty();
    }

    @Test
    void keysPerUserAreBounded() {
        Client foo = server.irc("foo", CAP, "batch");
        for (int i = 0; i < Metadata.MAX_KEYS; i++) {
            foo.send("METADATA * SET k" + i + " :v");
        }
        foo.take();
        foo.send("METADATA * SET one-more :v");
        assertThat(foo.take()).containsExactly(server("FAIL METADATA LIMIT_REACHED * :metadata limit reached"));
        foo.send("METADATA * SET k0 :changed");
        assertThat(foo.take()).containsExactly(server("761 foo foo k0 * :changed"));
    }

    @Test
    void subscribersSharingARoomAreToldAsNumericsAndTheSetterIsNot() {
        Client foo = server.irc("foo", CAP, "batch");
        Client bar = server.irc("bar", CAP, "batch");
        Client lurker = server.irc("lurker", CAP, "batch");
        bar.send("METADATA * SUB avatar display-name $bad");
        assertThat(bar.take()).containsExactly(
                server("FAIL METADATA INVALID_KEY $bad :invalid key"),
                server("770 bar avatar display-name"));
        lurker.send("METADATA * SUB display-name");
        foo.send("JOIN #chan");
        bar.send("JOIN #chan");
        server.settle();
        foo.take();
        bar.take();
        lurker.take();

        foo.send("METADATA * SET display-name :Foo The First");
        assertThat(foo.take()).containsExactly(server("761 foo foo display-name * :Foo The First"));
        assertThat(bar.take()).containsExactly(server("761 bar foo display-name * :Foo The First"));
        assertThat(lurker.take()).as("shares no room").isEmpty();
        foo.send("METADATA * SET homepage :https://example.org");
        assertThat(bar.take()).as("not subscribed").isEmpty();
        foo.send("METADATA * SET display-name");
        assertThat(bar.take()).containsExactly(server("766 bar foo display-name :key not set"));

        bar.send("METADATA * UNSUB avatar", "METADATA * SUBS");
        assertThat(bar.take()).containsExactly(server("771 bar avatar"), server("772 bar display-name"));
    }

    @Test
    void aJoinerGetsWhatItSubscribedToOfTheRoomAndItsMembers() {
        Client foo = server.irc("foo", CAP, "batch");
        Client bar = server.irc("bar", CAP, "batch");
        bar.send("METADATA * SUB display-name avatar");
        foo.send("METADATA * SET display-name :Foo", "JOIN #chan", "METADATA #chan SET avatar :https://example.org/chan.png");
        server.settle();
        foo.take();
        bar.take();
        bar.send("JOIN #chan");
        List<String> joined = bar.take();
        assertThat(joined).filteredOn(l -> l.contains(" 761 ")).extracting(l -> l.substring(l.indexOf(" 761 ")))
                .containsExactly(" 761 bar #chan avatar * :https://example.org/chan.png", " 761 bar foo display-name * :Foo");
    }

    @Test
    void roomKeysAreTheOperatorsToSetAndTheMembersToReadWhenTheRoomIsClosed() {
        Client op = server.irc("op", CAP, "batch");
        Client member = server.irc("member", CAP, "batch");
        Client outsider = server.irc("outsider", CAP, "batch");
        op.send("JOIN #chan");
        member.send("JOIN #chan");
        server.settle();
        op.take();
        member.take();
        member.send("METADATA #chan SET display-name :Mine");
        assertThat(member.take()).containsExactly(server("FAIL METADATA KEY_NO_PERMISSION #chan display-name :permission denied"));
        op.send("METADATA #chan SET display-name :Hash Channel");
        assertThat(op.take()).containsExactly(server("761 op #chan display-name * :Hash Channel"));
        outsider.send("METADATA #chan GET display-name");
        assertThat(batch(outsider.take())).as("an open room is anyone's to read")
                .containsExactly(server("761 outsider #chan display-name * :Hash Channel"));

        op.send("MODE #chan +i");
        outsider.send("METADATA #chan GET display-name", "METADATA #chan LIST", "METADATA #chan SYNC");
        assertThat(outsider.take()).containsExactly(
                server("FAIL METADATA KEY_NO_PERMISSION #chan display-name :permission denied"),
                server("FAIL METADATA KEY_NO_PERMISSION #chan * :permission denied"),
                server("FAIL METADATA KEY_NO_PERMISSION #chan * :permission denied"));
        member.take(); // the MODE
        member.send("METADATA #chan LIST");
        assertThat(batch(member.take())).containsExactly(server("761 member #chan display-name * :Hash Channel"));
    }

    @Test
    void whoisShowsTheKeysToClientsThatAskedForMetadata() {
        Client foo = server.irc("foo", CAP, "batch");
        Client bar = server.irc("bar", CAP, "batch");
        Client plain = server.irc("plain");
        foo.send("METADATA * SET display-name :Foo The First");
        foo.take();
        bar.send("WHOIS foo");
        assertThat(bar.take()).contains(server("760 bar foo display-name * :Foo The First"));
        plain.send("WHOIS foo");
        assertThat(plain.take()).noneMatch(l -> l.contains(" 760 "));
    }

    @Test
    void keysSetBeforeRegistrationAreTheUsersOnceItIsIn() {
        Client foo = server.acceptIrc().send("CAP LS 302", "CAP REQ :" + CAP + " batch");
        foo.take();
        foo.send("METADATA * SET display-name :Early Bird");
        assertThat(foo.take()).containsExactly(server("761 * * display-name * :Early Bird"));
        foo.send("METADATA * LIST");
        assertThat(foo.take()).containsExactly(server("451 * :You have not registered"));
        foo.send("NICK foo", "USER foo 0 * :Foo", "CAP END");
        List<String> burst = foo.take();
        int open = burst.indexOf(burst.stream().filter(l -> l.matches(":irc\\.test BATCH \\+\\S+ metadata foo")).findFirst().orElseThrow());
        assertThat(burst.get(open + 1)).endsWith(" 761 foo foo display-name * :Early Bird");
        foo.send("METADATA * GET display-name");
        assertThat(batch(foo.take())).containsExactly(server("761 foo foo display-name * :Early Bird"));
    }

    @Test
    void nativeUsersAreNotToldOfMetadata() {
        Client foo = server.irc("foo", CAP, "batch");
        Client nat = server.nativeUser("nat");
        foo.send("JOIN #lobby");
        server.settle();
        foo.take();
        nat.take();
        foo.send("METADATA * SET display-name :Foo");
        assertThat(nat.take()).isEmpty();
    }
}
