package chat.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void idsGrowWithTheClockAndRunAheadOfItWhenNeeded() {
        MessageIds ids = new MessageIds();
        long first = ids.next(1000);
        assertThat(first).isEqualTo(1000L << 10);
        assertThat(ids.next(1000)).isEqualTo(first + 1);
        assertThat(ids.next(999)).isEqualTo(first + 2); // a clock stepped back: still growing
        assertThat(ids.next(2000)).isEqualTo(2000L << 10);
        assertThat(ids.issued()).isEqualTo(4);
    }

    @Test
    void withAResidueEveryIdHasItAndIdsStillGrow() {
        MessageIds a = new MessageIds();
        MessageIds b = new MessageIds();
        a.residue(64, 3);
        b.residue(64, 4);
        long lastA = 0;
        long lastB = 0;
        for (int i = 0; i < 5000; i++) { // far past a millisecond's 16 ids: running ahead of the clock
            long idA = a.next(1000 + i / 100);
            long idB = b.next(1000 + i / 100);
            assertThat(Math.floorMod(idA, 64)).isEqualTo(3);
            assertThat(Math.floorMod(idB, 64)).isEqualTo(4);
            assertThat(idA).isGreaterThan(lastA);
            assertThat(idB).isGreaterThan(lastB);
            lastA = idA;
            lastB = idB;
        }
        a.continueAfter(lastA + 1000);
        assertThat(a.next(0)).isGreaterThan(lastA + 1000).satisfies(id -> assertThat(Math.floorMod(id, 64)).isEqualTo(3));
    }

    @Test
    void aResidueMustFitItsStride() {
        MessageIds ids = new MessageIds();
        assertThatThrownBy(() -> ids.residue(64, 64)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ids.residue(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ids.residue(2048, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
