package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PacingScheduleTest {

    @Test
    void spacesMessagesEvenly() {
        PacingSchedule schedule = new PacingSchedule(1_000, 1_000, 10);
        assertEquals(1_000, schedule.dueNanos(0));
        assertEquals(1_000 + 1_000_000, schedule.dueNanos(1));
        assertEquals(1_000 + 999_000_000, schedule.dueNanos(999));
        assertEquals(1_000 + 1_000_000_000, schedule.dueNanos(1_000));
    }

    @Test
    void neverDriftsWhenTheIntervalIsNotWhole() {
        // 3 per second: 333,333,333.33 ns apart; adding the rounded interval would lose 1 ns per message.
        PacingSchedule schedule = new PacingSchedule(0, 3, 1);
        assertEquals(333_333_333, schedule.dueNanos(1));
        assertEquals(666_666_666, schedule.dueNanos(2));
        assertEquals(1_000_000_000, schedule.dueNanos(3));
        assertEquals(3_600L * 1_000_000_000L, schedule.dueNanos(3 * 3_600));
    }

    @Test
    void dueCountAgreesWithDueNanos() {
        for (long rate : new long[] {1, 3, 7, 1_000, 100_000, 999_999_937L}) {
            PacingSchedule schedule = new PacingSchedule(-500, rate, 4);
            for (long k : new long[] {0, 1, 2, 5, 999, 123_456, 3_000_000_000L}) { // past 2^31, inside 95 years
                long due = schedule.dueNanos(k);
                assertEquals(k + 1, schedule.dueCount(due), "rate " + rate + ", message " + k + " is due at its time");
                assertEquals(k, schedule.dueCount(due - 1), "rate " + rate + ", message " + k + " is not due before");
            }
        }
        assertEquals(0, new PacingSchedule(100, 10, 1).dueCount(99));
    }

    @Test
    void goesRoundRobinOverSenders() {
        PacingSchedule schedule = new PacingSchedule(0, 1_000, 3);
        int[] counts = new int[3];
        for (long k = 0; k < 300; k++) {
            counts[schedule.senderOf(k)]++;
        }
        assertEquals(100, counts[0]);
        assertEquals(100, counts[1]);
        assertEquals(100, counts[2]);
        assertEquals(1, schedule.senderOf(4));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new PacingSchedule(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PacingSchedule(0, 10, 0));
    }
}
