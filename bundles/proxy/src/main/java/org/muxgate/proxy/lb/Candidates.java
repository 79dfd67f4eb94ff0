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
 *     startup weights (static-rr, source), a server configured with weight 0 is not
 *     usable either, whatever its run-time weight.</li>
 * <li>A rank for each server of the tier, lower is better: a free slot below maxconn
 *     counts first, then not being the server to avoid. HAProxy's pickers skip
 *     saturated servers and remember the avoided one to return it only if nothing
 *     else is left; they return no server when all are saturated, and the connection
 *     waits in a queue. Without queues, the full servers form the last ranks.</li>
 * <li>The eligible servers are those of the best rank present; the strategy chooses
 *     among them.</li>
 * </ol>
 */
final class Candidates {

    private static final int FULL = 2;
    private static final int AVOIDED = 1;
    private static final int OUTSIDE = Integer.MAX_VALUE;

    private final ServerState[] servers;
    private final boolean startupWeights;
    /** The weight the algorithm uses, 0 for a server outside the tier. */
    private final int[] weights;
    private final int[] connections;
    private final int[] ranks;
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
     * @return false if no server is usable, neither active nor backup
     */
    boolean select(ServerState avoid) {
        boolean activeUsable = false;
        for (int i = 0; i < servers.length; i++) {
            weights[i] = usableWeight(servers[i]);
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
            ranks[i] = (server.hasFreeSlot(connections[i]) ? 0 : FULL) + (server == avoid ? AVOIDED : 0);
            bestRank = Math.min(bestRank, ranks[i]);
        }
        return bestRank != OUTSIDE;
    }

    private int usableWeight(ServerState server) {
        if (!server.isUsable()) {
            return 0;
        }
        return startupWeights ? server.config().weight() : server.weight();
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
