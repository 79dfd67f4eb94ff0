package org.muxgate.proxy.lb;

import java.net.InetAddress;
import java.util.List;

import org.muxgate.proxy.config.Balance;

/**
 * Picks servers for a backend and queues the requests that find them full.
 * Thread-safe: any worker thread may call it concurrently.
 */
public interface LoadBalancer {

    /** The key of a request that has none: hashed algorithms fall back to round robin. */
    long NO_KEY = -1;

    /**
     * Picks a server for a new connection and takes a connection slot on it
     * ({@link ServerState#currentConnections()} is incremented), or queues the request.
     *
     * <p>Active servers are used while one of them is usable, else the backups. Servers
     * with a free slot (below maxconn, nobody queued for them) come first, and among
     * them any server but {@code avoid}. So {@code avoid} is returned only when it is
     * the only usable server or the only one with a free slot: HAProxy too prefers it
     * then to a saturated server. When every server of the tier is full, the request
     * waits in the backend's queue; a hashed algorithm queues it on the hashed server
     * when that one is full, within its {@code maxqueue}.
     *
     * @param now    the scheduler's clock in milliseconds, for slow starts
     * @param key    the request's key for a hashed algorithm ({@link #sourceKey} for
     *               {@code source}, a hash of the request's text for {@code uri} and
     *               {@code hdr}), as an unsigned 32-bit value; or {@link #NO_KEY}
     * @param avoid  the server of a failed attempt, for a redispatch, or null
     * @param waiter the request's waiter, not queued
     * @return the server; or null when the request was queued ({@code waiter.isPending()}:
     *         it may even have left its queue already) or when no server is usable (no active server usable and no backup usable)
     */
    ServerState pick(long now, long key, ServerState avoid, Waiter waiter);

    /**
     * Gives back a connection slot taken by pick or handed over by a queue (the
     * connection ended or its attempt failed): to the oldest request waiting for the
     * server, if any, else to the server.
     */
    void release(ServerState server);

    /**
     * Takes a queued request out of its queue (its queue timeout, or its end).
     *
     * @return false if it was not queued: then, if it was, it has a server to take
     *         ({@link Waiter#takeAssigned}) or must pick again
     */
    boolean leave(Waiter waiter);

    /**
     * A server's health, maintenance or weight changed. If it is no longer usable, the
     * requests in its own queue are woken to pick again, as HAProxy redistributes them;
     * if it is, its free slots go to the requests waiting.
     *
     * @param now the scheduler's clock in milliseconds
     * @return the requests taken out of the server's queue to pick again
     */
    int stateChanged(ServerState server, long now);

    /** @return the requests waiting in the backend's queue and its servers' queues */
    int queued();

    /** The servers in declaration order. */
    List<ServerState> servers();

    /** The key of {@code balance source}: for IPv4, the address as an unsigned number, HAProxy's key. */
    static long sourceKey(InetAddress client) {
        // For IPv6, InetAddress folds the 16 bytes into 32 bits where HAProxy XORs the
        // four 32-bit words: reading the bytes would copy them.
        return client == null ? NO_KEY : Integer.toUnsignedLong(client.hashCode());
    }

    /** A balancer over {@code servers} in declaration order; each server may appear once. */
    static LoadBalancer create(Balance balance, List<ServerState> servers) {
        int count = servers.size();
        boolean all = balance.allBackups();
        boolean avalanche = balance.hashType().avalanche();
        return switch (balance.algorithm()) {
            case ROUNDROBIN -> new Balancer(servers, false, new SmoothWeightedRoundRobin(count), all);
            case STATIC_RR -> new Balancer(servers, true, new SmoothWeightedRoundRobin(count), all);
            case LEASTCONN -> new Balancer(servers, false, new LeastConnections(count), all);
            case FIRST -> new Balancer(servers, false, new FirstAvailable(), all);
            case RANDOM -> new Balancer(servers, false, new WeightedRandom(balance.draws()), all);
            // Map-based hashing is static in HAProxy, and so is its round-robin fallback;
            // consistent hashing is dynamic.
            case SOURCE, URI, HDR -> balance.hashType().consistent()
                    ? new Balancer(servers, false,
                            new ConsistentHash(servers, avalanche, new SmoothWeightedRoundRobin(count)), all)
                    : new Balancer(servers, true, new MapBasedHash(avalanche, new SmoothWeightedRoundRobin(count)),
                            all);
        };
    }
}
