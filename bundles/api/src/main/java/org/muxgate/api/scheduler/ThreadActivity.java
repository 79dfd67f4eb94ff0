package org.muxgate.api.scheduler;

/**
 * A snapshot of one worker thread's activity counters (what {@code show activity}
 * prints). Counters only grow; each is exact for the thread but the snapshot of
 * several counters is not taken atomically.
 *
 * @param thread         the worker thread's index
 * @param loops          loops started, the current one included
 * @param tasksRun       task and tasklet runs
 * @param runQueueLength tasks and tasklets waiting to run on the thread
 * @param pollNanos      time spent in the poller
 * @param sleeps         polls that could block (no work was pending)
 * @param wakeups        poller wakeups other threads sent because it slept
 */
public record ThreadActivity(int thread, long loops, long tasksRun, int runQueueLength,
        long pollNanos, long sleeps, long wakeups) {
}
