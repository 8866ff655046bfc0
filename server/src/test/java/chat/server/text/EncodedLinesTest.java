package chat.server.text;

import static org.assertj.core.api.Assertions.assertThat;

import chat.common.TextCodec;
import chat.server.core.ChatEvent;
import chat.server.core.ChatCore;
import chat.server.core.ChatException;
import chat.server.core.Identity;
import chat.server.core.MessageKind;
import chat.server.core.User;
import chat.server.text.LineHarness.Client;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A broadcast is formatted once and encoded once per charset among its recipients, and those
 * with the same charset share the bytes; seen both on the cache alone and through a real room.
 */
class EncodedLinesTest {

    private static final Charset GBK = Charset.forName("GBK");
    private static final TextCodec UTF_8 = TextCodec.UTF_8;
    private static final TextCodec GBK_CODEC = new TextCodec(GBK);

    private final EncodedLines cache = new EncodedLines();

    /** A user of a core of its own: the events below only need its nick. */
    private static final User ALICE = aUser("alice");

    private static User aUser(String nick) {
        try {
            return new ChatCore("lobby").connect(event -> { }, nick,
                    new Identity("~u", "", java.net.InetAddress.getLoopbackAddress()));
        } catch (ChatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void recipientsWithTheSameCharsetGetTheVerySameArray() {
        ChatEvent event = new ChatEvent.RoomMessage("#lobby", ALICE, "你好", MessageKind.TEXT);

        byte[] utf8 = cache.bytesFor(event, UTF_8);
        byte[] gbk = cache.bytesFor(event, GBK_CODEC);
        byte[] utf8Again = cache.bytesFor(event, TextCodec.UTF_8);
        byte[] gbkAgain = cache.bytesFor(event, new TextCodec(Charset.forName("gbk")));

        assertThat(utf8Again).isSameAs(utf8);
        assertThat(gbkAgain).as("another codec of the same charset").isSameAs(gbk);
        assertThat(utf8).isEqualTo("[#lobby] alice: 你好\n".getBytes(StandardCharsets.UTF_8));
        assertThat(gbk).isEqualTo("[#lobby] alice: 你好\n".getBytes(GBK));
        assertThat(cache.encodings()).isEqualTo(2);
    }

    @Test
    void aNewEventIsEncodedAfresh() {
        ChatEvent first = new ChatEvent.RoomMessage("#lobby", ALICE, "one", MessageKind.TEXT);
        ChatEvent second = new ChatEvent.RoomMessage("#lobby", ALICE, "two", MessageKind.TEXT);

        byte[] one = cache.bytesFor(first, UTF_8);
        byte[] two = cache.bytesFor(second, UTF_8);

        assertThat(two).isNotSameAs(one).isEqualTo("[#lobby] alice: two\n".getBytes(StandardCharsets.UTF_8));
        assertThat(one).as("handed-out bytes are never changed").isEqualTo(
                "[#lobby] alice: one\n".getBytes(StandardCharsets.UTF_8));
        assertThat(cache.encodings()).isEqualTo(2);
    }

    @Test
    void moreCharsetsThanTheCacheHoldsStillGetTheirOwnRightBytes() {
        ChatEvent event = new ChatEvent.RoomMessage("#lobby", ALICE, "é", MessageKind.TEXT);
        String[] names = {"UTF-8", "GBK", "GB18030", "Big5", "ISO-8859-1", "windows-1252", "EUC-KR"};

        for (int round = 0; round < 2; round++) {
            for (String name : names) {
                Charset charset = Charset.forName(name);
                assertThat(cache.bytesFor(event, new TextCodec(charset))).as(name)
                        .isEqualTo("[#lobby] alice: é\n".getBytes(charset));
            }
        }
    }

    @Test
    void aRoomBroadcastEncodesOncePerCharsetAmongItsRecipients() {
        LineHarness server = new LineHarness();
        Client alice = server.connect("alice");
        Client[] utf8 = {server.connect("bob"), server.connect("carol")};
        Client[] gbk = {server.connect("dan"), server.connect("erin"), server.connect("fay")};
        for (Client client : gbk) {
            client.line("/charset GBK");
        }
        server.settle();

        long before = server.dialect.encodings();
        alice.line("你好");

        assertThat(server.dialect.encodings() - before).isEqualTo(2);
        for (Client client : utf8) {
            assertThat(client.takeBytes()).isEqualTo("[#lobby] alice: 你好\n".getBytes(StandardCharsets.UTF_8));
        }
        for (Client client : gbk) {
            assertThat(client.takeBytes()).isEqualTo("[#lobby] alice: 你好\n".getBytes(GBK));
        }
    }

    @Test
    void anEmojiForGbkRecipientsBecomesAQuestionMarkCountedOncePerEncoding() {
        LineHarness server = new LineHarness();
        Client alice = server.connect("alice");
        Client bob = server.connect("bob");
        Client dan = server.connect("dan");
        Client erin = server.connect("erin");
        dan.line("/charset GBK");
        erin.line("/charset GBK");
        server.settle();

        long before = server.dialect.unmappableCharacters();
        alice.line("hi 😀 中");

        assertThat(bob.take()).containsExactly("[#lobby] alice: hi 😀 中");
        assertThat(dan.takeBytes()).isEqualTo("[#lobby] alice: hi ? 中\n".getBytes(GBK));
        assertThat(erin.takeBytes()).isEqualTo("[#lobby] alice: hi ? 中\n".getBytes(GBK));
        assertThat(server.dialect.unmappableCharacters() - before).as("one encoding for both GBK users").isEqualTo(1);
    }

    @Test
    void aBatchOfJoinsIsOneArrayPerCharsetWithEveryLineInOrder() {
        User bob = aUser("bob");
        java.util.List<ChatEvent.Joined> batch = java.util.List.of(
                new ChatEvent.Joined("#tea", ALICE), new ChatEvent.Joined("#tea", bob));

        byte[] utf8 = cache.bytesForJoins(batch, 0, UTF_8);
        byte[] again = cache.bytesForJoins(batch, 0, TextCodec.UTF_8);
        byte[] gbk = cache.bytesForJoins(batch, 0, GBK_CODEC);
        byte[] tail = cache.bytesForJoins(batch, 1, UTF_8);
        byte[] next = cache.bytesForJoins(java.util.List.of(new ChatEvent.Joined("#tea", bob)), 0, UTF_8);

        assertThat(again).isSameAs(utf8);
        assertThat(LineHarness.lines(utf8, StandardCharsets.UTF_8)).containsExactly(
                LineFormatter.format(batch.get(0)), LineFormatter.format(batch.get(1)));
        assertThat(gbk).isEqualTo(utf8); // ASCII-only lines
        assertThat(LineHarness.lines(tail, StandardCharsets.UTF_8)).containsExactly(LineFormatter.format(batch.get(1)));
        assertThat(LineHarness.lines(next, StandardCharsets.UTF_8)).containsExactly(LineFormatter.format(batch.get(1)));
        assertThat(cache.encodings()).as("the batch in two charsets, then the next batch").isEqualTo(3);
    }

    @Test
    void aJoinersTailOfABatchInAMultiByteCharsetStartsAtItsLine() {
        User zhang = aUser("张三");
        User li = aUser("李四");
        java.util.List<ChatEvent.Joined> batch = java.util.List.of(new ChatEvent.Joined("#茶", ALICE),
                new ChatEvent.Joined("#茶", zhang), new ChatEvent.Joined("#茶", li));

        byte[] tail = cache.bytesForJoins(batch, 1, GBK_CODEC);

        assertThat(LineHarness.lines(tail, GBK)).containsExactly(
                LineFormatter.format(batch.get(1)), LineFormatter.format(batch.get(2)));
    }

    @Test
    void joinsGatheredInOneIterationReachEachEarlierMemberAsOneSharedArray() {
        LineHarness server = new LineHarness();
        server.core.gatherJoins();
        Client alice = server.connect("alice");
        Client zed = server.connect("zed");
        Client bob = server.connect("bob");
        Client carol = server.connect("carol");
        alice.line("/join #tea");
        zed.line("/join #tea");
        server.core.announceGatheredJoins();
        server.loop.iterate();
        server.settle();

        bob.line("/join #tea");
        carol.line("/join #tea");
        assertThat(alice.take()).as("gathered until the iteration ends").isEmpty();
        assertThat(bob.take()).as("a joiner is told of its own join at once").contains("[#tea] -- bob joined");
        carol.take();
        long before = server.dialect.encodings();
        server.core.announceGatheredJoins();
        server.loop.iterate();

        assertThat(server.dialect.encodings() - before)
                .as("the batch once for alice and zed; carol's line for bob is the one made for carol's own join")
                .isEqualTo(1);
        byte[] toAlice = alice.takeBytes();
        assertThat(LineHarness.lines(toAlice, StandardCharsets.UTF_8))
                .containsExactly("[#tea] -- bob joined", "[#tea] -- carol joined");
        assertThat(zed.takeBytes()).isEqualTo(toAlice);
        assertThat(bob.take()).containsExactly("[#tea] -- carol joined");
        assertThat(carol.take()).isEmpty();
    }
}
