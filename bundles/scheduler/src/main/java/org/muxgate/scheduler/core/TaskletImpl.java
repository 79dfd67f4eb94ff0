package org.muxgate.scheduler.core;

import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.Tasklet;

/** A tasklet: always on {@link #thread}, no timer, never in a run queue heap. */
final class TaskletImpl extends AbstractTask implements Tasklet {

    private final int thread;

    TaskletImpl(TaskScheduler scheduler, int thread, int flags, TaskProcess process, Object context) {
        super(scheduler, flags, process, context);
        this.thread = thread;
    }

    @Override
    public int thread() {
        return thread;
    }

    @Override
    int runQueueOwner() {
        return thread;
    }

    @Override
    void checkMayUnlink() {
        // In no wait queue: anyone may free it.
    }

    @Override
    void unlinkOnFree() {
        // A tasklet is in no wait queue; if it is still in a list, its thread drops it when picked.
    }

    @Override
    void armAfterRun() {
        // No timer.
    }

    @Override
    public String toString() {
        return "tasklet@" + thread + "[" + process.getClass().getName() + "]";
    }
}
