package org.muxgate.proxy.lb;

import java.util.List;

/**
 * The servers one pick may return: a snapshot of the servers' state, taken afresh at
 * every pick under the balancer's lock, so that a strategy sees one consistent view
 * however health checks or other threads change the servers meanwhile. The arrays
 * are allocated once, with the balancer.
 *
 * <p>The rules shared by every algorithm, in HAProxy's order:
 * <ol>
 * <li>The tier: the active servers while one of them is usable, else the backups. A
 *     server is usable when up, out of maintenance and of weight above 0; with
 *     startup weights (static-rr, map-based hashing), a server configured with weight
 *     0 is not usable either, whatever its run-time weight.</li>
 * <li>A rank for each server of the tier, lower is better: having a free slot (below
 *     its maxconn, ramped during a slow start) and nobody in its own queue counts
 *     first, then not being the server to avoid. HAProxy's pickers skip saturated
 *     servers and servers with a queue, and remember the avoided one to return it only
 *     if nothing else is left.</li>
 * <li>The eligible servers are those of the best rank present; the strategy chooses
 *     among them. When that rank is a full one, every server of the tier is full and
 *     the request waits in a queue.</li>
 * </ol>
 *
 * <p>Weights: algorithms with run-time weights see them multiplied by {@link #SCALE},
 * as HAProxy's effective weights are, so that a slow start can ramp a weight of 1
 * in steps; startup weights are used as configured, since map-based hashing maps
 * keys modulo their sum exactly as HAProxy does.
 */
final class Candidates {

    /** HAProxy's BE_WEIGHT_SCALE. */
    static final int SCALE = 16;

    private static final int FULL = 2;
    private static final int AVOIDED = 1;
    private static final int OUTSIDE = Integer.MAX_VALUE;

    private final ServerState[] servers;
    private final boolean startupWeights;
    /** The weight the algorithm uses, 0 for a server outside the tier. */
    private final int[] weights;
    private final int[] connections;
    private final int[] ranks;
    private ServerState avoid;
    private int bestRank;
    private int totalWeight;
    private boolean onBackups;

    Candidates(List<ServerState> servers, boolean startupWeights) {
        this.servers = servers.toArray(new ServerState[0]);
        this.startupWeights = startupWeights;
        this.weights = new int[this.servers.length];
        this.connections = new int[this.servers.length];
        this.ranks = new int[this.servers.length];
    }

    /**
     * Takes the snapshot for one pick.
     *
     * @param now   the scheduler's clock in milliseconds, for slow starts
     * @return false if no server is usable, neither active nor backup
     */
    boolean select(long now, ServerState avoid) {
        this.avoid = avoid;
        boolean activeUsable = false;
        for (int i = 0; i < servers.length; i++) {
            weights[i] = usableWeight(servers[i], now);
            activeUsable |= weights[i] > 0 && !servers[i].isBackup();
        }
        onBackups = !activeUsable;
        totalWeight = 0;
        bestRank = OUTSIDE;
        for (int i = 0; i < servers.length; i++) {
            ServerState server = servers[i];
            if (server.isBackup() != onBackups) {
                weights[i] = 0;
            }
            if (weights[i] == 0) {
                ranks[i] = OUTSIDE;
                continue;
            }
            totalWeight += weights[i];
            connections[i] = server.currentConnections();
            boolean free = server.hasFreeSlot(connections[i], now) && server.queue.isEmpty();
            ranks[i] = (free ? 0 : FULL) + (server == avoid ? AVOIDED : 0);
            bestRank = Math.min(bestRank, ranks[i]);
        }
        return bestRank != OUTSIDE;
    }

    private int usableWeight(ServerState server, long now) {
        if (!server.isUsable()) {
            return 0;
        }
        return startupWeights ? server.config().weight() : server.rampedWeight(SCALE, now);
    }

    /** Whether this pick uses the backup servers, no active server being usable. */
    boolean onBackups() {
        return onBackups;
    }

    /** The number of servers, in or out of this pick. */
    int size() {
        return servers.length;
    }

    ServerState server(int index) {
        return servers[index];
    }

    /** Whether the server may be returned by this pick. */
    boolean eligible(int index) {
        return ranks[index] == bestRank;
    }

    /** Whether the server, in the tier, has a free slot and nobody queued for it. */
    boolean free(int index) {
        return ranks[index] < FULL;
    }

    /**
     * Whether a request whose key hashes to this server may wait in its queue: the
     * server is in the tier, full, not the one to avoid, and its queue is below its
     * {@code maxqueue}.
     */
    boolean queueRoom(int index) {
        ServerState server = servers[index];
        int max = server.config().limits().maxqueue();
        return ranks[index] == FULL && server != avoid && (max == 0 || server.queue.size() < max);
    }

    /**
     * The server's weight for the algorithm if it is usable and in the tier, whether
     * eligible or not (a hash maps over all of them), else 0.
     */
    int weight(int index) {
        return weights[index];
    }

    /** The sum of {@link #weight(int)} over all servers. */
    int totalWeight() {
        return totalWeight;
    }

    /** The server's connections when the snapshot was taken; only meaningful for a server in the tier. */
    int connections(int index) {
        return connections[index];
    }
}
