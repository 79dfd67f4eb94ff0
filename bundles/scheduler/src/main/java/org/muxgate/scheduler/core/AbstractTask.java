package org.muxgate.scheduler.core;

import static org.muxgate.api.scheduler.TaskState.KILLED;
import static org.muxgate.api.scheduler.TaskState.PERSISTENT;
import static org.muxgate.api.scheduler.TaskState.QUEUED;
import static org.muxgate.api.scheduler.TaskState.RUNNING;
import static org.muxgate.api.scheduler.TaskState.SELF_WAKING;
import static org.muxgate.api.scheduler.TaskState.USER_SETTABLE;
import static org.muxgate.api.scheduler.TaskState.WOKEN_ANY;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskProcess;

/**
 * What tasks and tasklets share: the state word and the wakeup protocol.
 *
 * <p>The state word is the only synchronization between threads. Whoever sets
 * {@code QUEUED} (a CAS from a state without RUNNING or QUEUED) owns putting the
 * task in a queue, exactly once; the thread that picks it clears QUEUED and sets
 * RUNNING in one CAS. A wakeup that finds RUNNING or QUEUED only adds its reason,
 * and the runner requeues the task after the run if a reason arrived meanwhile.
 * Hence no wakeup is lost and a task never runs on two threads at once.
 */
abstract class AbstractTask implements Schedulable {

    /** Internal state bit: freed for good, every later wakeup is ignored. */
    static final int FREED = 1 << 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AbstractTask.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final TaskScheduler scheduler;
    final TaskProcess process;
    private volatile Object context;
    private volatile int state;

    /**
     * The link in the one inbox or tasklet list the task is in while QUEUED. Written
     * by the thread that queues the task before it publishes it (inbox CAS), then
     * only by the owning thread.
     */
    AbstractTask next;

    /** Counters, written by the thread running the task (runs are ordered by the state CAS). */
    long calls;
    long cpuNanos;
    long latencyNanos;
    /** System.nanoTime() of the wakeup that queued the task, when profiling. */
    long wokenAt;

    AbstractTask(TaskScheduler scheduler, int flags, TaskProcess process, Object context) {
        if ((flags & ~PERSISTENT) != 0) {
            throw new IllegalArgumentException("not persistent task flags: 0x" + Integer.toHexString(flags));
        }
        this.scheduler = scheduler;
        this.process = process;
        this.context = context;
        this.state = flags;
    }

    /** @return the thread that owns this task's run queue entry, or -1 for the shared run queue */
    abstract int runQueueOwner();

    @Override
    public final void wakeup(int reason) {
        post(reason & WOKEN_ANY);
    }

    @Override
    public final void kill() {
        // Its own thread unlinks it when it picks it: only that thread may touch a local wait queue.
        post(KILLED);
    }

    /**
     * Adds {@code bits} to the state word and, if the task is neither running nor
     * queued, marks it QUEUED and queues it. Any thread. No effect once killed or freed.
     */
    private void post(int bits) {
        int s = state;
        for (;;) {
            if ((s & (KILLED | FREED)) != 0) {
                return;
            }
            boolean mustQueue = (s & (RUNNING | QUEUED)) == 0;
            int n = s | bits | (mustQueue ? QUEUED : 0);
            if ((s & (RUNNING | SELF_WAKING)) == RUNNING && (bits & WOKEN_ANY) != 0
                    && this instanceof TaskletImpl && scheduler.isRunningOnCurrentThread(this)) {
                // A tasklet that wakes itself works in slices: from now on it runs in the bulk class.
                n |= SELF_WAKING;
            }
            if (n == s) {
                return;
            }
            int witness = (int) STATE.compareAndExchange(this, s, n);
            if (witness == s) {
                if (mustQueue) {
                    scheduler.enqueue(this);
                }
                return;
            }
            s = witness;
        }
    }

    @Override
    public final void free() {
        checkMayUnlink();
        int s = (int) STATE.getAndBitwiseOr(this, FREED);
        if ((s & FREED) == 0) {
            unlinkOnFree();
            context = null;
        }
    }

    /** Throws, before anything changes, if the caller may not unlink the task from its wait queue. */
    abstract void checkMayUnlink();

    /** Unlinks the task from its wait queue, if any, as it is freed. */
    abstract void unlinkOnFree();

    @Override
    public final int state() {
        return state & ~FREED;
    }

    final boolean isFreed() {
        return (state & FREED) != 0;
    }

    @Override
    public final Object context() {
        return context;
    }

    @Override
    public final void setContext(Object context) {
        this.context = context;
    }

    @Override
    public final void setFlags(int flags) {
        checkUserSettable(flags);
        STATE.getAndBitwiseOr(this, flags);
    }

    @Override
    public final void clearFlags(int flags) {
        checkUserSettable(flags);
        STATE.getAndBitwiseAnd(this, ~flags);
    }

    private static void checkUserSettable(int flags) {
        if ((flags & ~USER_SETTABLE) != 0) {
            throw new IllegalArgumentException("flags not settable by users: 0x" + Integer.toHexString(flags));
        }
    }

    final void orState(int bits) {
        STATE.getAndBitwiseOr(this, bits);
    }

    final void andState(int bits) {
        STATE.getAndBitwiseAnd(this, bits);
    }

    @Override
    public final long calls() {
        return calls;
    }

    @Override
    public final long cpuNanos() {
        return cpuNanos;
    }

    @Override
    public final long latencyNanos() {
        return latencyNanos;
    }

    /**
     * Called by the worker thread that took the task out of a queue: clears QUEUED
     * and the wake reasons and sets RUNNING.
     *
     * @return the state before, with its wake reasons; or a state with FREED or
     *         KILLED set, in which case the task is not RUNNING and must not run
     */
    final int claim() {
        int s = state;
        for (;;) {
            int n = (s & (KILLED | FREED)) != 0 ? s & ~QUEUED : (s & (PERSISTENT | KILLED)) | RUNNING;
            int witness = (int) STATE.compareAndExchange(this, s, n);
            if (witness == s) {
                return s;
            }
            s = witness;
        }
    }

    /**
     * Called by the runner after a run that kept the task: clears RUNNING, then
     * requeues the task if it was woken meanwhile, destroys it if it was killed,
     * else lets it wait for its timer.
     */
    final void release() {
        int s = (int) STATE.getAndBitwiseAnd(this, ~RUNNING) & ~RUNNING;
        if ((s & FREED) != 0) {
            return;
        }
        if ((s & KILLED) != 0) {
            free();
            return;
        }
        if ((s & WOKEN_ANY) != 0) {
            requeue(s);
        } else {
            armAfterRun();
        }
    }

    /** Queues the task again after a run during which it was woken, unless someone else did. */
    private void requeue(int s) {
        for (;;) {
            // Another thread may have queued and run the task meanwhile, consuming the reasons.
            if ((s & (QUEUED | RUNNING | KILLED | FREED)) != 0 || (s & WOKEN_ANY) == 0) {
                return;
            }
            int witness = (int) STATE.compareAndExchange(this, s, s | QUEUED);
            if (witness == s) {
                scheduler.enqueue(this);
                return;
            }
            s = witness;
        }
    }

    /** After a run that kept the task and did not wake it: arms its timer, if it has one. */
    abstract void armAfterRun();
}
