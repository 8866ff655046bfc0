package chat.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.server.accounts.StoredAccount;
import chat.server.core.MessageKind;
import chat.server.core.RegisteredRoom;
import chat.server.history.StoredMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Accounts, kept messages and registered rooms on a real redis-server started by the test, shared by two stores. */
class RedisAccountStoreTest {

    private RedisServer redis;
    private RedisAccountStore a;
    private RedisAccountStore b;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed");
        redis = RedisServer.start();
        ClusterOptions options = new ClusterOptions(redis.uri(), "n", Duration.ofSeconds(10), 1000);
        a = new RedisAccountStore(options);
        b = new RedisAccountStore(options);
    }

    @AfterEach
    void stop() throws Exception {
        if (a != null) {
            a.close();
            b.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static StoredMessage pm(long id, String text) {
        return new StoredMessage(id, 1000, "alice bob", null, "bob", "bob@h", "alice", MessageKind.TEXT, text, Map.of());
    }

    @Test
    void ofTwoServersRegisteringOneNickTheSecondIsToldItExists() throws Exception {
        assertThat(a.create(new StoredAccount("Alice", "hash-a", 1))).isTrue();
        assertThat(b.create(new StoredAccount("alice", "hash-b", 2))).isFalse();
        assertThat(b.account("alice")).isEqualTo(new StoredAccount("Alice", "hash-a", 1));
        b.save(new StoredAccount("Alice", "hash-new", 1)); // a new password
        assertThat(a.accounts()).containsExactly(new StoredAccount("Alice", "hash-new", 1));
        assertThat(a.account("nobody")).isNull();
    }

    @Test
    void messagesKeptOnOneServerAreReadAndForgottenOnAnother() throws Exception {
        a.create(new StoredAccount("alice", "h", 1));
        a.keep("alice", pm(5, "first"));
        a.keep("alice", pm(7, "second; with \\ and \0"));
        assertThat(b.keptCount("alice")).isEqualTo(2);
        assertThat(b.keptCounts()).containsExactly(Map.entry("alice", 2));
        assertThat(b.kept("alice")).extracting(StoredMessage::text).containsExactly("first", "second; with \\ and \0");
        b.forgetKept("alice", 5);
        assertThat(a.kept("alice")).extracting(StoredMessage::id).containsExactly(7L);
        a.delete("alice");
        assertThat(b.accounts()).isEmpty();
        assertThat(b.keptCount("alice")).isZero();
    }

    @Test
    void aRegisteredRoomComesBackWhole() throws Exception {
        RegisteredRoom room = new RegisteredRoom("#Dev", "alice", 10, List.of("bob", "carol"), "the topic; of \\ all",
                "alice", 20, "imnt", "sekrit", 50, List.of("*!*@10.*"), List.of(), List.of("dave!*@*"));
        RegisteredRoom open = new RegisteredRoom("#open", "bob", 11, List.of(), "", "", 0, "nt", null, 0, List.of(),
                List.of(), List.of());
        a.saveRoom(room);
        a.saveRoom(open);
        assertThat(b.room("dev")).isEqualTo(room);
        assertThat(b.rooms()).containsExactlyInAnyOrder(room, open);
        b.dropRoom("dev");
        assertThat(a.room("dev")).isNull();
    }

    @Test
    void whatCannotBeReadIsSkipped() {
        assertThat(RedisAccountStore.decodeAccount("only\0two")).isNull();
        assertThat(RedisAccountStore.decodeRoom("#r\0a\0x")).isNull();
    }
}
