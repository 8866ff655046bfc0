package chat.server.auth;

import chat.server.net.BackgroundThreads;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks operator passwords off the event loop: a hash costs tens of milliseconds, which the loop
 * must never spend. Checks run on one thread with a bounded queue; each answer comes back to the
 * loop through its task queue. When the queue is full the answer is "no" at once, and logged:
 * a flood of OPER attempts cannot grow memory or stall anyone else.
 *
 * <p>{@link #check} is called on the loop thread; its callback runs there too.
 */
public final class PasswordChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PasswordChecker.class);
    /** Checks waiting at most; past it, refused at once. */
    static final int MAX_QUEUED = 32;

    /** Operator names and their password hashes; replaced whole by a reload, read and written on the loop. */
    private Map<String, String> operators;
    private final Executor loop;
    private final ThreadPoolExecutor pool;

    /** @param loop where answers are handed back: the event loop's task queue */
    public PasswordChecker(Map<String, String> operators, Executor loop) {
        this.operators = Map.copyOf(operators);
        this.loop = loop;
        this.pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED),
                BackgroundThreads.named("chat-password-check"));
    }

    /**
     * Replaces the operators (a configuration reload); checks already under way finish with the
     * hash they started with. On the loop.
     */
    public void replaceOperators(Map<String, String> next) {
        operators = Map.copyOf(next);
    }

    /** True when any operator is configured. */
    public boolean hasOperators() {
        return !operators.isEmpty();
    }

    /** True when an operator of this name is configured. */
    public boolean isOperator(String name) {
        return operators.containsKey(name);
    }

    /**
     * Checks {@code password} for operator {@code name}; {@code answer} gets true or false on
     * the loop, later. An unknown name is "no" after the same work, so timing tells nothing.
     */
    public void check(String name, String password, Consumer<Boolean> answer) {
        String hash = operators.get(name);
        try {
            pool.execute(() -> {
                boolean ok;
                if (hash != null) {
                    ok = PasswordHash.matches(password, hash);
                } else {
                    PasswordHash.matches(password, Decoy.HASH); // the same work, and then no
                    ok = false;
                }
                loop.execute(() -> answer.accept(ok));
            });
        } catch (RejectedExecutionException busy) {
            log.warn("refusing an operator login for {}: {} checks already waiting", name, MAX_QUEUED);
            answer.accept(false);
        }
    }

    /** A hash to spend the same time on for unknown names; made on the checking thread, once. */
    private static final class Decoy {
        static final String HASH = PasswordHash.hash("decoy");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
