package chat.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Local addresses to bind outgoing connections to, round-robin over 127.0.0.1 to 127.0.0.N.
 *
 * <p>One source address has one ephemeral port range (about 28,000 ports by default on Linux),
 * so one address cannot open more connections to one server port than that; spreading sockets
 * across several addresses of 127.0.0.0/8 (all of which the loopback interface answers) lifts the
 * limit. It also keeps the generator from measuring itself: {@code connect} looks for a free port
 * from a random point of the range, even ports first, so once about half the range of an address
 * is taken, every connect walks thousands of taken ports. 18,000 connections from one address
 * kept the generator's core at 100 % system time for 4-5 s of the second 9,000, both servers
 * waiting; from four, that step took 0.8-0.9 s. With one address nothing is bound and the kernel
 * chooses, as usual.
 *
 * <p>Not thread-safe: used by the generator's one loop thread.
 */
public final class SourceAddresses {

    /**
     * Connections planned per source address: a sixth of one default port range, so that a
     * connect finds a free port at once (see above).
     */
    public static final int CONNECTIONS_PER_ADDRESS = 5_000;
    /** 127.0.0.1 to 127.0.0.254. */
    public static final int MAX_ADDRESSES = 254;

    private final InetSocketAddress[] addresses;
    private int next;

    /** @param count how many addresses, 1 to {@value #MAX_ADDRESSES} */
    public SourceAddresses(int count) {
        if (count < 1 || count > MAX_ADDRESSES) {
            throw new IllegalArgumentException("source addresses must be 1-" + MAX_ADDRESSES + ", not " + count);
        }
        addresses = new InetSocketAddress[count];
        for (int i = 0; i < count; i++) {
            try {
                InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (i + 1)});
                addresses[i] = new InetSocketAddress(address, 0);
            } catch (UnknownHostException e) {
                throw new AssertionError("a literal address cannot be unknown", e);
            }
        }
    }

    /** As many addresses as {@code connections} need, when {@code requested} is 0 (auto). */
    public static int countFor(int connections, int requested) {
        if (requested > 0) {
            return requested;
        }
        int needed = (connections + CONNECTIONS_PER_ADDRESS - 1) / CONNECTIONS_PER_ADDRESS;
        return Math.max(1, Math.min(MAX_ADDRESSES, needed));
    }

    public int size() {
        return addresses.length;
    }

    /** The address for the next socket to bind to, or null when the kernel should choose. */
    public InetSocketAddress next() {
        if (addresses.length == 1) {
            return null;
        }
        InetSocketAddress address = addresses[next];
        next = (next + 1) % addresses.length;
        return address;
    }
}
