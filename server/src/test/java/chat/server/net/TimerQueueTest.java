package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The heap on its own: order, and removal from any place in it. */
class TimerQueueTest {

    private final TimerQueue queue = new TimerQueue();
    private long sequence;

    /** A timer in {@link #queue}, with its deadline as its name for the assertions. */
    private EventLoop.Timer add(long deadline) {
        EventLoop.Timer timer = new EventLoop.Timer(deadline, sequence++, () -> { }, queue);
        queue.add(timer);
        return timer;
    }

    private List<EventLoop.Timer> drain() {
        List<EventLoop.Timer> out = new ArrayList<>();
        EventLoop.Timer timer;
        while ((timer = queue.poll()) != null) {
            out.add(timer);
        }
        return out;
    }

    @Test
    void timersComeOutByDeadlineThenInTheOrderTheyWereScheduled() {
        EventLoop.Timer late = add(30);
        EventLoop.Timer firstAt10 = add(10);
        EventLoop.Timer early = add(5);
        EventLoop.Timer secondAt10 = add(10);
        EventLoop.Timer thirdAt10 = add(10);
        assertThat(queue.peek()).isSameAs(early);
        assertThat(drain()).containsExactly(early, firstAt10, secondAt10, thirdAt10, late);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void deadlinesAreComparedAsNanoTimeIsAcrossItsWrapAround() {
        EventLoop.Timer afterWrap = add(Long.MAX_VALUE + 20); // negative, but 30 ns after the other
        EventLoop.Timer beforeWrap = add(Long.MAX_VALUE - 10);
        assertThat(drain()).containsExactly(beforeWrap, afterWrap);
    }

    @Test
    void cancellingTheHeadTheMiddleOrTheLastRemovesItAtOnce() {
        List<EventLoop.Timer> timers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            timers.add(add(i * 10));
        }
        EventLoop.Timer head = timers.get(0);
        EventLoop.Timer middle = timers.get(5);
        EventLoop.Timer last = timers.get(9);

        head.cancel();
        assertThat(queue.size()).isEqualTo(9);
        assertThat(queue.peek()).isSameAs(timers.get(1));
        middle.cancel();
        assertThat(queue.size()).isEqualTo(8);
        last.cancel();
        assertThat(queue.size()).isEqualTo(7);
        assertThat(List.of(head, middle, last)).allMatch(EventLoop.Timer::isDone);

        List<EventLoop.Timer> expected = new ArrayList<>(timers);
        expected.removeAll(List.of(head, middle, last));
        assertThat(drain()).containsExactlyElementsOf(expected);
    }

    @Test
    void cancellingTwiceOrAfterItLeftTheQueueChangesNothing() {
        EventLoop.Timer a = add(1);
        EventLoop.Timer b = add(2);
        EventLoop.Timer c = add(3);
        b.cancel();
        b.cancel();
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.poll()).isSameAs(a);
        a.cancel(); // already out: must not take c's slot, which a once had
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.peek()).isSameAs(c);
    }

    @Test
    void aRandomMixOfAddsCancelsAndPollsMatchesASortedList() {
        Random random = new Random(20261201);
        Comparator<EventLoop.Timer> order = EventLoop.Timer::compareTo;
        List<EventLoop.Timer> model = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                model.add(add(random.nextInt(50))); // few deadlines: many ties to break by sequence
            } else if (op < 8 && !model.isEmpty()) {
                EventLoop.Timer victim = model.remove(random.nextInt(model.size()));
                victim.cancel();
            } else {
                model.sort(order);
                EventLoop.Timer expected = model.isEmpty() ? null : model.remove(0);
                assertThat(queue.poll()).as("step %d", step).isSameAs(expected);
            }
            assertThat(queue.size()).isEqualTo(model.size());
        }
        model.sort(order);
        assertThat(drain()).containsExactlyElementsOf(model);
    }
}
