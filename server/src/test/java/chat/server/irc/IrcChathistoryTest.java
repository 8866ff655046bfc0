package chat.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.history.HistoryOptions;
import chat.server.irc.IrcHarness.Client;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CHATHISTORY: each subcommand by msgid and by timestamp, its batch, and who may read what. */
class IrcChathistoryTest {

    private static final String[] CAPS = {"message-tags", "server-time", "echo-message", "batch", "draft/chathistory"};

    private final IrcHarness server = IrcHarness.withHistory(HistoryOptions.inMemory());
    private Client bar;
    /** The ten messages as their echo gave them: {@code @time=...;msgid=... :bar!... PRIVMSG #chan :message N}. */
    private final List<String> echoed = new ArrayList<>();

    @BeforeEach
    void tenMessages() {
        bar = server.irc("bar", CAPS);
        bar.send("JOIN #chan");
        bar.take();
        for (int i = 0; i < 10; i++) {
            bar.send("PRIVMSG #chan :message " + i);
            echoed.add(bar.take().get(0));
            server.loop.advanceMillis(20);
        }
    }

    @Test
    void latestGivesTheNewestInABatchWithTheEchoedTimesAndIds() {
        assertThat(history("LATEST #chan * 20")).isEqualTo(echoed);
        assertThat(history("LATEST #chan * 3")).isEqualTo(echoed.subList(7, 10));
        assertThat(history("LATEST #chan msgid=" + msgid(4) + " 20")).isEqualTo(echoed.subList(5, 10));
        assertThat(history("LATEST #chan timestamp=" + time(4) + " 20")).isEqualTo(echoed.subList(5, 10));
    }

    @Test
    void beforeAndAfterAreExclusiveAndTakeFromTheNearEnd() {
        assertThat(history("BEFORE #chan msgid=" + msgid(6) + " 20")).isEqualTo(echoed.subList(0, 6));
        assertThat(history("BEFORE #chan timestamp=" + time(6) + " 2")).isEqualTo(echoed.subList(4, 6));
        assertThat(history("AFTER #chan msgid=" + msgid(3) + " 20")).isEqualTo(echoed.subList(4, 10));
        assertThat(history("AFTER #chan timestamp=" + time(3) + " 3")).isEqualTo(echoed.subList(4, 7));
    }

    @Test
    void betweenGoesEitherWayAndAroundCentresOnTheMessage() {
        assertThat(history("BETWEEN #chan msgid=" + msgid(0) + " msgid=" + msgid(9) + " 20")).isEqualTo(echoed.subList(1, 9));
        assertThat(history("BETWEEN #chan msgid=" + msgid(9) + " msgid=" + msgid(0) + " 3")).isEqualTo(echoed.subList(6, 9));
        assertThat(history("BETWEEN #chan timestamp=" + time(0) + " timestamp=" + time(9) + " 3")).isEqualTo(echoed.subList(1, 4));
        assertThat(history("AROUND #chan msgid=" + msgid(7) + " 1")).isEqualTo(echoed.subList(7, 8));
        assertThat(history("AROUND #chan msgid=" + msgid(7) + " 3")).isEqualTo(echoed.subList(6, 9));
    }

    @Test
    void aChannelOneIsNotInAndNonsenseAreRefused() {
        Client qux = server.irc("qux", CAPS);
        qux.send("CHATHISTORY LATEST #chan * 10");
        assertThat(qux.take()).singleElement().asString().startsWith(":" + IrcHarness.SERVER + " FAIL CHATHISTORY INVALID_TARGET LATEST #chan ");
        qux.send("CHATHISTORY LATEST #nowhere * 10");
        assertThat(qux.take()).singleElement().asString().contains("FAIL CHATHISTORY INVALID_TARGET");
        bar.send("CHATHISTORY BEFORE #chan msgid=x!y 10");
        assertThat(bar.take()).singleElement().asString().contains("FAIL CHATHISTORY INVALID_PARAMS BEFORE");
        bar.send("CHATHISTORY LATEST #chan * zero");
        assertThat(bar.take()).singleElement().asString().contains("FAIL CHATHISTORY INVALID_PARAMS LATEST");
    }

    @Test
    void privateHistoryIsTheConversationsAndStartsWithTheNick() {
        Client baz = server.irc("baz", CAPS);
        bar.send("PRIVMSG baz :psst");
        String sent = bar.take().get(0);
        baz.take();
        baz.send("PRIVMSG bar :yes?");
        String reply = baz.take().get(0);
        bar.take();

        assertThat(history("LATEST baz * 10")).containsExactly(sent, reply);
        bar.send("CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2100-01-01T00:00:00.000Z 10");
        List<String> targets = bar.take();
        assertThat(targets.get(0)).contains("BATCH +").endsWith("draft/chathistory-targets");
        assertThat(targets.subList(1, targets.size() - 1)).hasSize(2).anyMatch(l -> l.contains("CHATHISTORY TARGETS baz "))
                .anyMatch(l -> l.contains("CHATHISTORY TARGETS #chan "));

        baz.send("QUIT");
        server.loop.advanceMillis(1000);
        Client mallory = server.irc("baz", CAPS);
        mallory.send("CHATHISTORY LATEST bar * 10");
        List<String> nothing = mallory.take();
        assertThat(nothing).hasSize(2); // an empty batch
    }

