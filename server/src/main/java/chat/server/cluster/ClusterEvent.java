package chat.server.cluster;

import chat.server.core.Audience;
import chat.server.core.MessageKind;
import chat.server.core.Multiline;
import java.util.List;
import java.util.Map;

/**
 * What one node tells the others through Redis: what its users did, and the nodes' own comings
 * and goings. Users are named by their cluster id ({@link ClusterIds}), which never changes while
 * the user is connected, rather than by nick, which does.
 */
sealed interface ClusterEvent {

    /**
     * A user as it is now: when it arrives (no rooms yet), and for each user in a node's
     * {@link DumpBegin dump}, its rooms each with its privileges there before the name
     * ({@code @#ops}, {@code +#voiced}, {@code @+#both}). {@code nick} is the nick Redis granted it: {@code asked}, or a
     * guest nick when another node's user claimed {@code asked} first. {@code account} is empty
     * for none.
     */
    record UserState(String uid, String nick, String asked, String username, String realname, String host,
            String account, List<String> rooms, String away) implements ClusterEvent {
    }

    /** The user went away with {@code message}, or came back (empty). */
    record AwaySet(String uid, String message) implements ClusterEvent {
    }

    record RealnameSet(String uid, String realname) implements ClusterEvent {
    }

    /** The user now has {@code nick}: {@code asked}, or a guest nick as in {@link UserState}. */
    record Renamed(String uid, String nick, String asked) implements ClusterEvent {
    }

    /** The user logged in to {@code account}, or out (empty). */
    record AccountSet(String uid, String account) implements ClusterEvent {
    }

    record Joined(String uid, String room) implements ClusterEvent {
    }

    record Parted(String uid, String room, String reason) implements ClusterEvent {
    }

    record Kicked(String byUid, String room, String targetUid, String reason) implements ClusterEvent {
    }

    record Quit(String uid, String reason) implements ClusterEvent {
    }

    /** A room message, with the id and time its node gave it. */
    record Said(String uid, String room, String text, MessageKind kind, Audience audience, long id, long time,
            Map<String, String> tags, Multiline lines) implements ClusterEvent {
    }

    /** A private message to a user of another node. */
    record Direct(String fromUid, String toUid, String text, MessageKind kind, long id, long time,
            Map<String, String> tags, Multiline lines) implements ClusterEvent {
    }

    record TopicSet(String uid, String room, String topic) implements ClusterEvent {
    }

    /**
     * Mode changes as applied on the node of {@code uid}; a privilege's parameter is its
     * target's uid, not its nick, which may change before the event is applied.
     */
    record ModesSet(String uid, String room, List<chat.server.core.ModeChange> changes) implements ClusterEvent {
    }

    /** A room as a node holds it, in a dump: flags, key (empty for none), limit, topic, masks by list letter. */
    record RoomState(String room, String flags, String key, int limit, String topic, String topicBy, long topicAt,
            Map<Character, List<String>> masks) implements ClusterEvent {
    }

    /** {@code byUid} logged in to the account whose nick {@code holderUid} holds: its node puts it out. */
    record Ghost(String byUid, String holderUid) implements ClusterEvent {
    }

    /** A server operator, {@code byUid}, disconnects {@code targetUid}. */
    record Killed(String byUid, String targetUid, String reason) implements ClusterEvent {
    }

    /** Account {@code key} changed in the shared store (by {@code incarnation}'s node): read it again. */
    record AccountChanged(long incarnation, String key) implements ClusterEvent {
    }

    /** Registered room {@code key} changed in the shared store: read it again. */
    record RegisteredRoomChanged(long incarnation, String key) implements ClusterEvent {
    }

    /** A node (re)joined the cluster under a new incarnation: every node sends it a dump. */
    record Hello(long incarnation, String node) implements ClusterEvent {
    }

    /** The users of incarnation {@code incarnation} follow, all of them, then {@link DumpEnd}. */
    record DumpBegin(long incarnation, String node) implements ClusterEvent {
    }

    /** The end of a dump: users of that incarnation it did not name are gone. */
    record DumpEnd(long incarnation) implements ClusterEvent {
    }

    /** A node left, or missed its heartbeat for the node timeout: its users are gone. */
    record Gone(long incarnation, String node) implements ClusterEvent {
    }
}
