package org.muxgate.scheduler.core;

import java.util.concurrent.locks.LockSupport;

import org.muxgate.api.scheduler.Poller;
import org.muxgate.api.scheduler.PollerFactory;

/**
 * The poller of a scheduler without I/O: the worker thread parks until its timeout
 * or a wakeup. An unpark before the park is kept as a permit, so no wakeup is lost.
 */
public final class ParkingPoller implements Poller {

    /** Creates a parking poller for the calling worker thread. */
    public static final PollerFactory FACTORY = thread -> new ParkingPoller(Thread.currentThread());

    private final Thread thread;

    private ParkingPoller(Thread thread) {
        this.thread = thread;
    }

    @Override
    public void poll(long timeoutMillis) {
        if (timeoutMillis == FOREVER) {
            LockSupport.park(this);
        } else if (timeoutMillis > 0) {
            LockSupport.parkNanos(this, timeoutMillis * 1_000_000L);
        }
    }

    @Override
    public void wakeup() {
        LockSupport.unpark(thread);
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
