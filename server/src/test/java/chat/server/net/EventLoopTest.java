package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's promises: timers by deadline, cancel at once, a task the loop gives itself waits for
 * the next iteration, other threads reach it through {@link EventLoop#execute}, a
 * RuntimeException is survived and an Error stops it. Step-by-step tests drive
 * {@link EventLoop#runIteration} on the test thread with a hand-moved clock; the others run the
 * loop on a thread of its own and wait on latches, never on the clock.
 */
class EventLoopTest {

    private long nanos = TimeUnit.SECONDS.toNanos(50);
    private final EventLoop loop = new EventLoop(() -> nanos, PollerKind.NIO);
    private final List<String> ran = new ArrayList<>();
    private Thread loopThread;

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        if (loopThread != null) {
            loop.stop();
            assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private void advanceMillis(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
        loop.runIteration(false);
    }

    private Runnable record(String name) {
        return () -> ran.add(name);
    }

    private void runOnItsOwnThread() {
        loopThread = new Thread(loop::run, "event-loop-test");
        loopThread.start();
    }

    @Test
    void timersRunWhenDueByDeadlineThenInTheOrderScheduled() {
        loop.schedule(20, record("20"));
        loop.schedule(10, record("10 first"));
        loop.schedule(10, record("10 second"));
        loop.schedule(0, record("0"));
        loop.runIteration(false);
        assertThat(ran).containsExactly("0");
        advanceMillis(9);
        assertThat(ran).containsExactly("0");
        advanceMillis(1);
        assertThat(ran).containsExactly("0", "10 first", "10 second");
        advanceMillis(10);
        assertThat(ran).containsExactly("0", "10 first", "10 second", "20");
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void aStormOfDueTimersRunsAShareEachIterationWithTheSocketsPolledBetween() throws IOException {
        int share = EventLoop.MAX_TIMERS_PER_ITERATION;
        for (int i = 0; i < share + 10; i++) {
            loop.schedule(10, record("timer"));
        }
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            pipe.source().register(((NioPoller) loop.poller()).selector(), SelectionKey.OP_READ,
                    (EventLoop.ReadyHandler) readyOps -> {
                        try {
                            pipe.source().read(ByteBuffer.allocate(16));
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                        ran.add("socket");
                    });
            nanos += TimeUnit.MILLISECONDS.toNanos(10);
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            loop.runIteration(false);
            assertThat(ran).hasSize(share + 1).startsWith("socket");
            assertThat(loop.pendingTimers()).isEqualTo(10);

            pipe.sink().write(ByteBuffer.wrap(new byte[] {2}));
            loop.runIteration(true); // timers are due: it polls without waiting for one
            assertThat(ran).hasSize(share + 12);
            assertThat(ran.get(share + 1)).isEqualTo("socket");
            assertThat(ran.subList(share + 2, share + 12)).containsOnly("timer");
            assertThat(loop.pendingTimers()).isZero();
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void aCancelledTimerLeavesAtOnceAndNeverRuns() {
        EventLoop.Timer head = loop.schedule(10, record("head"));
        EventLoop.Timer middle = loop.schedule(20, record("middle"));
        loop.schedule(30, record("kept"));
        EventLoop.Timer last = loop.schedule(40, record("last"));
        assertThat(loop.pendingTimers()).isEqualTo(4);
        middle.cancel();
        assertThat(loop.pendingTimers()).isEqualTo(3);
        head.cancel();
        last.cancel();
        last.cancel();
        assertThat(loop.pendingTimers()).isEqualTo(1);
        advanceMillis(100);
        assertThat(ran).containsExactly("kept");
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void aTimerCancelledFromAnEarlierTimerOfTheSameIterationDoesNotRun() {
        EventLoop.Timer[] second = new EventLoop.Timer[1];
        loop.schedule(10, () -> second[0].cancel());
        second[0] = loop.schedule(10, record("second"));
        advanceMillis(10);
        assertThat(ran).isEmpty();
    }

    @Test
    void aCancelledTimerKeepsNothingOfItsTaskAlive() {
        EventLoop.Timer timer = scheduleWatched(60_000);
        timer.cancel();
        // The test still holds the timer itself, as a closed connection's field might.
        awaitCollected(watched);
        assertThat(timer.isDone()).isTrue();
        assertThat(ran).isEmpty();
    }

    @Test
    void aTimerThatRanKeepsNothingOfItsTaskAlive() {
        EventLoop.Timer timer = scheduleWatched(1);
        advanceMillis(1);
        awaitCollected(watched);
        assertThat(timer.isDone()).isTrue();
        assertThat(ran).containsExactly("watched");
    }

    /** The task of the last {@link #scheduleWatched} call, held weakly. */
    private WeakReference<Runnable> watched;

    /** Schedules a task that only the loop holds strongly. */
    private EventLoop.Timer scheduleWatched(long delayMillis) {
        Runnable task = new Runnable() {
            @Override
            public void run() {
                ran.add("watched");
            }
        };
        watched = new WeakReference<>(task);
        return loop.schedule(delayMillis, task);
    }

    private static void awaitCollected(WeakReference<?> reference) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return reference.get() == null;
        });
    }

    @Test
    void aTaskTheLoopGivesItselfRunsInTheNextIteration() {
        loop.runIteration(false); // the test thread is now the loop thread
        loop.execute(() -> {
            ran.add("first");
            loop.execute(record("from a task"));
        });
        loop.runIteration(false);
        assertThat(ran).containsExactly("first");
        loop.runIteration(false);
        assertThat(ran).containsExactly("first", "from a task");
    }

    @Test
    void aTaskGivenByATimerOrAnIterationEndHookRunsInTheNextIteration() {
        boolean[] hookArmed = {false};
        loop.addIterationEndHook(() -> {
            if (hookArmed[0]) {
                hookArmed[0] = false;
                loop.execute(record("from the hook"));
            }
        });
        loop.schedule(0, () -> loop.execute(record("from a timer")));
        hookArmed[0] = true;
        loop.runIteration(false);
        assertThat(ran).isEmpty();
        loop.runIteration(false);
        assertThat(ran).containsExactlyInAnyOrder("from a timer", "from the hook");
    }

    /**
     * What fairness relies on: a connection that has had its share defers the rest from its key
     * handler; that must wait for the next iteration, with the end-of-iteration flush between.
     */
    @Test
    void aTaskGivenByAReadyKeyRunsInTheNextIterationAfterThisOnesFlush() throws IOException {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            loop.addIterationEndHook(record("flush"));
            pipe.source().register(((NioPoller) loop.poller()).selector(), SelectionKey.OP_READ, (EventLoop.ReadyHandler) readyOps -> {
                try {
                    pipe.source().read(ByteBuffer.allocate(16));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                ran.add("key");
                loop.execute(record("deferred by the key"));
            });
            loop.runIteration(false); // the test thread is now the loop thread
            ran.clear();
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            await().pollInSameThread().atMost(Duration.ofSeconds(5)).until(() -> {
                loop.runIteration(false);
                return ran.contains("key");
            });
            assertThat(ran).containsExactly("key", "flush");
            loop.runIteration(false);
            assertThat(ran).containsExactly("key", "flush", "deferred by the key", "flush");
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void aRuntimeExceptionInATaskIsLoggedAndTheRestRuns() {
        loop.runIteration(false);
        loop.execute(() -> {
            throw new IllegalStateException("test: a task that fails");
        });
        loop.execute(record("after"));
        loop.schedule(0, () -> {
            throw new IllegalStateException("test: a timer that fails");
        });
        loop.schedule(0, record("timer after"));
        loop.runIteration(false);
        assertThat(ran).containsExactly("after", "timer after");
        assertThat(loop.failure()).isNull();
    }

    @Test
    void anotherThreadReachesTheLoopThroughExecute() throws InterruptedException {
        runOnItsOwnThread();
        CountDownLatch done = new CountDownLatch(1);
        Thread[] ranOn = new Thread[1];
        loop.execute(() -> {
            ranOn[0] = Thread.currentThread();
            done.countDown();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn[0]).isSameAs(loopThread);
    }

    @Test
    void theRunningLoopSurvivesARuntimeException() throws InterruptedException {
        runOnItsOwnThread();
        loop.execute(() -> {
            throw new IllegalStateException("test: a task that fails");
        });
        CountDownLatch stillServing = new CountDownLatch(1);
        loop.execute(stillServing::countDown);
        assertThat(stillServing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.failure()).isNull();
    }

    @Test
    void anErrorInATaskStopsTheLoopAndSaysWhy() throws InterruptedException {
        runOnItsOwnThread();
        OutOfMemoryError error = new OutOfMemoryError("test");
        AtomicInteger laterTasks = new AtomicInteger();
        loop.execute(() -> {
            throw error;
        });
        loop.execute(laterTasks::incrementAndGet);
        assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.failure()).isSameAs(error);
        assertThat(laterTasks).as("nothing runs after the Error").hasValue(0);
    }

    @Test
    void anErrorInATimerStopsTheLoopAndSaysWhy() throws InterruptedException {
        runOnItsOwnThread();
        StackOverflowError error = new StackOverflowError("test");
        loop.execute(() -> loop.schedule(0, () -> {
            throw error;
        }));
        assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.failure()).isSameAs(error);
    }

    @Test
    void anErrorInAReadyKeyStopsTheLoopAndSaysWhy() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            OutOfMemoryError error = new OutOfMemoryError("test");
            pipe.source().register(((NioPoller) loop.poller()).selector(), SelectionKey.OP_READ, (EventLoop.ReadyHandler) readyOps -> {
                throw error;
            });
            runOnItsOwnThread();
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(loop.failure()).isSameAs(error);
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }
}
