package chat.server.cluster;

import static chat.server.history.HistoryQuery.NONE_ABOVE;
import static chat.server.history.HistoryQuery.NONE_BELOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.server.core.MessageKind;
import chat.server.history.HistoryException;
import chat.server.history.HistoryQuery;
import chat.server.history.HistoryStore.TargetActivity;
import chat.server.history.HistoryTargets;
import chat.server.history.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** History on a real redis-server started by the test: the query shapes, two nodes writing, retention. */
class RedisHistoryStoreTest {

    private RedisServer redis;
    private final List<RedisHistoryStore> opened = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed");
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        opened.forEach(RedisHistoryStore::close);
        if (redis != null) {
            redis.close();
        }
    }

    private RedisHistoryStore open() {
        RedisHistoryStore store = new RedisHistoryStore(
                new ClusterOptions(redis.uri(), "n", Duration.ofSeconds(10), 1000));
        opened.add(store);
        return store;
    }

    /** A message said at second {@code second}, with the id the server gives it then (time times 1,024). */
    private static StoredMessage said(long second, String room) {
        long time = second * 1000;
        return new StoredMessage(time << 10, time, HistoryTargets.room(room), room, "alice", "alice@host", null,
                MessageKind.TEXT, "line " + second, Map.of());
    }

    private static List<Long> seconds(List<StoredMessage> messages) {
        return messages.stream().map(m -> m.time() / 1000).toList();
    }

    private static long id(long second) {
        return (second * 1000) << 10;
    }

    @Test
    void everyFieldComesBackWhateverItHolds() throws Exception {
        RedisHistoryStore store = open();
        StoredMessage room = new StoredMessage(id(1), 1000, "#dev", "#Dev", "Bob\\", "bob@::1", null, MessageKind.ACTION,
                "tab\t nul\0 backslash\\0 line\nbreak é 中文", Map.of("+draft/reply", "x;y z\\", "+a", ""));
        StoredMessage direct = new StoredMessage(id(2), 2000, "alice bob", null, "bob", "bob@h", "alice",
                MessageKind.NOTICE, "hi", Map.of());
        store.append(List.of(room, direct));
        assertThat(store.read(HistoryQuery.latest("#dev", 5))).containsExactly(room);
        assertThat(store.read(HistoryQuery.latest("alice bob", 5))).containsExactly(direct);
    }

    @Test
    void readsTakeTheNewestOrOldestOfARangeAndAnswerOldestFirst() throws Exception {
        RedisHistoryStore store = open();
        store.append(LongStream.rangeClosed(1, 600).mapToObj(s -> said(s, s % 2 == 0 ? "#even" : "#odd")).toList());

        assertThat(seconds(store.read(HistoryQuery.latest("#even", 3)))).containsExactly(596L, 598L, 600L);
        assertThat(seconds(store.read(HistoryQuery.before("#even", id(16), 3)))).containsExactly(10L, 12L, 14L);
        assertThat(seconds(store.read(HistoryQuery.after("#even", id(4), 2)))).containsExactly(6L, 8L);
        assertThat(store.read(HistoryQuery.after("#odd", id(599), 5))).isEmpty();
        // Time bounds alone, exclusive, across more than one page of members.
        assertThat(seconds(store.read(new HistoryQuery("#odd", NONE_BELOW, NONE_ABOVE, 3000, 9000, 2, true))))
                .containsExactly(5L, 7L);
        assertThat(seconds(store.read(new HistoryQuery("#odd", NONE_BELOW, NONE_ABOVE, 3000, 590_000, 300, false))))
                .hasSize(293).startsWith(5L).endsWith(589L);
        assertThat(store.read(HistoryQuery.latest("#none", 5))).isEmpty();
    }

    @Test
    void aMessageWrittenByTwoNodesIsKeptAndReadOnce() throws Exception {
        RedisHistoryStore a = open();
        RedisHistoryStore b = open();
        a.append(List.of(said(1, "#dev"), said(2, "#dev")));
        b.append(List.of(said(2, "#dev"), said(3, "#dev")));
        StoredMessage spelledOtherwise = new StoredMessage(id(3), 3000, "#dev", "#DEV", "alice", "alice@host", null,
                MessageKind.TEXT, "line 3", Map.of());
        b.append(List.of(spelledOtherwise));
        assertThat(seconds(a.read(HistoryQuery.latest("#dev", 10)))).containsExactly(1L, 2L, 3L);
        assertThat(b.lastId()).isEqualTo(id(3));
    }

    @Test
    void deletesPrunesTargetsAndTheLastId() throws Exception {
        RedisHistoryStore store = open();
        store.append(LongStream.rangeClosed(1, 30).mapToObj(s -> said(s, "#" + s % 3)).toList());

        store.delete("#0", id(30));
        assertThat(seconds(store.read(HistoryQuery.latest("#0", 2)))).containsExactly(24L, 27L);
        assertThat(store.targets(List.of("#0", "#1", "#none"), 0, 28_000, 10))
                .containsExactly(new TargetActivity("#0", 27_000), new TargetActivity("#1", 25_000));

        assertThat(store.prune(NONE_BELOW, List.of("#1"), 4)).isEqualTo(6);
        assertThat(seconds(store.read(HistoryQuery.latest("#1", 100)))).containsExactly(19L, 22L, 25L, 28L);
        assertThat(store.prune(10_000, List.of(), 100)).isEqualTo(6); // seconds 2..9 of #0 and #2
        assertThat(seconds(store.read(HistoryQuery.latest("#2", 100)))).startsWith(11L);
        store.prune(NONE_ABOVE >> 11, List.of(), 100);
        assertThat(store.read(HistoryQuery.latest("#2", 100))).isEmpty();
        assertThat(store.lastId()).isEqualTo(id(30)); // never goes back
    }

    @Test
    void aRedisThatIsDownFailsTheCallAndTheNextOneAfterItCameBackWorks() throws Exception {
        RedisHistoryStore store = open();
        store.append(List.of(said(1, "#dev")));
        redis.stop();
        assertThatThrownBy(() -> store.append(List.of(said(2, "#dev")))).isInstanceOf(HistoryException.class)
                .hasMessageContaining("history on Redis");
        redis.startAgain();
        store.append(List.of(said(3, "#dev")));
        assertThat(seconds(store.read(HistoryQuery.latest("#dev", 10)))).containsExactly(3L);
    }
}
