package org.muxgate.api.scheduler;

/**
 * Creates the poller of each worker thread. A transport bundle registers one as a
 * service to plug its I/O poller into the scheduler's loop.
 */
@FunctionalInterface
public interface PollerFactory {

    /**
     * Creates the poller of a worker thread. Called on that thread as it starts.
     *
     * @param thread the worker thread's index, from 0
     */
    Poller newPoller(int thread);
}
