package org.muxgate.benchmarks;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.scheduler.Tasklet;
import org.muxgate.scheduler.core.ParkingPoller;
import org.muxgate.scheduler.core.TaskScheduler;

/**
 * A started Muxgate scheduler plus a driver tasklet on thread 0 that runs jobs
 * there while the calling (JMH) thread waits: the way to act on single-thread
 * tasks, whose wait queue only their own worker may touch.
 */
final class MuxWorker {

    final TaskScheduler scheduler;
    private final Tasklet driver;
    private final Waiter waiter = new Waiter();
    /** Written by the caller before the wakeup, which publishes it. */
    private Runnable job;

    MuxWorker(String name, int threads) {
        scheduler = new TaskScheduler(name, threads, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false,
                ParkingPoller.FACTORY);
        scheduler.start();
        driver = scheduler.newTasklet(0, this::drive, null);
    }

    private Schedulable drive(Schedulable self, Object context, int state) {
        try {
            job.run();
            waiter.complete();
        } catch (Throwable t) {
            waiter.fail(t);
        }
        return self;
    }

    /** Runs {@code job} on worker thread 0 and waits for it. */
    void run(Runnable job) {
        this.job = job;
        waiter.reset();
        driver.wakeup(TaskState.WOKEN_MSG);
        waiter.await();
    }

    void stop() {
        scheduler.stop();
    }
}
