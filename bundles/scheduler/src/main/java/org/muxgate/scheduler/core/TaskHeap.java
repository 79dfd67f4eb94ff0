package org.muxgate.scheduler.core;

import java.util.Arrays;

import org.muxgate.api.scheduler.Task;

/**
 * A binary min-heap of tasks on a long key, where each task remembers its own
 * index so that it can be removed or moved in O(log n). The two uses, run queues
 * and wait queues, keep their key and index in different fields of the task, so a
 * task can be in one of each at once.
 *
 * <p>Not thread-safe: a per-thread heap is touched only by its thread, a shared
 * heap only under its owner's lock.
 */
abstract class TaskHeap {

    private TimerTask[] heap = new TimerTask[64];
    private int size;

    abstract long key(TimerTask task);

    abstract int index(TimerTask task);

    abstract void setIndex(TimerTask task, int index);

    final int size() {
        return size;
    }

    final boolean isEmpty() {
        return size == 0;
    }

    final boolean contains(TimerTask task) {
        return index(task) >= 0;
    }

    /** @return the task with the lowest key, or null */
    final TimerTask peek() {
        return size == 0 ? null : heap[0];
    }

    /** @return the lowest key, or {@link Long#MAX_VALUE} when empty */
    final long peekKey() {
        return size == 0 ? Long.MAX_VALUE : key(heap[0]);
    }

    /** Adds a task that is not in this heap, with its key already set. */
    final void add(TimerTask task) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, task);
    }

    /** @return the task with the lowest key, removed, or null */
    final TimerTask poll() {
        if (size == 0) {
            return null;
        }
        TimerTask first = heap[0];
        removeAt(0);
        return first;
    }

    /** Removes a task that is in this heap. */
    final void remove(TimerTask task) {
        removeAt(index(task));
    }

    /** Restores the heap order after the key of a task in this heap changed. */
    final void keyChanged(TimerTask task) {
        int i = index(task);
        siftUp(i, task);
        if (index(task) == i) {
            siftDown(i, task);
        }
    }

    /** @return the task at position i, 0 &lt;= i &lt; size, in no particular order */
    final TimerTask at(int i) {
        return heap[i];
    }

    /** Verifies the heap order and the stored indexes; for tests. */
    final void checkConsistency() {
        for (int i = 0; i < size; i++) {
            if (index(heap[i]) != i) {
                throw new IllegalStateException("task at " + i + " records index " + index(heap[i]));
            }
            if (i > 0 && key(heap[(i - 1) >>> 1]) > key(heap[i])) {
                throw new IllegalStateException("heap order broken at " + i);
            }
        }
    }

    private void removeAt(int i) {
        TimerTask removed = heap[i];
        int last = --size;
        TimerTask moved = heap[last];
        heap[last] = null;
        setIndex(removed, -1);
        if (i != last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
    }

    private void siftUp(int i, TimerTask task) {
        long key = key(task);
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerTask p = heap[parent];
            if (key(p) <= key) {
                break;
            }
            heap[i] = p;
            setIndex(p, i);
            i = parent;
        }
        heap[i] = task;
        setIndex(task, i);
    }

    private void siftDown(int i, TimerTask task) {
        long key = key(task);
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            TimerTask c = heap[child];
            int right = child + 1;
            if (right < size && key(heap[right]) < key(c)) {
                child = right;
                c = heap[child];
            }
            if (key <= key(c)) {
                break;
            }
            heap[i] = c;
            setIndex(c, i);
            i = child;
        }
        heap[i] = task;
        setIndex(task, i);
    }

    /** Run queues: ordered by {@link TimerTask#rqKey}. */
    static final class RunQueue extends TaskHeap {
        @Override
        long key(TimerTask task) {
            return task.rqKey;
        }

        @Override
        int index(TimerTask task) {
            return task.rqIndex;
        }

        @Override
        void setIndex(TimerTask task, int index) {
            task.rqIndex = index;
        }
    }

    /** Wait queues: ordered by {@link TimerTask#wqKey}, the date the task is due to be looked at. */
    static final class WaitQueue extends TaskHeap {

        /**
         * Puts the task in the queue at its expiry date, or moves it earlier. A later
         * date leaves it where it is: it is looked at, and moved, when its key is due.
         */
        void arm(TimerTask task) {
            long expire = task.expire();
            if (expire == Task.ETERNITY) {
                return;
            }
            task.armed = true;
            if (task.wqIndex < 0) {
                task.wqKey = expire;
                add(task);
            } else if (expire < task.wqKey) {
                task.wqKey = expire;
                keyChanged(task);
            }
        }

        /** Disarms the task's timer; it stays in the queue, and is dropped, until its key is due. */
        void disarm(TimerTask task) {
            task.armed = false;
        }

        /**
         * Takes the next task whose key is due at {@code now}, moving on the way the
         * tasks whose expiry was pushed later, and dropping the disarmed ones.
         *
         * @return a task whose expiry is reached, out of the queue; or null
         */
        TimerTask pollExpired(long now) {
            TimerTask task;
            while ((task = peek()) != null && task.wqKey <= now) {
                long expire = task.expire();
                if (!task.armed || expire == Task.ETERNITY) {
                    poll();
                    task.armed = false;
                } else if (expire <= now) {
                    poll();
                    task.armed = false;
                    return task;
                } else {
                    task.wqKey = expire;
                    keyChanged(task);
                }
            }
            return null;
        }

        @Override
        long key(TimerTask task) {
            return task.wqKey;
        }

        @Override
        int index(TimerTask task) {
            return task.wqIndex;
        }

        @Override
        void setIndex(TimerTask task, int index) {
            task.wqIndex = index;
        }
    }
}
