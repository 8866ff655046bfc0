package chat.server.history;

import chat.server.core.ChatEvent;
import chat.server.core.MessageLog;
import chat.server.core.User;
import chat.server.net.BackgroundThreads;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History as the loop sees it: takes every kept message from the core, hands it to the writer
 * for the store, and answers queries, from memory when it holds the answer (the recent messages
 * of active rooms: a join replay, a resume after a short drop) and otherwise from the store on a
 * reader thread, the answer coming back through the loop's task queue. The loop never waits.
 *
 * <p>Memory holds, per target, a run of its newest messages: every message of the target newer
 * than the run's floor, and always those the writer has not committed yet, so whatever is older
 * than the floor is in the store. Runs are trimmed to {@link HistoryOptions#CACHED_PER_TARGET}
 * and the least recently used whole runs dropped beyond {@link HistoryOptions#cachedMessages},
 * committed messages only. Without a store (history in memory only), a run is all there is.
 *
 * <p>Loop thread only, except the reader's work.
 */
public final class History implements MessageLog, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(History.class);
    /** Reads turned away when the store is that far behind: a storm of joins would log one line each. */
    private final chat.server.net.ThrottledLog busyReads = new chat.server.net.ThrottledLog(log, 10_000_000_000L);
    /** Store reads waiting for the reader; more are answered from memory alone. */
    static final int MAX_QUEUED_READS = 1024;

    private final HistoryOptions options;
    /** Null when history lives in memory only. */
    private final HistoryStore store;
    private final HistoryWriter writer;
    /**
     * Which messages this server's writer saves: all on one server; on a cluster's shared store,
     * those its own users said (each node saves its own, so a message is written once).
     */
    private java.util.function.LongPredicate saves = id -> true;
    private final Executor loop;
    private final LongSupplier clock;
    private final ThreadPoolExecutor reader;
    /** Runs by target, least recently used first. */
    private final LinkedHashMap<String, Run> runs = new LinkedHashMap<>(64, 0.75f, true);
    /**
     * Targets without a run that the store said it has nothing of, least recently used first, at
     * most {@link HistoryOptions#cachedMessages} of them: a new room's joiners would otherwise
     * each cost a store read (18,000 clients entering 36 silent rooms made 18,000). A message
     * kept for one takes it out.
     */
    private final LinkedHashMap<String, Boolean> storeHasNone = new LinkedHashMap<>(64, 0.75f, true);
    /**
     * Runs dropped so far. A store answer may seed memory only if none was dropped while it was
     * read: a run made and dropped meanwhile held a message that the read may have missed.
     */
    private long runsDropped;
    private long cached;
    private long storeReads;
    /**
     * Store reads under way that may seed a target's run, by target: a query that would make
     * the same read (no run yet, the newest messages, no more of them) waits for that answer
     * instead, so the joiners of a room entering while its first read is under way cost no
     * read of their own.
     */
    private final Map<String, SeedingRead> seedingReads = new java.util.HashMap<>();

    /** One seeding read under way and the queries answered from it, in the order they came. */
    private record SeedingRead(int limit, List<HistoryQuery> queries, List<Consumer<List<StoredMessage>>> answers) {
    }

    /** Memory only, or without the store: for tests and {@code --history-size 0}. */
    public History(HistoryOptions options, Executor loop, LongSupplier clock) {
        this(options, null, null, loop, clock);
    }

    /**
     * @param store where older messages are read; null for memory only
     * @param writer where kept messages go to the store; null for memory only
     * @param loop the event loop, for answers read off it
     */
    public History(HistoryOptions options, HistoryStore store, HistoryWriter writer, Executor loop, LongSupplier clock) {
        this.options = options;
        this.store = store;
        this.writer = writer;
        this.loop = loop;
        this.clock = clock;
        this.reader = store == null ? null
                : new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED_READS),
                        BackgroundThreads.named("chat-history-reader"));
    }

    /** History off: keeps nothing, answers nothing. */
    public static History off() {
        return new History(HistoryOptions.off(), Runnable::run, System::currentTimeMillis);
    }

    public boolean enabled() {
        return options.enabled();
    }

    /** Messages replayed to a room's joiner. */
    public int onJoin() {
        return enabled() ? options.onJoin() : 0;
    }

    /** Messages replayed to an IRC joiner without CHATHISTORY. */
    public int ircOnJoin() {
        return enabled() ? options.ircOnJoin() : 0;
    }

    @Override
    public void said(ChatEvent.RoomMessage m) {
        User from = m.from();
        keep(new StoredMessage(m.id(), m.time(), HistoryTargets.room(m.room()), m.room(), from.nick(),
                address(from), null, m.kind(), m.text(), m.tags()));
    }

    @Override
    public void sentPrivately(ChatEvent.PrivateMessage m) {
        keep(stored(m));
    }

    /** A private message as history keeps it (and as accounts keep one for an absent owner). */
    public static StoredMessage stored(ChatEvent.PrivateMessage m) {
        User from = m.from();
        return new StoredMessage(m.id(), m.time(), HistoryTargets.conversation(from.nick(), m.to()), null, from.nick(),
                address(from), m.to(), m.kind(), m.text(), m.tags());
    }

    @Override
    public void redacted(ChatEvent.Redacted r) {
        if (!enabled()) {
            return;
        }
        String target = r.room() != null ? HistoryTargets.room(r.room()) : HistoryTargets.conversation(r.by().nick(), r.to());
        Run run = runs.get(target);
        if (run != null && run.messages.removeIf(m -> m.id() == r.id())) {
            cached--;
        }
        if (writer != null) {
            writer.forget(target, r.id());
        }
    }

    /**
     * The message {@code id} of {@code target}, to {@code answer} (null when history has none):
     * at once from memory, else after a store read, on the loop.
     */
    public void find(String target, long id, Consumer<StoredMessage> answer) {
        read(new HistoryQuery(target, id - 1, id + 1, HistoryQuery.NONE_BELOW, HistoryQuery.NONE_ABOVE, 1, false),
                found -> answer.accept(found.isEmpty() ? null : found.get(0)));
    }

    private static String address(User user) {
        return user.identity().username() + "@" + user.identity().host();
    }

    /** Saves only the messages whose id {@code saves} accepts (a cluster node: those of its own users). */
    public void savesOnly(java.util.function.LongPredicate saves) {
        this.saves = saves;
    }

    private void keep(StoredMessage message) {
        if (!enabled()) {
            return;
        }
        if (writer != null) {
            if (saves.test(message.id())) {
                writer.submit(message);
            }
        }
        Run run = runs.get(message.target());
        if (run == null) {
            // Whatever this target said before is committed (a run is dropped only then), or
            // there is no store and it is gone: either way the run holds all from here on, and
            // all there is when the store has nothing older.
            boolean storeHasNothing = storeHasNone.remove(message.target()) != null;
            run = new Run(message.id() - 1, store == null || storeHasNothing);
            runs.put(message.target(), run);
        }
        run.messages.addLast(message);
        cached++;
        trim(run);
        if (cached > options.cachedMessages()) {
            dropLeastRecentlyUsed();
        }
    }

    /** Keeps a run within its bounds, dropping only what the store has (or, without one, what is past keeping). */
    private void trim(Run run) {
        int max = store == null ? options.size() : Math.min(options.size(), HistoryOptions.CACHED_PER_TARGET);
        long committed = committedId();
        while (run.messages.size() > max && run.messages.peekFirst().id() <= committed) {
            run.floor = run.messages.pollFirst().id();
            run.complete = false;
            cached--;
        }
    }

    private long committedId() {
        return writer == null ? Long.MAX_VALUE : writer.committedId();
    }

    private void dropLeastRecentlyUsed() {
        long committed = committedId();
        Iterator<Run> eldest = runs.values().iterator();
        while (cached > options.cachedMessages() && eldest.hasNext()) {
            Run run = eldest.next();
            if (!run.messages.isEmpty() && run.messages.peekLast().id() <= committed) {
                cached -= run.messages.size();
                eldest.remove();
                runsDropped++;
            }
        }
    }

    /**
     * Answers {@code query} (the retention period applied), oldest first: now, from memory, when
     * it holds the whole answer; otherwise later, on the loop, after a store read. A store that
     * fails or is too busy gets what memory has.
     */
    public void read(HistoryQuery query, Consumer<List<StoredMessage>> answer) {
        if (!enabled()) {
            answer.accept(List.of());
            return;
        }
        HistoryQuery q = withinRetention(query);
        Run run = runs.get(q.target());
        List<StoredMessage> fromMemory = run == null ? List.of() : run.select(q);
        if (store == null || run != null && run.answers(q, fromMemory)
                || run == null && storeHasNone.get(q.target()) != null) {
            answer.accept(fromMemory);
            return;
        }
        // The part at or below the run's floor is in the store; the rest is fromMemory.
        long floor = run == null ? Long.MAX_VALUE - 1 : run.floor;
        HistoryQuery older = new HistoryQuery(q.target(), q.afterId(), Math.min(q.beforeId(), floor + 1), q.afterTime(),
                q.beforeTime(), q.newest() ? Math.max(1, q.limit() - fromMemory.size()) : q.limit(), q.newest());
        boolean seeds = run == null && q.newest() && q.afterId() == HistoryQuery.NONE_BELOW
                && q.beforeId() == HistoryQuery.NONE_ABOVE && q.beforeTime() == HistoryQuery.NONE_ABOVE;
        SeedingRead shared = null;
        if (seeds) {
            SeedingRead underWay = seedingReads.get(q.target());
            if (underWay != null && older.limit() <= underWay.limit()) {
                underWay.queries().add(q);
                underWay.answers().add(answer);
                return;
            }
            if (underWay == null) {
                shared = new SeedingRead(older.limit(), new ArrayList<>(), new ArrayList<>());
                seedingReads.put(q.target(), shared);
            }
        }
        SeedingRead sharing = shared;
        long droppedBefore = runsDropped;
        try {
            reader.execute(() -> {
                List<StoredMessage> stored;
                try {
                    stored = store.read(older);
                } catch (HistoryException | RuntimeException e) {
                    log.error("history: cannot read {}: {}", q.target(), e.getMessage());
                    stored = List.of();
                }
                List<StoredMessage> fromStore = stored;
                loop.execute(() -> {
                    storeReads++;
                    if (seeds && fromStore.size() < older.limit() && runsDropped == droppedBefore) {
                        seed(q.target(), fromStore);
                    }
                    answer.accept(combine(fromStore, fromMemory, q));
                    if (sharing != null) {
                        seedingReads.remove(q.target(), sharing);
                        for (int i = 0; i < sharing.queries().size(); i++) {
                            sharing.answers().get(i).accept(newest(fromStore, sharing.queries().get(i)));
                        }
                    }
                });
            });
        } catch (RejectedExecutionException busy) {
            if (sharing != null) {
                seedingReads.remove(q.target(), sharing);
            }
            busyReads.warn("history: {} reads waiting; answering {} from memory", MAX_QUEUED_READS, q.target());
            answer.accept(fromMemory);
        }
    }

    /**
     * What a query that waited for a seeding read gets of its answer: the newest {@code q.limit()}
     * within its own retention bound (it had nothing in memory; it asked later, so its bound is
     * no older than the read's).
     */
    private static List<StoredMessage> newest(List<StoredMessage> fromStore, HistoryQuery q) {
        int from = fromStore.size();
        while (from > 0 && fromStore.size() - from < q.limit() && fromStore.get(from - 1).time() > q.afterTime()) {
            from--;
        }
        return List.copyOf(fromStore.subList(from, fromStore.size()));
    }

    private HistoryQuery withinRetention(HistoryQuery q) {
        long oldest = clock.getAsLong() - options.retentionMillis();
        return q.afterTime() >= oldest ? q
                : new HistoryQuery(q.target(), q.afterId(), q.beforeId(), oldest, q.beforeTime(), q.limit(), q.newest());
    }

    /**
     * What a target said, all of it (the store had fewer than asked), becomes its run if it has
     * none yet; nothing at all is remembered as such (a query within the retention period: what
     * is older no query is given).
     */
    private void seed(String target, List<StoredMessage> all) {
        if (runs.containsKey(target)) {
            return;
        }
        if (all.isEmpty()) {
            if (options.cachedMessages() > 0) {
                storeHasNone.put(target, Boolean.TRUE);
                if (storeHasNone.size() > options.cachedMessages()) {
                    Iterator<String> eldest = storeHasNone.keySet().iterator();
                    eldest.next();
                    eldest.remove();
                }
            }
            return;
        }
        Run run = new Run(all.get(0).id() - 1, true);
        run.messages.addAll(all);
        runs.put(target, run);
        cached += all.size();
        trim(run);
    }

    /** The store's part (all older than memory's) then memory's, cut to the query's limit at its end. */
    private static List<StoredMessage> combine(List<StoredMessage> fromStore, List<StoredMessage> fromMemory,
            HistoryQuery q) {
        List<StoredMessage> all = new ArrayList<>(fromStore.size() + fromMemory.size());
        long last = Long.MIN_VALUE;
        for (StoredMessage m : fromStore) {
            all.add(m);
            last = m.id();
        }
        for (StoredMessage m : fromMemory) {
            if (m.id() > last) {
                all.add(m);
            }
        }
        if (all.size() <= q.limit()) {
            return all;
        }
        return q.newest() ? List.copyOf(all.subList(all.size() - q.limit(), all.size()))
                : List.copyOf(all.subList(0, q.limit()));
    }

    /**
     * Of {@code candidates}, those with a message in the time range, each with its newest time
     * there, newest first: IRCv3 CHATHISTORY TARGETS. Memory answers for targets it holds from
     * far enough back; the store for the rest, off the loop.
     */
    public void targets(Collection<String> candidates, long afterTime, long beforeTime, int limit,
            Consumer<List<HistoryStore.TargetActivity>> answer) {
        if (!enabled() || candidates.isEmpty()) {
            answer.accept(List.of());
            return;
        }
        long after = Math.max(afterTime, clock.getAsLong() - options.retentionMillis());
        List<String> candidateList = List.copyOf(candidates);
        Map<String, Long> known = new LinkedHashMap<>();
        for (String target : candidateList) {
            Run run = runs.get(target);
            if (run != null) {
                for (Iterator<StoredMessage> it = run.messages.descendingIterator(); it.hasNext(); ) {
                    StoredMessage m = it.next();
                    if (m.time() > after && m.time() < beforeTime) {
                        known.put(target, m.time());
                        break;
                    }
                }
            }
        }
        if (store == null) {
            answer.accept(sortedTargets(known, limit));
            return;
        }
        try {
            reader.execute(() -> {
                List<HistoryStore.TargetActivity> stored;
                try {
                    stored = store.targets(candidateList, after, beforeTime, limit);
                } catch (HistoryException | RuntimeException e) {
                    log.error("history: cannot list targets: {}", e.getMessage());
                    stored = List.of();
                }
                List<HistoryStore.TargetActivity> fromStore = stored;
                loop.execute(() -> {
                    Map<String, Long> all = new LinkedHashMap<>(known);
                    for (HistoryStore.TargetActivity t : fromStore) {
                        all.merge(t.target(), t.lastTime(), Math::max);
                    }
                    answer.accept(sortedTargets(all, limit));
                });
            });
        } catch (RejectedExecutionException busy) {
            answer.accept(sortedTargets(known, limit));
        }
    }

    private static List<HistoryStore.TargetActivity> sortedTargets(Map<String, Long> lastTimes, int limit) {
        return lastTimes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .map(e -> new HistoryStore.TargetActivity(e.getKey(), e.getValue()))
                .toList();
    }

    /** The conversations of {@code nick} that memory holds, by key: candidates for CHATHISTORY TARGETS. */
    public List<String> conversationsOf(String nick) {
        String key = chat.server.core.Names.key(nick);
        List<String> found = new ArrayList<>();
        for (String target : runs.keySet()) {
            int space = target.indexOf(' ');
            if (space >= 0 && (target.startsWith(key + " ") || target.endsWith(" " + key))) {
                found.add(target);
            }
        }
        return found;
    }

    /** Messages held in memory now. */
    public long cachedMessages() {
        return cached;
    }

    /** Queries that needed the store, answered so far. */
    public long storeReads() {
        return storeReads;
    }

    /** Stops the reader; the writer and the store are their owner's to close. */
    @Override
    public void close() {
        if (reader != null) {
            reader.shutdownNow();
        }
    }

    /** The newest messages of one target, in id order. */
    private static final class Run {
        final ArrayDeque<StoredMessage> messages = new ArrayDeque<>();
        /** Every message of the target with a greater id is in {@link #messages}. */
        long floor;
        /** Nothing of the target is older than {@link #messages}: the store has nothing to add. */
        boolean complete;

        Run(long floor, boolean complete) {
            this.floor = floor;
            this.complete = complete;
        }

        /** The messages of the run that {@code q} asks for, oldest first. */
        List<StoredMessage> select(HistoryQuery q) {
            ArrayDeque<StoredMessage> picked = new ArrayDeque<>();
            if (q.newest()) {
                for (Iterator<StoredMessage> it = messages.descendingIterator(); it.hasNext() && picked.size() < q.limit(); ) {
                    StoredMessage m = it.next();
                    if (q.covers(m)) {
                        picked.addFirst(m);
                    }
                }
            } else {
                for (Iterator<StoredMessage> it = messages.iterator(); it.hasNext() && picked.size() < q.limit(); ) {
                    StoredMessage m = it.next();
                    if (q.covers(m)) {
                        picked.addLast(m);
                    }
                }
            }
            return List.copyOf(picked);
        }

        /** Whether {@code picked}, this run's part of {@code q}, is the whole answer. */
        boolean answers(HistoryQuery q, List<StoredMessage> picked) {
            if (complete) {
                return true;
            }
            if (q.newest()) {
                return picked.size() == q.limit() || startsBelowRange(q);
            }
            return startsBelowRange(q);
        }

        /** Whether the range begins inside the run: nothing it asks for can be older than the floor. */
        private boolean startsBelowRange(HistoryQuery q) {
            if (q.afterId() >= floor) {
                return true;
            }
            StoredMessage oldest = messages.peekFirst();
            return oldest != null && oldest.time() <= q.afterTime();
        }
    }
}
