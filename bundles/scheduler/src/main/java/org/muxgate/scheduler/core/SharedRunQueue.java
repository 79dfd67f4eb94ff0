package org.muxgate.scheduler.core;

/**
 * The run queue of the tasks that several threads may run, ordered by nice value
 * then arrival. Every operation but {@link #mayHaveWork()} holds this object's
 * monitor. A task whose mask does not name the picking thread stays for another.
 */
final class SharedRunQueue {

    /** Guarded by this. */
    private final TaskHeap.RunQueue heap = new TaskHeap.RunQueue();
    /** Guarded by this: insertions so far, the base of the run queue keys. */
    private long ticks;
    /** Guarded by this: tasks set aside while picking for one thread. */
    private TimerTask[] skipped = new TimerTask[16];
    /** The heap's size, readable without the lock; written under it. */
    private volatile int size;

    /** Any thread, for a task it just marked QUEUED. */
    synchronized void add(TimerTask task) {
        task.rqKey = task.runQueueKey(ticks++);
        heap.add(task);
        size = heap.size();
    }

    /** Any thread, without the lock: false when there is surely nothing to run. */
    boolean mayHaveWork() {
        return size > 0;
    }

    /** @return whether a task in the queue may run on the thread of {@code threadBit} */
    synchronized boolean hasWorkFor(long threadBit) {
        for (int i = 0; i < heap.size(); i++) {
            if ((heap.at(i).threadMask() & threadBit) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A worker thread: moves up to {@code max} tasks it may run, in key order, to its
     * run lists.
     *
     * @return the number of tasks moved
     */
    synchronized int moveTo(WorkerThread worker, int max) {
        int moved = 0;
        int skippedCount = 0;
        TimerTask task;
        while (moved < max && (task = heap.poll()) != null) {
            if ((task.threadMask() & worker.bit) != 0) {
                worker.takeRunnable(task);
                moved++;
            } else {
                if (skippedCount == skipped.length) {
                    skipped = java.util.Arrays.copyOf(skipped, skippedCount * 2);
                }
                skipped[skippedCount++] = task;
            }
        }
        for (int i = 0; i < skippedCount; i++) {
            heap.add(skipped[i]);
            skipped[i] = null;
        }
        size = heap.size();
        return moved;
    }

    synchronized int size() {
        return heap.size();
    }

    synchronized void checkConsistency() {
        heap.checkConsistency();
    }
}
