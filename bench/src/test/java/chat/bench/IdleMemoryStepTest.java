package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.bench.IdleCommand.Memory;
import chat.bench.IdleCommand.MemoryStep;
import org.junit.jupiter.api.Test;

class IdleMemoryStepTest {

    @Test
    void perConnectionFiguresAreTheDifferenceOverTheConnectionsAdded() {
        MemoryStep step = MemoryStep.between(new Memory(1_000, 50_000, 3_000_000), new Memory(3_000, 52_000, 5_400_000));

        assertEquals(2_000, step.added());
        assertEquals(1024.0, step.rssPerConnection()); // 2,000 KiB over 2,000 connections
        assertEquals(1200.0, step.livePerConnection());
        String text = step.toString();
        assertTrue(text.contains("1000 -> 3000 connections"), text);
        assertTrue(text.contains("1024 bytes (1.00 KiB) per connection"), text);
        assertTrue(text.contains("1200 bytes per connection"), text);
    }

    @Test
    void aServerWithoutALiveFigureHasNone() {
        MemoryStep step = MemoryStep.between(new Memory(0, 10_000, -1), new Memory(500, 9_000, -1));

        assertEquals(-2048.0, step.rssPerConnection()); // a resident set can shrink
        assertEquals(-1, step.livePerConnection());
        assertFalse(step.toString().contains("live"), step.toString());
    }

    @Test
    void aStepMustAddConnections() {
        assertThrows(IllegalArgumentException.class, () -> MemoryStep.between(new Memory(10, 1, 1), new Memory(10, 2, 2)));
    }
}
