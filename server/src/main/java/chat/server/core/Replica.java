package chat.server.core;

import java.util.Map;

/**
 * Applies here what the users of other server nodes did there: their arrivals, nicks, rooms,
 * messages and departures, told to this node's users as if made here. Their own node checked
 * them (nick free, bans, keys, limits, flood), so nothing is checked again: a refusal here would
 * only make the nodes disagree. The cluster package calls it on the loop thread with the users
 * it made through {@link #arrive}; it never reaches another node again ({@link Peers} passes on
 * only its own node's users).
 */
public final class Replica {

    private final ChatCore core;

    Replica(ChatCore core) {
        this.core = core;
    }

    /**
     * A user of another node, under the nick its node gave it, which must be free here: a user of
     * this node holding it is renamed by the caller first.
     */
    public User arrive(Recipient recipient, String nick, Identity identity, String account) {
        return core.arriveUnchecked(recipient, nick, identity, account);
    }

    /** The user now has {@code nick}, which must be free here or its own. */
    public void rename(User user, String nick) {
        core.renameUnchecked(user, nick);
    }

    /** The user went away with {@code message}, or came back (null). */
    public void away(User user, String message) {
        core.setAway(user, message);
    }

    public void realname(User user, String realname) {
        if (!user.identity().realname().equals(realname)) {
            core.setRealname(user, realname);
        }
    }

    /** The user logged in to {@code account}, or out (null). */
    public void account(User user, String account) {
        if (!java.util.Objects.equals(user.account(), account)) {
            core.changeAccount(user, account);
        }
    }

    public void join(User user, String room) {
        core.joinUnchecked(user, room);
    }

    public void part(User user, String room, String reason) {
        core.partUnchecked(user, room, reason);
    }

    public void kick(User by, String room, User target, String reason) {
        core.kickUnchecked(by, room, target, reason);
    }

    public void quit(User user, String reason) {
        core.disconnect(user, reason);
    }

    /** A room message with the id and time its node gave it; null when nobody here is in the room. */
    public ChatEvent.RoomMessage say(User from, String room, String text, MessageKind kind, Map<String, String> tags,
            Audience audience, long id, long time, Multiline lines) {
        return core.sayUnchecked(from, room, text, kind, tags, audience, id, time, lines);
    }

    /** A private message to {@code to}, a user of this node. */
    public ChatEvent.PrivateMessage sendPrivate(User from, User to, String text, MessageKind kind,
            Map<String, String> tags, long id, long time, Multiline lines) {
        return core.sendPrivateUnchecked(from, to, text, kind, tags, id, time, lines);
    }

    public void topic(User by, String room, String topic) {
        core.topicUnchecked(by, room, topic);
    }

    /** Mode changes made on another node; privileges name their target by its nick here. */
    public void modes(User by, String room, java.util.List<ModeChange> changes) {
        core.modesUnchecked(by, room, changes);
    }

    /** A room's state as another node holds it, set silently; nothing when nobody here is in it. */
    public void roomState(String room, String flags, String key, int limit, String topic, String topicBy, long topicAt,
            Map<Character, java.util.List<String>> masks) {
        core.roomStateUnchecked(room, flags, key, limit, topic, topicBy, topicAt, masks);
    }

    /** A member's privileges as its node holds them, set silently. */
    public void privileges(User user, String room, boolean operator, boolean voice) {
        core.privilegesUnchecked(user, room, operator, voice);
    }

    /** {@code by}, of another node, logged in to the account whose nick {@code holder}, of this one, holds: put out. */
    public void ghost(User by, User holder) {
        holder.recipient().deliver(new ChatEvent.Ghosted(by));
        core.disconnect(holder, ChatEvent.Ghosted.QUIT_REASON);
    }

    /** A server operator of another node disconnects {@code target}, a user of this one: its dialect closes it. */
    public void kill(User by, User target, String reason) {
        target.recipient().deliver(new ChatEvent.Killed(by, reason));
    }
}
