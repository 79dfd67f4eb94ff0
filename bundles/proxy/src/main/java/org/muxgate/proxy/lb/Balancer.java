package org.muxgate.proxy.lb;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link LoadBalancer}: the rules shared by all algorithms ({@link Candidates})
 * followed by one algorithm's choice ({@link Strategy}), and the queues of requests
 * that found their servers full.
 *
 * <p>Locking: like HAProxy's {@code lbprm.lock}, one lock per backend protects the
 * balancing state (the snapshot, the strategy's counters) and here the queues too
 * (the backend's and each server's), held for bookkeeping only: a few passes over the
 * server array, with no I/O and no allocation but a queue's occasional growth. A plain
 * monitor is used rather than a {@code ReentrantLock} because a contended monitor
 * allocates nothing on the Java heap while the latter allocates a queue node per
 * waiting thread. Taking a slot inside the lock is what keeps two concurrent picks
 * from both taking a server's last slot.
 *
 * <p>Releases take no lock while nothing is queued: a release frees the slot, then
 * reads {@link #waiting}; a request that queues counts itself in {@link #waiting},
 * then looks for free slots, under the lock. Both are sequentially consistent atomic
 * operations, so at least one of the two sees the other, and the slot is never left
 * free while the request waits.
 */
final class Balancer implements LoadBalancer {

    private final List<ServerState> servers;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Candidates candidates;
    /** Guarded by {@link #lock}. */
    private final Strategy strategy;
    /**
     * Among backups, HAProxy sends everything to the first usable one, unless
     * {@code option allbackups} shares the load among all of them by the backend's
     * algorithm. Guarded by {@link #lock}.
     */
    private final Strategy backups;
    /** The requests any server of the tier may take, oldest first. Guarded by {@link #lock}. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** The requests in {@link #queue} and in the servers' queues; changed under the lock. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** The rank given to the next queued request. Guarded by {@link #lock}. */
    private long nextOrder;
    /** The clock of the last pick or state change, for the slow starts of a lock-free release. Guarded by {@link #lock}. */
    private long now;

    Balancer(List<ServerState> servers, boolean startupWeights, Strategy strategy, boolean allBackups) {
        this.servers = List.copyOf(servers);
        Set<ServerState> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ServerState server : this.servers) {
            if (!seen.add(server)) {
                throw new IllegalArgumentException("server '" + server.name() + "' is listed twice");
            }
        }
        this.candidates = new Candidates(this.servers, startupWeights);
        this.strategy = strategy;
        this.backups = allBackups ? strategy : new FirstAvailable();
    }

    @Override
    public ServerState pick(long now, long key, ServerState avoid, Waiter waiter) {
        synchronized (lock) {
            this.now = now;
            // Slots that no release handed over (a slow start's ramp grew maxconn) go to
            // the requests waiting before this one.
            serveQueues(null);
            if (!candidates.select(now, avoid)) {
                return null;
            }
            Strategy choice = candidates.onBackups() ? backups : strategy;
            int index = choice.choose(candidates, key);
            ServerState server = candidates.server(index);
            if (candidates.free(index)) {
                server.takeSlot();
                return server;
            }
            ServerState queuedOn = choice.sticky(key) && candidates.queueRoom(index) ? server : null;
            waiter.enqueue(queuedOn, nextOrder++);
            (queuedOn == null ? queue : queuedOn.queue).addLast(waiter);
            waiting.incrementAndGet();
            // A slot given back since the snapshot, without the lock, may be free now.
            serveQueues(waiter);
            return waiter.takeAssigned();
        }
    }

    @Override
    public void release(ServerState server) {
        if (waiting.get() == 0) {
            server.releaseSlot();
            if (waiting.get() != 0) {
                synchronized (lock) {
                    serveQueues(null);
                }
            }
            return;
        }
        synchronized (lock) {
            Waiter next = server.isUsable() ? oldestFor(server) : null;
            if (next != null) {
                handOver(next, server, null);
            } else {
                // Down, or outside the tier: the slot goes back to the server. The servers
                // that may serve the waiting requests have no free slot, or the requests
                // would have been handed one.
                server.releaseSlot();
            }
        }
    }

    @Override
    public boolean leave(Waiter waiter) {
        synchronized (lock) {
            if (!waiter.isQueued()) {
                return false;
            }
            ServerState server = waiter.queuedOn;
            (server == null ? queue : server.queue).remove(waiter);
            waiting.decrementAndGet();
            waiter.leave();
            return true;
        }
    }

    @Override
    public int stateChanged(ServerState server, long now) {
        synchronized (lock) {
            this.now = now;
            int requeued = 0;
            if (!server.isUsable()) {
                for (Waiter waiter = server.queue.pollFirst(); waiter != null; waiter = server.queue.pollFirst()) {
                    waiting.decrementAndGet();
                    waiter.requeue();
                    waiter.wake();
                    requeued++;
                }
            }
            serveQueues(null);
            return requeued;
        }
    }

    @Override
    public int queued() {
        return waiting.get();
    }

    @Override
    public List<ServerState> servers() {
        return servers;
    }

    /**
     * Gives the free slots of every server that may serve to the oldest requests it may
     * take. Under {@link #lock}.
     *
     * @param self the request being queued by the caller, which needs no wake-up, or null
     */
    private void serveQueues(Waiter self) {
        if (waiting.get() == 0) {
            return;
        }
        for (ServerState server : servers) {
            if (!server.isUsable()) {
                continue;
            }
            Waiter next;
            while (server.hasFreeSlot(server.currentConnections(), now) && (next = oldestFor(server)) != null) {
                server.takeSlot();
                handOver(next, server, self);
            }
        }
    }

    /**
     * The oldest request {@code server} may take: the head of its own queue, or of the
     * backend's if older and the server is of the tier in use (the active servers while
     * one is usable, else the backups). Under {@link #lock}; the server is usable.
     */
    private Waiter oldestFor(ServerState server) {
        Waiter own = server.queue.peekFirst();
        Waiter shared = queue.isEmpty() || server.isBackup() != noActiveUsable() ? null : queue.peekFirst();
        if (own == null) {
            return shared;
        }
        return shared != null && shared.order < own.order ? shared : own;
    }

    private boolean noActiveUsable() {
        for (ServerState server : servers) {
            if (!server.isBackup() && server.isUsable()) {
                return false;
            }
        }
        return true;
    }

    /** Hands {@code server}'s slot, already counted, to the head of its queue. Under {@link #lock}. */
    private void handOver(Waiter waiter, ServerState server, Waiter self) {
        ServerState queuedOn = waiter.queuedOn;
        (queuedOn == null ? queue : queuedOn.queue).pollFirst();
        waiting.decrementAndGet();
        waiter.assign(server);
        if (waiter != self) {
            waiter.wake();
        }
    }
}
