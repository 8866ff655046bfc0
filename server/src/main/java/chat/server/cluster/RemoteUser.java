package chat.server.cluster;

import chat.server.core.ChatEvent;
import chat.server.core.Recipient;

/**
 * Where the core sends what a user of another node should see: nowhere. Its own node applies
 * the same changes to the same rooms and tells it there; what only this node knows of (a private
 * message from one of its users) the node publishes through {@link chat.server.core.Peers}.
 */
final class RemoteUser implements Recipient {

    /**
     * The user's cluster id ({@link ClusterIds}); its incarnation part changes when its node
     * registers again (after Redis lost it), its number part never.
     */
    String uid;

    RemoteUser(String uid) {
        this.uid = uid;
    }

    @Override
    public void deliver(ChatEvent event) {
    }
}
