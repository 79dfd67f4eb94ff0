package org.muxgate.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How the JMH thread waits for work it handed to another thread: it parks (so it
 * leaves the CPU to the threads under test) until {@link #complete()} unparks it.
 * Every implementation is measured with this same handoff. Reusable: {@link #reset()}
 * before each handoff, from the waiting thread.
 */
final class Waiter {

    /** Long enough for any batch; a benchmark that stalls fails instead of hanging. */
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private volatile boolean done;
    private volatile Thread waiter;
    private volatile Throwable failure;

    /** The waiting thread, before it hands the work over. */
    void reset() {
        failure = null;
        done = false;
        waiter = Thread.currentThread();
    }

    /** The worker, once the work is done. */
    void complete() {
        done = true;
        LockSupport.unpark(waiter);
    }

    /** The worker, when the work threw. */
    void fail(Throwable t) {
        failure = t;
        complete();
    }

    /** The waiting thread: parks until {@link #complete()}. */
    void await() {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!done) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("work handed to another thread did not complete in time");
            }
            LockSupport.parkNanos(this, left);
        }
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("work failed on its thread", t);
        }
    }
}
