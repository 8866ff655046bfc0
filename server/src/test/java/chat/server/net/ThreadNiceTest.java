package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nice values of single threads, read back from the kernel, and the properties that ask for them. */
class ThreadNiceTest {

    private static final String PROPERTY = "chat.test.nice";

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void aPropertyAsksForOneToNineteenAndForNothingWhenUnset() {
        assertThat(ThreadNice.requested(PROPERTY)).isZero();
        System.setProperty(PROPERTY, " 12 ");
        assertThat(ThreadNice.requested(PROPERTY)).isEqualTo(12);
        for (String bad : List.of("0", "20", "-5", "low")) {
            System.setProperty(PROPERTY, bad);
            assertThatThrownBy(() -> ThreadNice.requested(PROPERTY))
                    .hasMessageContaining(PROPERTY).hasMessageContaining("must be 1-19").hasMessageContaining(bad);
        }
    }

    @Test
    void aThreadLowersItsOwnNiceValueAndTheCallerKeepsIts() throws Exception {
        assumeTrue(EpollNative.isAvailable(), "the JNI library is built on Linux with gcc");
        int me = ThreadNice.currentThreadId();
        int niceBefore = ThreadNice.of(me);
        CompletableFuture<int[]> seen = new CompletableFuture<>();
        new Thread(() -> {
            try {
                int tid = ThreadNice.currentThreadId();
                ThreadNice.set(tid, 11);
                seen.complete(new int[] {tid, ThreadNice.of(tid)});
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        }, "chat-nice-self").start();
        int[] tidAndNice = seen.get(10, TimeUnit.SECONDS);

        assertThat(tidAndNice[0]).as("another thread than the caller").isNotEqualTo(me);
        assertThat(tidAndNice[1]).isEqualTo(11);
        assertThat(ThreadNice.of(me)).isEqualTo(niceBefore);
    }

    @Test
    void aThreadsIdIsTheOneTheKernelFilesItsNameUnder() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"));
        CompletableFuture<String> comm = new CompletableFuture<>();
        new Thread(() -> {
            try {
                comm.complete(java.nio.file.Files.readString(
                        java.nio.file.Path.of("/proc/self/task/" + ThreadNice.currentThreadId() + "/comm")).strip());
            } catch (Exception e) {
                comm.completeExceptionally(e);
            }
        }, "chat-tid-test").start();
        assertThat(comm.get(10, TimeUnit.SECONDS)).isEqualTo("chat-tid-test");
    }
}
