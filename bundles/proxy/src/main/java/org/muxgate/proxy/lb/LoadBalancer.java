package org.muxgate.proxy.lb;

import java.net.InetAddress;
import java.util.List;

import org.muxgate.proxy.config.BalanceAlgorithm;

/** Picks servers for a backend. Thread-safe: any worker thread may call it concurrently. */
public interface LoadBalancer {

    /**
     * Picks a server for a new connection and takes a connection slot on it
     * ({@link ServerState#currentConnections()} is incremented).
     *
     * <p>Active servers are used while one of them is usable, else the first usable
     * backup. Servers with a free slot (below maxconn) come first, and among them any
     * server but {@code avoid}. So {@code avoid} is returned only when it is the only
     * usable server or the only one with a free slot: HAProxy too prefers it then to
     * a saturated server. A full server is returned only when all are full, where
     * HAProxy would queue the connection.
     *
     * @param client the client's address, hashed by {@code source}; may be null when
     *               there is none, and {@code source} then falls back to round robin
     *               as HAProxy does for clients that are not IPv4 or IPv6
     * @param avoid  the server of a failed attempt, for a redispatch, or null
     * @return the server, or null if no server is usable (no active server usable and
     *         no backup usable)
     */
    ServerState pick(InetAddress client, ServerState avoid);

    /** Releases the connection slot taken by pick (the connection ended or its attempt failed). */
    void release(ServerState server);

    /** The servers in declaration order. */
    List<ServerState> servers();

    /** A balancer over {@code servers} in declaration order; each server may appear once. */
    static LoadBalancer create(BalanceAlgorithm algorithm, List<ServerState> servers) {
        int count = servers.size();
        return switch (algorithm) {
            case ROUNDROBIN -> new Balancer(servers, false, new SmoothWeightedRoundRobin(count));
            case STATIC_RR -> new Balancer(servers, true, new SmoothWeightedRoundRobin(count));
            case LEASTCONN -> new Balancer(servers, false, new LeastConnections(count));
            case FIRST -> new Balancer(servers, false, new FirstAvailable());
            // map-based hashing is static in HAProxy, and so is its round-robin fallback.
            case SOURCE -> new Balancer(servers, true, new SourceHash(new SmoothWeightedRoundRobin(count)));
        };
    }
}
