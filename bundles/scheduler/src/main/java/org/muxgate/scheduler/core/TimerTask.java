package org.muxgate.scheduler.core;

import static org.muxgate.api.scheduler.TaskState.KILLED;
import static org.muxgate.api.scheduler.TaskState.QUEUED;
import static org.muxgate.api.scheduler.TaskState.RUNNING;
import static org.muxgate.api.scheduler.TaskState.SHARED_WQ;

import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;

/**
 * A task with a thread mask, a nice value and an expiry date.
 *
 * <p>Wait queue placement: without {@link org.muxgate.api.scheduler.TaskState#SHARED_WQ}
 * the task is in its owner thread's wait queue and only that thread may touch
 * {@link #wqKey} and {@link #wqIndex}; with it, the task is in the shared wait queue
 * and those fields are guarded by that queue's lock. {@link #wqKey} is the date at
 * which the queue looks at the task again, which may be earlier than {@link #expire}:
 * pushing the expiry later costs nothing, the task is moved when its key is reached.
 */
final class TimerTask extends AbstractTask implements Task {

    /** Threads allowed to run the task; changed only by the task itself or at creation. */
    private volatile long threadMask;
    /** The only thread of the mask, or -1 when the mask names several. */
    private volatile int owner;
    /** Whether the creator asked for SHARED_WQ, which then survives an affinity change. */
    private final boolean sharedRequested;
    private volatile long expire = ETERNITY;
    private volatile int nice;

    /** Wait queue key, position and armed state: see the class comment for who may touch them. */
    long wqKey;
    int wqIndex = -1;
    /**
     * False once the timer was disarmed: the task may stay in the queue until its key is
     * due, and is dropped then. Disarming thus costs no queue operation, as pushing the
     * expiry later does not.
     */
    boolean armed;
    /** Run queue key and position: guarded like the run queue the task is in. */
    long rqKey;
    int rqIndex = -1;

    TimerTask(TaskScheduler scheduler, long threadMask, int flags, TaskProcess process, Object context) {
        super(scheduler, flags, process, context);
        this.sharedRequested = (flags & SHARED_WQ) != 0;
        applyMask(threadMask);
    }

    private void applyMask(long mask) {
        scheduler.checkMask(mask);
        this.threadMask = mask;
        boolean single = Long.bitCount(mask) == 1;
        this.owner = single ? Long.numberOfTrailingZeros(mask) : -1;
        if (!single || sharedRequested) {
            orState(SHARED_WQ);
        } else {
            andState(~SHARED_WQ);
        }
    }

    boolean usesSharedWaitQueue() {
        return (state() & SHARED_WQ) != 0;
    }

    /** @return the owner thread, or -1 for a task of several threads */
    int owner() {
        return owner;
    }

    @Override
    int runQueueOwner() {
        return owner;
    }

    @Override
    public long threadMask() {
        return threadMask;
    }

    @Override
    public void setAffinity(long mask) {
        boolean fromItself = scheduler.isRunningOnCurrentThread(this);
        if (!fromItself && !neverScheduled()) {
            throw new IllegalStateException("affinity may only change from the task itself or at its creation");
        }
        if (!fromItself) {
            // Never queued: in no wait queue, nothing to move.
            applyMask(mask);
            return;
        }
        removeFromWaitQueue();
        applyMask(mask);
        if (expire != ETERNITY && !usesSharedWaitQueue() && owner != scheduler.currentThread()) {
            // Its timer would have to go in another thread's wait queue, which this thread may not touch.
            throw new IllegalStateException("a task moving to another thread with a timer needs SHARED_WQ");
        }
        queue();
    }

    private boolean neverScheduled() {
        return (state() & (QUEUED | RUNNING | KILLED)) == 0 && calls == 0 && wqIndex < 0;
    }

    @Override
    public long expire() {
        return expire;
    }

    @Override
    public void setExpire(long date) {
        this.expire = date;
    }

    @Override
    public void queue() {
        if (expire == ETERNITY) {
            return;
        }
        if (usesSharedWaitQueue()) {
            scheduler.sharedWaitQueue.queue(this);
        } else {
            scheduler.ownerOf(this).waitQueue.arm(this);
        }
    }

    @Override
    public void schedule(long date) {
        if (usesSharedWaitQueue()) {
            scheduler.sharedWaitQueue.schedule(this, date);
        } else {
            WorkerThread thread = scheduler.ownerOf(this);
            expire = earliestArmedOr(date);
            thread.waitQueue.arm(this);
        }
    }

    /**
     * The expiry {@link #schedule(long)} sets: the earliest of {@code date} and the
     * current expiry if the timer is armed, else {@code date}. The caller may touch
     * the task's wait queue.
     */
    long earliestArmedOr(long date) {
        return armed && wqIndex >= 0 ? Math.min(expire, date) : date;
    }

    @Override
    public void unlinkWaitQueue() {
        if (usesSharedWaitQueue()) {
            scheduler.sharedWaitQueue.disarm(this);
        } else {
            WorkerThread thread = scheduler.ownerOf(this);
            if (wqIndex >= 0) {
                thread.waitQueue.disarm(this);
            }
        }
    }

    /**
     * Takes the task out of its wait queue now, rather than lazily as {@link
     * #unlinkWaitQueue()} does: before it changes queues, or as it is freed. The
     * caller may touch that queue (see the class comment).
     */
    private void removeFromWaitQueue() {
        if (usesSharedWaitQueue()) {
            scheduler.sharedWaitQueue.remove(this);
        } else if (wqIndex >= 0) {
            scheduler.ownerOf(this).waitQueue.remove(this);
        }
    }

    @Override
    void checkMayUnlink() {
        if (!usesSharedWaitQueue() && wqIndex >= 0) {
            scheduler.ownerOf(this);
        }
    }

    @Override
    void unlinkOnFree() {
        removeFromWaitQueue();
    }

    @Override
    void armAfterRun() {
        queue();
    }

    @Override
    public int nice() {
        return nice;
    }

    @Override
    public void setNice(int nice) {
        if (nice < NICE_MIN || nice > NICE_MAX) {
            throw new IllegalArgumentException("nice out of " + NICE_MIN + ".." + NICE_MAX + ": " + nice);
        }
        this.nice = nice;
    }

    /** The run queue key for a task entering a run queue whose insertion counter is at {@code ticks}. */
    long runQueueKey(long ticks) {
        // A nice unit is worth 32 insertions: -1024 gets ahead of the next 32768 tasks.
        return ticks + 32L * nice;
    }

    @Override
    public String toString() {
        return "task[mask=0x" + Long.toHexString(threadMask) + ", " + process.getClass().getName() + "]";
    }
}
