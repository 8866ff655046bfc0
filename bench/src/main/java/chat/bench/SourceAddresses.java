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
 * <p>With several, each socket is bound to a port of its own choosing, in turn through the
 * ephemeral range, with {@code SO_REUSEADDR}: a {@code bind} to port 0 looks for a port no socket
 * holds, and the tens of thousands of TIME_WAIT sockets a previous run leaves hold them for a
 * minute, so the search grew long again (entering took 4-11 s instead of 1 s in the run after
 * another). TIME_WAIT sockets do not stand in the way of a {@code SO_REUSEADDR} bind, and a
 * port taken by another process is skipped.
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

    /** The ports handed out, in turn: Linux's default ephemeral range. */
    static final int FIRST_PORT = 32_768;
    static final int LAST_PORT = 60_999;
    /** Ports tried for one socket before letting the kernel choose. */
    private static final int BIND_ATTEMPTS = 64;

    private final InetSocketAddress[] addresses;
    /** The next port to try, per address. */
    private final int[] nextPort;
    private int next;

    /** @param count how many addresses, 1 to {@value #MAX_ADDRESSES} */
    public SourceAddresses(int count) {
        if (count < 1 || count > MAX_ADDRESSES) {
            throw new IllegalArgumentException("source addresses must be 1-" + MAX_ADDRESSES + ", not " + count);
        }
        addresses = new InetSocketAddress[count];
        nextPort = new int[count];
        java.util.Arrays.fill(nextPort, FIRST_PORT);
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

    /**
     * Binds {@code channel} to the next address and a port of its turn (see above); with one
     * address, leaves it to the kernel. Returns the address bound to, or null.
     */
    public InetSocketAddress bind(java.nio.channels.SocketChannel channel) throws java.io.IOException {
        if (addresses.length == 1) {
            return null;
        }
        int which = next;
        InetSocketAddress address = next();
        channel.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int port = nextPort[which];
            nextPort[which] = port == LAST_PORT ? FIRST_PORT : port + 1;
            InetSocketAddress local = new InetSocketAddress(address.getAddress(), port);
            try {
                channel.bind(local);
                return local;
            } catch (java.net.BindException taken) {
                // another process holds it: the next one
            }
        }
        channel.bind(address);
        return address;
    }
}
