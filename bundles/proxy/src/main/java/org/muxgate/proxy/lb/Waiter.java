package org.muxgate.proxy.lb;

/**
 * A request that may wait for a server slot: in a server's queue, when its key hashes
 * to a full server, or in the backend's queue, when every server is full. Each
 * request that connects through a balancer owns one, reused across its picks.
 *
 * <p>A queued request leaves its queue in one of three ways: a slot is handed to it
 * ({@link #takeAssigned} then returns the server, the slot already counted: a slot
 * given back goes straight to the oldest request instead of to whichever pick comes
 * first, so the queue is FIFO and nobody overtakes it); its server went down and it
 * must pick again ({@link #takeAssigned} returns null); or its owner leaves
 * ({@link LoadBalancer#leave}) at a timeout or as it ends. In the first two cases the
 * owner is woken, and until it calls {@link #takeAssigned} the request stays
 * {@link #isPending pending}.
 *
 * <p>Threads: the owner picks and reads its state on its own thread; the balancer
 * changes the state under its lock, from any thread, and then calls {@link #wake}.
 */
public abstract class Waiter {

    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int ASSIGNED = 2;
    private static final int REQUEUED = 3;

    /**
     * IDLE, QUEUED, ASSIGNED or REQUEUED (to pick again). Only the balancer, under its
     * lock, moves it from IDLE to QUEUED and from QUEUED to IDLE, ASSIGNED or
     * REQUEUED; only the owner moves it from ASSIGNED or REQUEUED to IDLE, in {@link
     * #takeAssigned}. Volatile: the owner reads it without the lock.
     */
    private volatile int state;
    /** The server handed over; written before {@link #state} becomes ASSIGNED. */
    private ServerState assigned;
    /** The server whose queue holds this request, null for the backend's queue. Guarded by the balancer's lock. */
    ServerState queuedOn;
    /** The rank of this request among all queued ones of its backend. Guarded by the balancer's lock. */
    long order;

    /**
     * Wakes the owner, whose request left its queue: with a slot, or to pick again.
     * Called under the balancer's lock from any thread: it must not block, nor call
     * the balancer.
     */
    protected abstract void wake();

    /** @return whether the request waits in a queue; the owner's thread */
    public final boolean isQueued() {
        return state == QUEUED;
    }

    /**
     * @return whether the request is queued or has left its queue without the owner
     *         taking the outcome yet: the owner is or will be woken. The owner's thread.
     */
    public final boolean isPending() {
        return state != IDLE;
    }

    /**
     * Takes the outcome of a request that left its queue, once; the owner's thread.
     *
     * @return the server whose slot was handed over, which the owner now holds and must
     *         release; null if the request must pick again, or is still queued, or was
     *         never queued
     */
    public final ServerState takeAssigned() {
        int current = state;
        if (current != ASSIGNED && current != REQUEUED) {
            return null;
        }
        ServerState server = assigned;
        assigned = null;
        state = IDLE;
        return server;
    }

    /** Under the balancer's lock. */
    final void enqueue(ServerState server, long rank) {
        queuedOn = server;
        order = rank;
        state = QUEUED;
    }

    /** Under the balancer's lock: the request is out of its queue, with a server's slot (the owner is woken). */
    final void assign(ServerState server) {
        queuedOn = null;
        assigned = server;
        state = ASSIGNED;
    }

    /** Under the balancer's lock: the request is out of its queue, to pick again (the owner is woken). */
    final void requeue() {
        queuedOn = null;
        state = REQUEUED;
    }

    /** Under the balancer's lock: the owner takes the request out of its queue. */
    final void leave() {
        queuedOn = null;
        state = IDLE;
    }
}
