package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The queue against a transport that takes a given number of bytes per write. */
class OutboundQueueTest {

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everythingQueuedArrivesInOrderWhateverTheWriteSizes() throws Exception {
        Random random = new Random(99);
        OutboundQueue queue = new OutboundQueue();
        ScriptedTransport channel = new ScriptedTransport(1);
        StringBuilder expected = new StringBuilder();
        ByteBuffer scratch = ByteBuffer.allocateDirect(64);
        for (int round = 0; round < 500; round++) {
            for (int i = random.nextInt(40); i > 0; i--) {
                String text = "r" + round + "-" + i + "-" + "x".repeat(random.nextInt(100));
                queue.add(line(text));
                expected.append(text).append('\n');
            }
            channel.perWrite = 1 + random.nextInt(300);
            queue.writeTo(channel, scratch, 1 + random.nextInt(1000));
            if (random.nextInt(4) == 0) {
                queue.trimIfQuiet(); // housekeeping may come at any point; it must never drop a line
            }
        }
        channel.perWrite = Integer.MAX_VALUE;
        while (!queue.isEmpty()) {
            queue.writeTo(channel, scratch, Long.MAX_VALUE);
        }
        assertThat(channel.writtenText()).isEqualTo(expected.toString());
        assertThat(queue.pendingBytes()).isZero();
    }

    @Test
    void oneLineAtATimeAndBurstsInTurnKeepTheirOrder() throws Exception {
        // Most connections of a large room hold one line at a time, kept apart from the ring;
        // a burst then queues behind it and must come out after it.
        OutboundQueue queue = new OutboundQueue();
        ScriptedTransport channel = new ScriptedTransport(Integer.MAX_VALUE);
        ByteBuffer scratch = ByteBuffer.allocateDirect(256);
        StringBuilder expected = new StringBuilder();
        for (int round = 0; round < 20; round++) {
            int lines = round % 3 == 0 ? 30 : 1;
            for (int i = 0; i < lines; i++) {
                queue.add(line("r" + round + "-" + i));
                expected.append("r").append(round).append('-').append(i).append('\n');
            }
            if (round % 5 == 0) {
                channel.perWrite = 5; // the oldest line only partly written
                queue.writeTo(channel, scratch, Long.MAX_VALUE);
                channel.perWrite = Integer.MAX_VALUE;
            }
            queue.writeTo(channel, scratch, Long.MAX_VALUE);
            queue.trimIfQuiet();
        }
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.pendingBytes()).isZero();
        assertThat(channel.writtenText()).isEqualTo(expected.toString());
    }

    @Test
    void sharedArraysAreNeverModified() throws Exception {
        byte[] shared = line("shared by many");
        byte[] copy = shared.clone();
        OutboundQueue a = new OutboundQueue();
        OutboundQueue b = new OutboundQueue();
        a.add(shared);
        b.add(shared);
        a.writeTo(new ScriptedTransport(3), ByteBuffer.allocateDirect(16), 100);
        b.writeTo(new ScriptedTransport(100), ByteBuffer.allocateDirect(16), 100);
        assertThat(shared).isEqualTo(copy);
    }

    @Test
    void manyLinesLeaveInOneWriteWhenTheSocketTakesThem() throws Exception {
        OutboundQueue queue = new OutboundQueue();
        for (int i = 0; i < 100; i++) {
            queue.add(line("line " + i));
        }
        ScriptedTransport channel = new ScriptedTransport(Integer.MAX_VALUE);
        queue.writeTo(channel, ByteBuffer.allocateDirect(64 * 1024), Long.MAX_VALUE);
        assertThat(channel.writes).isEqualTo(1);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void theWriteBudgetIsRespected() throws Exception {
        OutboundQueue queue = new OutboundQueue();
        for (int i = 0; i < 100; i++) {
            queue.add(new byte[100]);
        }
        ScriptedTransport channel = new ScriptedTransport(Integer.MAX_VALUE);
        long written = queue.writeTo(channel, ByteBuffer.allocateDirect(64), 1000);
        assertThat(written).isEqualTo(1000);
        assertThat(queue.pendingBytes()).isEqualTo(9000);
    }
}
