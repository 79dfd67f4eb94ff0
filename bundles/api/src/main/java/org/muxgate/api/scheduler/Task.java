package org.muxgate.api.scheduler;

/**
 * A task: may run on any thread of its mask, and has an expiry date that puts it
 * in a wait queue (a timer).
 *
 * <p>Wait queues: a task whose mask names one thread and which lacks
 * {@link TaskState#SHARED_WQ} is in its thread's wait queue, which only that
 * thread touches; calling {@link #queue()}, {@link #schedule(long)} or
 * {@link #unlinkWaitQueue()} from another thread is a bug and throws
 * {@link IllegalStateException}. Other tasks are in the shared wait queue, under
 * its lock, and any thread may change their expiry.
 */
public interface Task extends Schedulable {

    /** The expiry of a task that has none. */
    long ETERNITY = Long.MAX_VALUE;

    /** The lowest nice value: runs before everything else in the run queue. */
    int NICE_MIN = -1024;
    /** The highest nice value: lets everything else run first. */
    int NICE_MAX = 1024;

    /** @return the threads allowed to run the task, one bit per thread */
    long threadMask();

    /**
     * Changes the threads allowed to run the task. Only from the task's own process
     * callback, or before it was first woken or queued.
     *
     * @throws IllegalStateException from anywhere else
     * @throws IllegalArgumentException if the mask names no existing thread
     */
    void setAffinity(long threadMask);

    /** @return the expiry date in scheduler milliseconds, or {@link #ETERNITY} */
    long expire();

    /**
     * Sets the expiry date without touching the wait queue: call {@link #queue()} to
     * arm it, or return from the process callback (which queues it). Pushing the
     * date later needs no queue operation at all: the task keeps its place and is
     * repositioned when that place is reached.
     */
    void setExpire(long date);

    /**
     * Arms the timer: puts the task in its wait queue at its expiry date, or moves it
     * earlier. Does nothing when the expiry is {@link #ETERNITY}.
     */
    void queue();

    /**
     * Ensures the task is woken no later than {@code date}: if its timer is armed, the
     * expiry becomes the earliest of the current one and {@code date}; otherwise it
     * becomes {@code date}; then the timer is armed. This is how another thread
     * shortens a shared task's timeout.
     */
    void schedule(long date);

    /**
     * Disarms the timer: the task will not be woken by its expiry date, which stays as
     * it was. Costs no queue operation: the task leaves the queue when its place is
     * reached, or when it is freed.
     */
    void unlinkWaitQueue();

    /** @return the nice value, from {@link #NICE_MIN} to {@link #NICE_MAX} */
    int nice();

    /**
     * Sets the nice value used the next time the task enters a run queue: lower runs
     * earlier.
     *
     * @throws IllegalArgumentException out of {@link #NICE_MIN}..{@link #NICE_MAX}
     */
    void setNice(int nice);
}
