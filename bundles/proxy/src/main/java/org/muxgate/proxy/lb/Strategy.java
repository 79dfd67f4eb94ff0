package org.muxgate.proxy.lb;

/**
 * The part of an algorithm that differs from one algorithm to another: choosing one
 * server among the eligible ones of a pick. The rules shared by all algorithms
 * (usable servers, backups, maxconn, queues, the server to avoid) are applied before,
 * by {@link Candidates}.
 *
 * <p>Called only under the balancer's lock, so implementations keep their state in
 * plain fields; they must not allocate.
 */
interface Strategy {

    /**
     * @param candidates the snapshot of this pick, with at least one eligible server
     * @param key        the request's key for a hashed algorithm, or {@link LoadBalancer#NO_KEY}
     * @return the index of an eligible server; a hashed algorithm may instead return the
     *         server the key hashes to when it is full and its queue has room
     *         ({@link Candidates#queueRoom}), for the request to wait there
     */
    int choose(Candidates candidates, long key);

    /** Whether a request of this key waits for the server chosen rather than for any server. */
    default boolean sticky(long key) {
        return false;
    }
}
