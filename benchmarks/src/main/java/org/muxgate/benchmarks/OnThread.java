package org.muxgate.benchmarks;

import java.util.concurrent.Executor;

/**
 * Runs a job on an executor's thread (a Netty event loop, a single-thread
 * ScheduledThreadPoolExecutor) while the calling thread waits, with the same
 * {@link Waiter} handoff as {@link MuxWorker}. Reusable, one job at a time.
 */
final class OnThread implements Runnable {

    private final Executor executor;
    private final Waiter waiter = new Waiter();
    /** Written by the caller before execute(), which publishes it. */
    private Runnable job;

    OnThread(Executor executor) {
        this.executor = executor;
    }

    /** Runs {@code job} on the executor's thread and waits for it. */
    void run(Runnable job) {
        this.job = job;
        waiter.reset();
        executor.execute(this);
        waiter.await();
    }

    @Override
    public void run() {
        try {
            job.run();
            waiter.complete();
        } catch (Throwable t) {
            waiter.fail(t);
        }
    }
}
