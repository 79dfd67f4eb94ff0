package org.muxgate.api.scheduler;

/**
 * The work a task or tasklet does each time it runs.
 *
 * <p>Called by the scheduler only, on a worker thread of the task's mask, never on
 * two threads at once for the same task, and with no scheduler lock held.
 */
@FunctionalInterface
public interface TaskProcess {

    /**
     * Runs the task once.
     *
     * @param task    the task being run
     * @param context the task's context at the moment it was picked; {@code null}
     *                when another party detached it (a taken-over connection), in
     *                which case the task should free itself
     * @param state   the state word as it was when the task was picked: the wake
     *                reasons ({@link TaskState#WOKEN_ANY}) and the persistent flags
     * @return {@code task} to keep it alive (it is then requeued in its wait queue
     *         if it has an expiry date), or {@code null} once it has freed itself
     *         with {@link Schedulable#free()}; the scheduler frees a task that
     *         returns {@code null} without having done so
     */
    Schedulable process(Schedulable task, Object context, int state);
}
