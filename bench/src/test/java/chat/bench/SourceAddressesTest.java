package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** Sockets bound in turn over addresses and ports of the ephemeral range, skipping taken ones. */
class SourceAddressesTest {

    @Test
    void socketsTakeTheAddressesInTurnAndEachAddressItsPortsInTurn() throws Exception {
        SourceAddresses two = new SourceAddresses(2);
        try (SocketChannel a = SocketChannel.open(); SocketChannel b = SocketChannel.open();
             SocketChannel c = SocketChannel.open()) {
            InetSocketAddress first = two.bind(a);
            InetSocketAddress second = two.bind(b);
            InetSocketAddress third = two.bind(c);

            assertEquals("127.0.0.1", first.getAddress().getHostAddress());
            assertEquals("127.0.0.2", second.getAddress().getHostAddress());
            assertEquals("127.0.0.1", third.getAddress().getHostAddress());
            assertEquals(first, a.getLocalAddress());
            org.junit.jupiter.api.Assertions.assertTrue(third.getPort() > first.getPort(),
                    "a later port of 127.0.0.1's turn: " + first + ", then " + third);
        }
    }

    @Test
    void aPortAnotherSocketListensOnIsSkipped() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ServerSocket holder = new ServerSocket();
        try {
            holder.bind(new InetSocketAddress(loopback, SourceAddresses.FIRST_PORT));
        } catch (java.io.IOException inUse) {
            holder.close();
            assumeTrue(false, "port " + SourceAddresses.FIRST_PORT + " is in use here");
        }
        try (holder; SocketChannel channel = SocketChannel.open()) {
            InetSocketAddress bound = new SourceAddresses(3).bind(channel);

            assertEquals(loopback, bound.getAddress());
            assertEquals(SourceAddresses.FIRST_PORT + 1, bound.getPort());
        }
    }

    @Test
    void withOneAddressTheKernelChooses() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            assertNull(new SourceAddresses(1).bind(channel));
            assertNull(channel.getLocalAddress());
        }
    }
}
