package org.muxgate.api.scheduler;

/**
 * The bits of a task's state word, as passed to {@link TaskProcess#process} and
 * returned by {@link Schedulable#state()}.
 *
 * <p>Three groups: scheduler bits the scheduler alone sets ({@link #RUNNING},
 * {@link #QUEUED}, {@link #KILLED}); wake reasons, accumulated by wakeups and
 * cleared each time the task is picked; persistent flags, set at creation or
 * by their owner, which survive runs.
 */
public final class TaskState {

    private TaskState() {
    }

    /** The task is being run by a worker thread. */
    public static final int RUNNING = 1;
    /** The task is in a run queue, an inbox or a tasklet list: it will run. */
    public static final int QUEUED = 1 << 1;
    /** The task was killed: it will never run again and is unlinked by its thread. */
    public static final int KILLED = 1 << 2;

    /** Woken for the first time after its creation. */
    public static final int WOKEN_INIT = 1 << 8;
    /** Woken because its expiry date was reached. */
    public static final int WOKEN_TIMER = 1 << 9;
    /** Woken by I/O readiness. */
    public static final int WOKEN_IO = 1 << 10;
    /** Woken by a signal. */
    public static final int WOKEN_SIGNAL = 1 << 11;
    /** Woken because a message is waiting for it. */
    public static final int WOKEN_MSG = 1 << 12;
    /** Woken because a resource it waited for became available. */
    public static final int WOKEN_RES = 1 << 13;
    /** Woken for any other reason. */
    public static final int WOKEN_OTHER = 1 << 14;
    /** Any wake reason. */
    public static final int WOKEN_ANY = WOKEN_INIT | WOKEN_TIMER | WOKEN_IO | WOKEN_SIGNAL
            | WOKEN_MSG | WOKEN_RES | WOKEN_OTHER;

    /**
     * The task's expiry may be changed by threads other than the one running it,
     * so it lives in the shared wait queue, under that queue's lock. Set
     * automatically for a task whose mask has two or more threads.
     */
    public static final int SHARED_WQ = 1 << 16;
    /** The task wakes itself to work in small slices: it runs in the bulk class. */
    public static final int SELF_WAKING = 1 << 17;
    /** The task does expensive work (a TLS handshake): at most one runs per loop. */
    public static final int HEAVY = 1 << 18;
    /** First user flag: its meaning belongs to the task's creator. */
    public static final int USR1 = 1 << 20;
    /** Second user flag. */
    public static final int USR2 = 1 << 21;
    /** Third user flag. */
    public static final int USR3 = 1 << 22;

    /** The flags a creator or the task itself may set and clear. */
    public static final int USER_SETTABLE = SELF_WAKING | HEAVY | USR1 | USR2 | USR3;
    /** The flags that survive a run. */
    public static final int PERSISTENT = SHARED_WQ | USER_SETTABLE;
}
