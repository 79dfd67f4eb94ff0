package org.muxgate.api.scheduler;

import java.util.List;

/**
 * The task scheduler: a set of worker threads, each running tasks and tasklets,
 * waking expired timers and polling I/O. Registered as an OSGi service by the
 * scheduler bundle.
 */
public interface Scheduler {

    /** @return the number of worker threads, 1 to 64 */
    int threadCount();

    /** @return the mask naming every worker thread */
    default long allThreads() {
        int n = threadCount();
        return n == 64 ? -1L : (1L << n) - 1;
    }

    /** @return the index of the calling worker thread, or -1 for any other thread */
    int currentThread();

    /**
     * @return the scheduler's clock in milliseconds: monotonic, the reference for
     *         expiry dates; a worker thread reads the date of its current loop
     */
    long now();

    /**
     * Creates a task, neither queued nor woken.
     *
     * @param threadMask the threads allowed to run it; {@link TaskState#SHARED_WQ}
     *                   is set when it names two or more
     * @param flags      persistent flags among {@link TaskState#PERSISTENT}
     * @throws IllegalArgumentException if the mask names no existing thread
     */
    Task newTask(long threadMask, int flags, TaskProcess process, Object context);

    /** Creates a task without flags: see {@link #newTask(long, int, TaskProcess, Object)}. */
    default Task newTask(long threadMask, TaskProcess process, Object context) {
        return newTask(threadMask, 0, process, context);
    }

    /**
     * Creates a tasklet bound to one thread, not woken.
     *
     * @param thread the worker thread, 0 to {@link #threadCount()} - 1
     * @param flags  persistent flags among {@link TaskState#USER_SETTABLE}
     */
    Tasklet newTasklet(int thread, int flags, TaskProcess process, Object context);

    /** Creates a tasklet without flags: see {@link #newTasklet(int, int, TaskProcess, Object)}. */
    default Tasklet newTasklet(int thread, TaskProcess process, Object context) {
        return newTasklet(thread, 0, process, context);
    }

    /** @return one activity snapshot per worker thread */
    List<ThreadActivity> activity();
}
