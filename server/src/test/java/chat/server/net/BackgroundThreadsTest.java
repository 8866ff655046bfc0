package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Background threads lowering themselves as they start, on real threads of this JVM. */
class BackgroundThreadsTest {

    @AfterEach
    void clear() {
        System.clearProperty(BackgroundThreads.NICE_PROPERTY);
    }

    /** What a thread made by {@code factory} sees of itself while it runs: name, nice value, daemon. */
    private static String[] seenInside(ThreadFactory factory) throws Exception {
        CompletableFuture<String[]> seen = new CompletableFuture<>();
        Thread thread = factory.newThread(() -> {
            try {
                seen.complete(new String[] {Thread.currentThread().getName(),
                        Integer.toString(ThreadNice.of(ThreadNice.currentThreadId())),
                        Boolean.toString(Thread.currentThread().isDaemon())});
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        thread.start();
        return seen.get(10, TimeUnit.SECONDS);
    }

    @Test
    void asAskedEachThreadRunsItsTaskAtTheNiceValueAndIsADaemon() throws Exception {
        assumeTrue(EpollNative.isAvailable(), "the JNI library is built on Linux with gcc");
        System.setProperty(BackgroundThreads.NICE_PROPERTY, "13");

        assertThat(seenInside(BackgroundThreads.named("chat-bg-test"))).containsExactly("chat-bg-test", "13", "true");
        ThreadFactory numbered = BackgroundThreads.numbered("chat-bg");
        assertThat(seenInside(numbered)).containsExactly("chat-bg-1", "13", "true");
        assertThat(seenInside(numbered)).containsExactly("chat-bg-2", "13", "true");
        assertThat(BackgroundThreads.describeRequested()).endsWith("at nice 13");
    }

    @Test
    void unaskedTheThreadKeepsTheNiceValueOfTheThreadThatStartedIt() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"));
        int mine = ThreadNice.of(ThreadNice.currentThreadId());

        assertThat(seenInside(BackgroundThreads.named("chat-bg-plain"))[1]).isEqualTo(Integer.toString(mine));
        assertThat(BackgroundThreads.describeRequested()).isNull();
    }

    @Test
    void aValueOutsideOneToNineteenIsSaidAtStartAndChangesNoThread() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"));
        System.setProperty(BackgroundThreads.NICE_PROPERTY, "25");
        int mine = ThreadNice.of(ThreadNice.currentThreadId());

        assertThat(BackgroundThreads.describeRequested()).contains("must be 1-19").contains("'25'")
                .contains("keep the loop's priority");
        assertThat(seenInside(BackgroundThreads.named("chat-bg-bad"))[1]).isEqualTo(Integer.toString(mine));
    }
}
