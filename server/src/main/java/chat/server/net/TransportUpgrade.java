package chat.server.net;

/** Makes the transport a connection speaks over after an upgrade; see {@link Connection#upgrade}. */
@FunctionalInterface
public interface TransportUpgrade {

    /**
     * @param current the transport the connection used so far, which the new one goes over
     * @param queued output still queued for the peer, the upgrade's answer last: to be sent as is, first
     * @param received input read after the upgrade request and not handled: the new protocol's first bytes
     */
    Transport over(Transport current, byte[] queued, byte[] received);
}
