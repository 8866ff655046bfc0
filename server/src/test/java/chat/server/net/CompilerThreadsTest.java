package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Finding threads by their Linux name and lowering their priority, on real threads of this JVM. */
class CompilerThreadsTest {

    private final CountDownLatch finish = new CountDownLatch(1);

    @AfterEach
    void endThreads() {
        finish.countDown();
        System.clearProperty(CompilerThreads.NICE_PROPERTY);
    }

    @Test
    void aThreadFoundByItsNameGetsTheNiceValueAndNoOtherThreadDoes() throws Exception {
        assumeTrue(EpollNative.isAvailable(), "the JNI library is built on Linux with gcc");
        int waiting = startWaitingThread("chat-nice-test");
        int other = startWaitingThread("chat-other-test");
        int otherBefore = ThreadNice.of(other);

        List<Integer> lowered = CompilerThreads.lower("chat-nice-test", 7);

        assertThat(lowered).containsExactly(waiting);
        assertThat(ThreadNice.of(waiting)).isEqualTo(7);
        assertThat(ThreadNice.of(other)).isEqualTo(otherBefore);
    }

    @Test
    void theJvmsOptimizingCompilerThreadsAreFoundByTheirName() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"));
        assertThat(CompilerThreads.threadsNamed(CompilerThreads.C2_NAME_PREFIX))
                .as("HotSpot runs the tests with C2 and names its threads so").isNotEmpty();
    }

    @Test
    void withoutThePropertyNothingIsDone() {
        assertThat(CompilerThreads.applyRequested()).isNull();
    }

    @Test
    void aValueOutsideOneToNineteenIsRefusedAndSaidSo() {
        for (String bad : List.of("0", "20", "-5", "low")) {
            System.setProperty(CompilerThreads.NICE_PROPERTY, bad);
            CompilerThreads.Outcome outcome = CompilerThreads.applyRequested();
            assertThat(outcome.lowered()).isFalse();
            assertThat(outcome.description()).contains("must be 1-19").contains(bad);
        }
    }

    /** Starts a thread that waits until the test ends, and returns its Linux thread id. */
    private int startWaitingThread(String name) throws Exception {
        Thread thread = new Thread(() -> {
            try {
                finish.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        // HotSpot gives the Linux thread its Java name once it runs.
        int[] tid = new int[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            List<Integer> found = CompilerThreads.threadsNamed(name);
            if (found.size() == 1) {
                tid[0] = found.get(0);
            }
            return found.size() == 1;
        });
        return tid[0];
    }
}
