package chat.server.net;

import java.util.Arrays;

/**
 * The loop's pending timers, soonest first: a binary heap in which each {@link EventLoop.Timer}
 * knows its own slot, so cancelling one removes it at once in O(log n).
 *
 * <p>Why not {@code PriorityQueue}: removing from it is a linear scan, so cancelled timers used
 * to be left in place with a flag, and each one kept its task, and through the task a closed
 * connection, its session and its user, alive until its deadline (for a linger timer, the whole
 * shutdown grace). Here a cancelled timer is gone, and so is everything it referred to.
 *
 * <p>Loop thread only.
 */
final class TimerQueue {

    private EventLoop.Timer[] heap = new EventLoop.Timer[16];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The soonest timer, or null. */
    EventLoop.Timer peek() {
        return size == 0 ? null : heap[0];
    }

    void add(EventLoop.Timer timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        timer.slot = size;
        heap[size++] = timer;
        siftUp(timer.slot);
    }

    /** Removes and returns the soonest timer, or null. */
    EventLoop.Timer poll() {
        if (size == 0) {
            return null;
        }
        EventLoop.Timer first = heap[0];
        removeAt(0);
        return first;
    }

    /** Removes {@code timer} if it is queued here; does nothing otherwise. */
    void remove(EventLoop.Timer timer) {
        int slot = timer.slot;
        if (slot >= 0 && slot < size && heap[slot] == timer) {
            removeAt(slot);
        }
    }

    private void removeAt(int slot) {
        EventLoop.Timer removed = heap[slot];
        removed.slot = -1;
        EventLoop.Timer last = heap[--size];
        heap[size] = null;
        if (slot == size) {
            return;
        }
        heap[slot] = last;
        last.slot = slot;
        siftDown(slot);
        if (heap[slot] == last) {
            siftUp(slot);
        }
    }

    private void siftUp(int slot) {
        EventLoop.Timer timer = heap[slot];
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (heap[parent].compareTo(timer) <= 0) {
                break;
            }
            place(heap[parent], slot);
            slot = parent;
        }
        place(timer, slot);
    }

    private void siftDown(int slot) {
        EventLoop.Timer timer = heap[slot];
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < size && heap[right].compareTo(heap[child]) < 0) {
                child = right;
            }
            if (timer.compareTo(heap[child]) <= 0) {
                break;
            }
            place(heap[child], slot);
            slot = child;
        }
        place(timer, slot);
    }

    private void place(EventLoop.Timer timer, int slot) {
        heap[slot] = timer;
        timer.slot = slot;
    }
}
