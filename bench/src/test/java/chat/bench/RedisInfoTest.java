package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedisInfoTest {

    @Test
    void usedMemoryIsReadFromItsOwnLineNotFromTheLinesThatStartAlike() {
        String info = "# Memory\r\nused_memory_human:1.02M\r\nused_memory:1069968\r\nused_memory_rss:8413184\r\n";

        assertEquals(1_069_968, RedisInfo.parseUsedMemory(info));
    }

    @Test
    void aReplyWithoutItGivesMinusOne() {
        assertEquals(-1, RedisInfo.parseUsedMemory("# Memory\r\nused_memory_rss:8413184\r\n"));
    }
}
