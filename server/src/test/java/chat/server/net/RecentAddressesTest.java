package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RecentAddressesTest {

    private static InetAddress address(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    @Test
    void anAddressIsRememberedForItsTimeThenForgotten() throws Exception {
        RecentAddresses recent = new RecentAddresses(10, 1_000);
        recent.note(address(1), 0);
        assertThat(recent.contains(address(1), 1_000)).isTrue();
        assertThat(recent.contains(address(2), 1_000)).isFalse();
        assertThat(recent.contains(address(1), 1_001)).isFalse();
        assertThat(recent.size()).as("an expired address is dropped when asked").isZero();
    }

    @Test
    void seeingAnAddressAgainStartsItsTimeAnew() throws Exception {
        RecentAddresses recent = new RecentAddresses(10, 1_000);
        recent.note(address(1), 0);
        recent.note(address(1), 900);
        assertThat(recent.contains(address(1), 1_800)).isTrue();
    }

    @Test
    void pastItsCapacityTheLeastRecentlySeenGoFirst() throws Exception {
        RecentAddresses recent = new RecentAddresses(2, 1_000);
        recent.note(address(1), 0);
        recent.note(address(2), 1);
        recent.note(address(1), 2); // seen again: now the newest
        recent.note(address(3), 3);
        assertThat(recent.size()).isEqualTo(2);
        assertThat(recent.contains(address(2), 4)).isFalse();
        assertThat(recent.contains(address(1), 4)).isTrue();
        assertThat(recent.contains(address(3), 4)).isTrue();
    }
}
