package chat.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one gate every target and source address passes: the load generator only ever talks to
 * 127.0.0.0/8, so a typo or a copied command line cannot turn it on a machine elsewhere.
 *
 * <p>A name is resolved and refused unless every address it resolves to is a loopback address;
 * the IPv4 one (in 127.0.0.0/8) is used. Stateless and thread-safe.
 */
public final class LoopbackGuard {

    private LoopbackGuard() {
    }

    /**
     * Resolves {@code host} and returns its address in 127.0.0.0/8.
     *
     * @throws IllegalArgumentException when it does not resolve, or resolves to anything that is
     *     not a loopback address, or to no IPv4 loopback address at all
     */
    public static InetAddress requireLoopback(String host) {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve \"" + host + "\"");
        }
        InetAddress chosen = null;
        for (InetAddress address : all) {
            if (!address.isLoopbackAddress()) {
                throw refused(host, address);
            }
            if (chosen == null && isLoopbackV4(address)) {
                chosen = address;
            }
        }
        if (chosen == null) {
            throw refused(host, all[0]);
        }
        return chosen;
    }

    /** True for an IPv4 address in 127.0.0.0/8. */
    public static boolean isLoopbackV4(InetAddress address) {
        return address instanceof Inet4Address && (address.getAddress()[0] & 0xFF) == 127;
    }

    private static IllegalArgumentException refused(String host, InetAddress address) {
        return new IllegalArgumentException("refusing \"" + host + "\" (" + address.getHostAddress()
                + "): this load generator only targets 127.0.0.0/8");
    }
}
