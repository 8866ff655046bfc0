package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Literal addresses only: resolving them needs no name service. */
class LoopbackGuardTest {

    @Test
    void acceptsTheWholeLoopbackRange() {
        assertEquals("127.0.0.1", LoopbackGuard.requireLoopback("127.0.0.1").getHostAddress());
        assertEquals("127.1.2.3", LoopbackGuard.requireLoopback("127.1.2.3").getHostAddress());
        assertEquals("127.255.255.254", LoopbackGuard.requireLoopback("127.255.255.254").getHostAddress());
    }

    @Test
    void refusesEverythingElse() {
        for (String host : new String[] {"10.0.0.1", "192.168.1.1", "172.16.0.1", "8.8.8.8", "0.0.0.0",
                "128.0.0.1", "126.255.255.255", "::1", "::ffff:10.0.0.1", "2001:db8::1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoopbackGuard.requireLoopback(host), host);
            assertEquals(true, e.getMessage().contains("127.0.0.0/8") || e.getMessage().contains("cannot resolve"), e.getMessage());
        }
    }

    @Test
    void theLoopRefusesAnyOtherTargetToo() {
        InetSocketAddress elsewhere = new InetSocketAddress("10.1.2.3", 7788);
        assertThrows(IllegalArgumentException.class,
                () -> new LoadLoop(elsewhere, new SourceAddresses(1), 1, (c, b, s, e, n) -> { }));
    }

    @Test
    void sourceAddressesStayInTheRangeAndGoRoundRobin() {
        SourceAddresses one = new SourceAddresses(1);
        assertEquals(null, one.next(), "a single address is left to the kernel");
        SourceAddresses three = new SourceAddresses(3);
        assertEquals("127.0.0.1", three.next().getAddress().getHostAddress());
        assertEquals("127.0.0.2", three.next().getAddress().getHostAddress());
        assertEquals("127.0.0.3", three.next().getAddress().getHostAddress());
        assertEquals("127.0.0.1", three.next().getAddress().getHostAddress());
        assertEquals(11, SourceAddresses.countFor(50_001, 0));
        assertEquals(4, SourceAddresses.countFor(18_000, 0));
        assertEquals(1, SourceAddresses.countFor(1_010, 0));
        assertEquals(7, SourceAddresses.countFor(10, 7));
        assertThrows(IllegalArgumentException.class, () -> new SourceAddresses(255));
    }
}
