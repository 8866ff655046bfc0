package chat.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator password checker: checks run off the caller's thread, answers come back only
 * through the executor it was given (the loop's task queue), and a full queue says no at once.
 */
class PasswordCheckerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Operator "op" with password "pw". */
    private static final Map<String, String> OPERATORS = Map.of("op", QuickHashes.hash("pw"));

    /** An executor that keeps what it is given until the test runs it, as the loop's queue does. */
    private static final class RecordingExecutor implements Executor {
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }

    private final RecordingExecutor loop = new RecordingExecutor();
    private final List<Boolean> answers = new CopyOnWriteArrayList<>();

    @Test
    void theAnswerComesOnlyThroughTheExecutor() {
        try (PasswordChecker checker = new PasswordChecker(OPERATORS, loop)) {
            assertThat(checker.hasOperators()).isTrue();
            assertThat(checker.isOperator("op")).isTrue();
            assertThat(checker.isOperator("OP")).isFalse();

            checker.check("op", "pw", answers::add);
            await().atMost(PATIENCE).until(() -> !loop.tasks.isEmpty());
            assertThat(answers).as("nothing is answered from the checking thread").isEmpty();

            loop.runAll();
            assertThat(answers).containsExactly(true);
        }
    }

    @Test
    void aWrongPasswordIsNo() {
        try (PasswordChecker checker = new PasswordChecker(OPERATORS, loop)) {
            checker.check("op", "wrong", answers::add);
            await().atMost(PATIENCE).until(() -> !loop.tasks.isEmpty());
            loop.runAll();
            assertThat(answers).containsExactly(false);
        }
    }

    @Test
    void anUnknownNameIsNoThroughTheExecutorToo() {
        try (PasswordChecker checker = new PasswordChecker(OPERATORS, loop)) {
            checker.check("nobody", "pw", answers::add);
            assertThat(answers).isEmpty();
            await().atMost(PATIENCE).until(() -> !loop.tasks.isEmpty());
            loop.runAll();
            assertThat(answers).containsExactly(false);
        }
    }

    @Test
    void noOperatorsConfigured() {
        try (PasswordChecker checker = new PasswordChecker(Map.of(), loop)) {
            assertThat(checker.hasOperators()).isFalse();
            assertThat(checker.isOperator("op")).isFalse();
        }
    }

    /**
     * The checking thread is held inside the first answer's hand-back, so the queue behind it
     * fills exactly: {@link PasswordChecker#MAX_QUEUED} checks wait, the next is refused.
     */
    @Test
    void aFullQueueAnswersNoAtOnceOnTheCallersThread() throws InterruptedException {
        CountDownLatch firstHandedBack = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Executor stalling = task -> {
            firstHandedBack.countDown();
            try {
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            loop.execute(task);
        };
        try (PasswordChecker checker = new PasswordChecker(OPERATORS, stalling)) {
            checker.check("op", "pw", answers::add);
            assertThat(firstHandedBack.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            for (int i = 0; i < PasswordChecker.MAX_QUEUED; i++) {
                checker.check("op", "pw", answers::add);
            }
            assertThat(answers).as("all queued, none answered").isEmpty();

            checker.check("op", "pw", answers::add);
            assertThat(answers).as("refused without waiting").containsExactly(false);

            letGo.countDown();
            await().atMost(PATIENCE).until(() -> loop.tasks.size() == 1 + PasswordChecker.MAX_QUEUED);
            loop.runAll();
            assertThat(answers).hasSize(2 + PasswordChecker.MAX_QUEUED).first().isEqualTo(false);
            assertThat(answers.subList(1, answers.size())).containsOnly(true);
        }
    }
}
