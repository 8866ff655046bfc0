package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessProbeTest {

    @Test
    void readsCpuTicksEvenWhenTheNameHasSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 99 0 0";
        assertEquals(1234 + 567, ProcessProbe.parseStatCpuTicks(stat));
    }

    @Test
    void readsVmRss() {
        assertEquals(51234, ProcessProbe.parseVmRssKiB("Name:\tjava\nVmPeak:\t 99 kB\nVmRSS:\t   51234 kB\nThreads: 3\n"));
        assertEquals(-1, ProcessProbe.parseVmRssKiB("Name:\tkthread\n"));
    }

    @Test
    void readsTheClassHistogramTotal() {
        String histogram = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         12345         987654  [B (java.base@17)
                   2:           100           2400  java.lang.String (java.base@17)
                Total         12445         990054
                """;
        assertEquals(990054, ProcessProbe.parseHistogramTotal(histogram));
        assertEquals(-1, ProcessProbe.parseHistogramTotal("12345: no such process\n"));
    }

    @Test
    void readsMachineBusyTicks() {
        assertEquals(10 + 1 + 5 + 2 + 3 + 4, ProcessProbe.parseMachineBusyTicks("cpu  10 1 5 1000 7 2 3 4 0 0"));
    }

    @Test
    void readsTheRunTimeOfSchedstat() {
        assertEquals(1234567890123L, ProcessProbe.parseSchedstatRunNanos("1234567890123 4567 89\n"));
    }

    @Test
    void findsAThreadByItsNameAndReadsItsCpuTime() throws InterruptedException {
        long pid = ProcessHandle.current().pid();
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread named = new Thread(() -> {
            running.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "probe-test-thread");
        named.start();
        // The JVM gives the kernel the thread's name from the new thread itself, before its body
        // runs: until then /proc shows the parent's name, so wait for the body.
        running.await();
        try {
            long tid = ProcessProbe.threadId(pid, "probe-test-thre"); // the kernel keeps 15 characters
            assertTrue(tid > 0, "thread id " + tid);
            assertTrue(ProcessProbe.threadCpuNanos(pid, tid) >= 0);
            assertEquals(-1, ProcessProbe.threadId(pid, "no-such-thread"));
            assertEquals(-1, ProcessProbe.threadCpuNanos(pid, Long.MAX_VALUE));
        } finally {
            done.countDown();
            named.join();
        }
    }

    @Test
    void measuresItself() {
        assertTrue(ProcessProbe.cpuNanos(ProcessHandle.current().pid()) >= 0);
        assertTrue(ProcessProbe.rssKiB(ProcessHandle.current().pid()) > 0);
        assertTrue(ProcessProbe.ownCpuNanos() > 0);
    }
}
