package chat.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.core.Audience;
import chat.server.core.MessageKind;
import chat.server.core.Multiline;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCodecTest {

    private static ClusterEvent roundTrip(ClusterEvent event) {
        return ClusterCodec.decode(ClusterCodec.encode(event));
    }

    @Test
    void everyKindOfEventSurvivesTheChannel() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("+draft/reply", "abc");
        tags.put("+x", "a;b c\\d");
        BitSet continues = new BitSet();
        continues.set(1);
        Multiline lines = new Multiline(List.of("first", " continued", "third\\"), continues);
        List<ClusterEvent> events = List.of(
                new ClusterEvent.UserState("3.a", "Bob\\", "Bob\\", "bob", "Bob B. Real", "::1", "", List.of("@#a", "#b"), ""),
                new ClusterEvent.UserState("3.b", "guest-3-b", "alice", "al", "", "10.0.0.1", "alice", List.of(), "at lunch"),
                new ClusterEvent.AwaySet("3.a", "brb"),
                new ClusterEvent.RealnameSet("3.a", "New Name"),
                new ClusterEvent.Renamed("3.a", "x", "y"),
                new ClusterEvent.AccountSet("3.a", ""),
                new ClusterEvent.Joined("3.a", "#room"),
                new ClusterEvent.Parted("3.a", "#room", ""),
                new ClusterEvent.Kicked("3.a", "#room", "4.1", "be nice"),
                new ClusterEvent.Quit("3.a", "Ping timeout: 120 seconds"),
                new ClusterEvent.Said("3.a", "#room", "tab\there, nul\0here, backslash\\0 too", MessageKind.ACTION,
                        Audience.OPERATORS, 123456789L, 1700000000000L, tags, null),
                new ClusterEvent.Said("3.a", "#room", lines.text(), MessageKind.TEXT, Audience.EVERYONE, 1, 2, Map.of(), lines),
                new ClusterEvent.Direct("3.a", "4.1", "", MessageKind.TAGMSG, 5, 6, tags, null),
                new ClusterEvent.TopicSet("3.a", "#room", ""),
                new ClusterEvent.ModesSet("3.a", "#room", List.of(new chat.server.core.ModeChange(true, 'm', null),
                        new chat.server.core.ModeChange(false, 'k', "*"), new chat.server.core.ModeChange(true, 'o', "4.1"),
                        new chat.server.core.ModeChange(true, 'b', ""))),
                new ClusterEvent.RoomState("#room", "imnt", "", 0, "topic", "alice", 17, Map.of('b', List.of("*!*@10.*"),
                        'e', List.of(), 'I', List.of("a!*@*", "b!*@*"))),
                new ClusterEvent.Killed("3.a", "4.1", "spam"),
                new ClusterEvent.Ghost("3.a", "4.1"),
                new ClusterEvent.Hello(7, "node-1:7788"),
                new ClusterEvent.DumpBegin(7, "node-1:7788"),
                new ClusterEvent.DumpEnd(7),
                new ClusterEvent.Gone(7, "node-1:7788"));
        for (ClusterEvent event : events) {
            assertThat(roundTrip(event)).as(event.toString()).isEqualTo(event);
        }
    }

    @Test
    void aMessageIsReadableOnTheChannel() {
        assertThat(ClusterCodec.encode(new ClusterEvent.Joined("3.a", "#room"))).isEqualTo("J\u00003.a\u0000#room");
    }

    @Test
    void theNickScriptsSplitPutsTheGrantedNickInItsField() {
        ClusterCodec.Split split = ClusterCodec.encodeRename("3.a", "wanted");
        ClusterEvent event = ClusterCodec.decode(split.prefix() + ClusterCodec.escape("gr\\anted") + split.suffix());
        assertThat(event).isEqualTo(new ClusterEvent.Renamed("3.a", "gr\\anted", "wanted"));
    }

    @Test
    void whatCannotBeReadDecodesToNull() {
        for (String bad : List.of("", "X\u0000a", "JJ\u0000a\u0000b", "J\u0000only", "J\u0000a\u0000b\u0000extra",
                "M\u00003.a\u0000#r\u0000t\u0000SHOUT\u0000EVERYONE\u00001\u00002\u00000\u00000",
                "E\u0000notanumber", "J\u0000a\\", "J\u0000a\\x\u0000b", "O\u00003.a\u0000#r\u00001\u0000*m\u0000",
                "R\u0000#r\u0000nt\u0000\u00000\u0000\u0000\u00000\u00001\u0000bb\u00000")) {
            assertThat(ClusterCodec.decode(bad)).as(bad).isNull();
        }
    }

    @Test
    void uidsNameTheirIncarnationAndGiveAValidGuestNick() {
        String uid = ClusterIds.uid(42, 1295);
        assertThat(uid).isEqualTo("42.zz");
        assertThat(ClusterIds.incarnationOf(uid)).isEqualTo(42);
        assertThat(ClusterIds.incarnationOf("nodot")).isEqualTo(-1);
        assertThat(ClusterIds.incarnationOf("x.1")).isEqualTo(-1);
        assertThat(chat.server.core.Names.isValidNick(ClusterIds.guestNick(uid))).isTrue();
    }
}
