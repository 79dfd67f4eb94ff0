package org.muxgate.api.scheduler;

/**
 * What a worker thread sleeps in between two loops: an I/O poller (an NIO
 * selector) or, without one, a plain parking poller. One per worker thread.
 */
public interface Poller {

    /** The timeout of a poll that waits until {@link #wakeup()}. */
    long FOREVER = Long.MAX_VALUE;

    /**
     * Waits for I/O readiness at most {@code timeoutMillis} and wakes the tasklets
     * subscribed to what is ready. Called only by the poller's own worker thread.
     *
     * @param timeoutMillis 0 to only collect what is ready now, {@link #FOREVER}
     *                      to wait until woken
     */
    void poll(long timeoutMillis);

    /**
     * Makes the current or the next {@link #poll} return at once. Any thread. The
     * scheduler calls it only when the worker thread is sleeping or about to.
     */
    void wakeup();

    /** Releases the poller's resources. Called by its worker thread as it ends. */
    void close();
}
