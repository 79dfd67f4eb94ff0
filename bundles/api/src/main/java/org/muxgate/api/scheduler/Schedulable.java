package org.muxgate.api.scheduler;

/**
 * What tasks and tasklets have in common: a process callback, a context, a state
 * word, and counters. Instances come from a {@link Scheduler}.
 */
public interface Schedulable {

    /**
     * Makes the task runnable for {@code reason}. Any thread may call it. If the task
     * is running, the reason is recorded and the task runs again after it returns;
     * if it is already queued, the reason is added. A wakeup is never lost and never
     * makes the task run twice at once. No effect on a killed or freed task.
     *
     * @param reason one or more {@code TaskState.WOKEN_*} bits
     */
    void wakeup(int reason);

    /**
     * Kills the task from any thread: it will never run again, and the thread that
     * owns its queues unlinks it. A task that is running finishes its current run.
     */
    void kill();

    /**
     * Releases the task for good: unlinks it from its queues and ignores later
     * wakeups. Only from the task's own process callback, or by its owner while it
     * is neither queued nor running.
     */
    void free();

    /** @return the state word: see {@link TaskState} */
    int state();

    /** @return the context passed to the process callback */
    Object context();

    /**
     * Replaces the context. The next run sees the new value; a {@code null}
     * context tells the task it lost its object (see {@link TaskProcess#process}).
     */
    void setContext(Object context);

    /**
     * Sets persistent flags atomically, from any thread.
     *
     * @param flags bits among {@link TaskState#USER_SETTABLE}
     * @throws IllegalArgumentException for any other bit
     */
    void setFlags(int flags);

    /**
     * Clears persistent flags atomically, from any thread.
     *
     * @param flags bits among {@link TaskState#USER_SETTABLE}
     * @throws IllegalArgumentException for any other bit
     */
    void clearFlags(int flags);

    /** @return how many times the task has run */
    long calls();

    /** @return CPU time spent in the process callback, in ns (0 unless profiling) */
    long cpuNanos();

    /** @return total time between wakeups and the runs they caused, in ns (0 unless profiling) */
    long latencyNanos();
}
