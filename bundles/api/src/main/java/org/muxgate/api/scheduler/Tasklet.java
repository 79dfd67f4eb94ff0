package org.muxgate.api.scheduler;

/**
 * A light task bound to one thread, with no timer: what a connection's I/O
 * handler is. Woken from any thread; a wakeup from another thread goes through
 * the lock-free inbox of the tasklet's thread.
 */
public interface Tasklet extends Schedulable {

    /** @return the worker thread (0-based) the tasklet runs on */
    int thread();
}
