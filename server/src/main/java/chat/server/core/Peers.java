package chat.server.core;

/**
 * Where the core tells other server nodes what this node's users did, so that every node's core
 * holds the same users and rooms (the cluster package implements it; the core knows no more of
 * the cluster than that). Called on the loop thread after the change was made here and told to
 * this node's users; must not block or throw, and must not call back into the core.
 *
 * <p>Called for every change, whoever made it: changes applied for another node's users through
 * {@link ChatCore#replica()} are reported too, and the implementation, which knows which users
 * are its own, passes on only theirs.
 */
public interface Peers {

    /** A single node: nobody to tell. */
    Peers NONE = new Peers() {
    };

    /** Whether {@code user} is another node's: the core cannot close it, only ask its node to. */
    default boolean isRemote(User user) {
        return false;
    }

    /** {@code by} logged in to the account of the nick {@code holder}, a user of another node, holds: its node closes it. */
    default void ghosted(User by, User holder) {
    }

    /** A user arrived (before joining any room). */
    default void arrived(User user) {
    }

    /** A user took another nick. */
    default void renamed(User user, String oldNick) {
    }

    /** A user went away, or came back (its away message is now null). */
    default void awayChanged(User user) {
    }

    /** A user changed its real name. */
    default void realnameChanged(User user) {
    }

    /** A user logged in to an account, or out (its account is now null). */
    default void accountChanged(User user) {
    }

    /** A user entered a room. */
    default void joined(User user, Room room) {
    }

    /** A user left a room ({@code reason} may be empty). */
    default void parted(User user, Room room, String reason) {
    }

    /** {@code by} put {@code target} out of {@code room}. */
    default void kicked(User by, Room room, User target, String reason) {
    }

    /** A user left the server. */
    default void quit(User user, String reason) {
    }

    /** A message was said in a room (for all its members or for a rank, as its audience says). */
    default void said(ChatEvent.RoomMessage message) {
    }

    /** A private message went to {@code to}, a user of another node. */
    default void sentPrivately(ChatEvent.PrivateMessage message, User to) {
    }

    /** {@code by} set the topic of {@code room}. */
    default void topicChanged(User by, Room room) {
    }

    /** {@code by} changed the modes of {@code room}: {@code applied}, privileges naming their target's nick. */
    default void modesChanged(User by, Room room, java.util.List<ModeChange> applied) {
    }

    /** {@code by}, a server operator, disconnects {@code target}, a user of another node. */
    default void killed(User by, User target, String reason) {
    }
}