    /** The messages of one CHATHISTORY answer, checked to be one chathistory batch, without the batch tag. */
    private List<String> history(String request) {
        bar.send("CHATHISTORY " + request);
        List<String> lines = bar.take();
        assertThat(lines.get(0)).matches(":" + IrcHarness.SERVER.replace(".", "\\.") + " BATCH \\+(\\S+) chathistory \\S+");
        String id = lines.get(0).split(" ")[2].substring(1);
        assertThat(lines.get(lines.size() - 1)).isEqualTo(":" + IrcHarness.SERVER + " BATCH -" + id);
        List<String> inner = new ArrayList<>();
        for (String line : lines.subList(1, lines.size() - 1)) {
            assertThat(line).startsWith("@batch=" + id + ";");
            inner.add("@" + line.substring(("@batch=" + id + ";").length()));
        }
        return inner;
    }

    private String msgid(int i) {
        return tag(echoed.get(i), "msgid");
    }

    private String time(int i) {
        return tag(echoed.get(i), "time");
    }

    private static String tag(String line, String name) {
        for (String tag : line.substring(1, line.indexOf(' ')).split(";")) {
            if (tag.startsWith(name + "=")) {
                return tag.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + line);
    }

    @Test
    void aJoinerWithoutChathistoryGetsTheLastMessagesWhenConfiguredAndOneWithItNone() {
        IrcHarness replaying = IrcHarness.withHistory(HistoryOptions.inMemory().withIrcOnJoin(2));
        Client alice = replaying.irc("alice", CAPS);
        alice.send("JOIN #room", "PRIVMSG #room :one", "PRIVMSG #room :two", "PRIVMSG #room :three");
        Client plain = replaying.irc("plain", "batch", "server-time");
        plain.send("JOIN #room");
        List<String> joined = plain.take();
        int open = joined.indexOf(joined.stream().filter(l -> l.contains(" BATCH +")).findFirst().orElseThrow());
        assertThat(joined.get(open)).endsWith(" chathistory #room");
        assertThat(joined.subList(0, open)).anyMatch(l -> l.contains(" 366 "));
        assertThat(joined.get(open + 1)).contains("PRIVMSG #room :two").startsWith("@batch=");
        assertThat(joined.get(open + 2)).contains("PRIVMSG #room :three");
        assertThat(joined.get(open + 3)).contains(" BATCH -");

        Client modern = replaying.irc("modern", CAPS);
        modern.send("JOIN #room");
        assertThat(modern.take()).noneMatch(l -> l.contains("PRIVMSG"));
    }

    /**
     * After a restart memory holds nothing of #old, so CHATHISTORY reads the store off the loop;
     * the PING sent right behind it waits, and its PONG comes after the batch.
     */
    @Test
    void anAnswerFromTheStoreComesBeforeTheRepliesToLaterLines() {
        chat.server.history.StoredMessage kept = new chat.server.history.StoredMessage(1L << 40, IrcHarness.WALL_START_MILLIS - 60_000, "#old",
                "#old", "zed", "~zed@127.0.0.1", null, chat.server.core.MessageKind.TEXT, "before the restart", java.util.Map.of());
        chat.server.history.ListHistoryStore store = new chat.server.history.ListHistoryStore(kept);
        java.util.concurrent.CountDownLatch gate = store.gate("#old");
        IrcHarness restarted = IrcHarness.withHistory(HistoryOptions.inMemory(), store);
        Client reader = restarted.irc("reader", CAPS);
        reader.send("JOIN #old");
        reader.take();
        reader.send("CHATHISTORY LATEST #old * 10", "PING after");
        assertThat(reader.take()).as("nothing until the store answers").isEmpty();
        gate.countDown();
        List<String> got = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInSameThread().until(() -> {
            restarted.loop.iterate();
            got.addAll(reader.take());
            return got.stream().anyMatch(l -> l.contains("PONG"));
        });
        assertThat(got.get(0)).contains("BATCH +");
        assertThat(got.get(1)).endsWith(":zed!~zed@127.0.0.1 PRIVMSG #old :before the restart");
        assertThat(got.get(2)).contains("BATCH -");
        assertThat(got.get(3)).contains("PONG").endsWith("after");
    }
}
