package org.muxgate.scheduler.core;

import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskState;

/**
 * The wait queue of the tasks carrying {@link TaskState#SHARED_WQ}: tasks of
 * several threads, and tasks whose expiry other threads change (seed 003: a
 * health check shortened by a traffic thread while it runs on another). Every
 * operation holds this object's monitor; any worker thread wakes its expired tasks,
 * and the wakeup routes each to a thread of its mask.
 */
final class SharedWaitQueue {

    private final TaskScheduler scheduler;
    /** Guarded by this. */
    private final TaskHeap.WaitQueue heap = new TaskHeap.WaitQueue();
    /** The first key of the heap, readable without the lock; written under it. */
    private volatile long nextKey = Task.ETERNITY;

    SharedWaitQueue(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Any thread, without the lock: the earliest date at which a task may be due. */
    long nextKey() {
        return nextKey;
    }

    /** Any thread: arms the task's timer at its expiry. */
    void queue(TimerTask task) {
        long wake;
        synchronized (this) {
            heap.arm(task);
            wake = published();
        }
        wakeSleeperIfEarlier(wake);
    }

    /** Any thread: expiry becomes the earliest of the current one and {@code date}, timer armed. */
    void schedule(TimerTask task, long date) {
        long wake;
        synchronized (this) {
            task.setExpire(task.earliestArmedOr(date));
            heap.arm(task);
            wake = published();
        }
        wakeSleeperIfEarlier(wake);
    }

    /** Any thread: disarms the task's timer, leaving it in the queue until its key is due. */
    synchronized void disarm(TimerTask task) {
        task.armed = false;
    }

    /** Any thread: takes the task out of the queue now. */
    synchronized void remove(TimerTask task) {
        if (task.wqIndex >= 0) {
            heap.remove(task);
            published();
        }
    }

    /** A worker thread: wakes every task whose expiry is reached at {@code now}. */
    void wakeExpired(long now) {
        synchronized (this) {
            TimerTask task;
            while ((task = heap.pollExpired(now)) != null) {
                task.wakeup(TaskState.WOKEN_TIMER);
            }
            published();
        }
    }

    /**
     * Publishes the heap's first key. Caller holds the lock.
     *
     * @return the new first key if it moved earlier, else {@link Task#ETERNITY}
     */
    private long published() {
        long before = nextKey;
        long first = heap.peekKey();
        if (first != before) {
            nextKey = first;
        }
        return first < before ? first : Task.ETERNITY;
    }

    /**
     * A worker computes its poll timeout from {@link #nextKey} after announcing that it
     * sleeps; a task that became the first one may thus be missed by a sleeper only
     * if it sees the announcement, and then wakes it here.
     */
    private void wakeSleeperIfEarlier(long newFirst) {
        if (newFirst != Task.ETERNITY) {
            // Even when the caller is a worker: it may stay busy past the new date.
            scheduler.wakeOneSleeper(scheduler.allThreads(), false);
        }
    }

    /** @return the tasks in the queue whose timer is armed (not lazily disarmed) */
    synchronized int armedCount() {
        int armed = 0;
        for (int i = 0; i < heap.size(); i++) {
            if (heap.at(i).armed) {
                armed++;
            }
        }
        return armed;
    }

    synchronized void checkConsistency() {
        heap.checkConsistency();
        for (int i = 0; i < heap.size(); i++) {
            TimerTask task = heap.at(i);
            if (!task.usesSharedWaitQueue()) {
                throw new IllegalStateException(task + " is in the shared wait queue without SHARED_WQ");
            }
        }
        if (nextKey != heap.peekKey()) {
            throw new IllegalStateException("published first key " + nextKey + " != " + heap.peekKey());
        }
    }
}
