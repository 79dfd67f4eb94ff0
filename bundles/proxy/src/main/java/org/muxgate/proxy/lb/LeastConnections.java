package org.muxgate.proxy.lb;

/**
 * {@code balance leastconn}: the eligible server of lowest load, HAProxy's fwlc key.
 * The load of a server with no connection is 0, so that idle servers are used first
 * and in turn whatever their weights (HAProxy: "under low loads, it's not always the
 * single server with the highest weight that gets picked"); otherwise it is
 * (connections + 1) / weight, the load the server would have once picked, which
 * shares connections by weight. Loads are compared exactly, by cross-multiplying,
 * where HAProxy divides in integers scaled by {@code SRV_EWGHT_MAX}.
 *
 * <p>Ties go to the server picked least recently, so that servers of equal load take
 * turns. HAProxy gets nearly the same from its tree, where a server repositioned
 * goes behind the servers of equal key; it repositions on releases too.
 */
final class LeastConnections implements Strategy {

    /** Indexed like the servers: the pick count when each was last picked, 0 for never. */
    private final long[] lastPicked;
    private long picks;

    LeastConnections(int servers) {
        this.lastPicked = new long[servers];
    }

    @Override
    public int choose(Candidates candidates, long key) {
        int best = -1;
        for (int i = 0; i < lastPicked.length; i++) {
            if (!candidates.eligible(i)) {
                continue;
            }
            int order = best < 0 ? -1 : compareLoads(candidates, i, best);
            if (order < 0 || order == 0 && lastPicked[i] < lastPicked[best]) {
                best = i;
            }
        }
        lastPicked[best] = ++picks;
        return best;
    }

    private static int compareLoads(Candidates candidates, int a, int b) {
        int connectionsA = candidates.connections(a);
        int connectionsB = candidates.connections(b);
        if (connectionsA == 0 || connectionsB == 0) {
            return Integer.compare(connectionsA == 0 ? 0 : 1, connectionsB == 0 ? 0 : 1);
        }
        // (ca + 1) / wa  <=>  (cb + 1) / wb, without rounding.
        return Long.compare((connectionsA + 1L) * candidates.weight(b), (connectionsB + 1L) * candidates.weight(a));
    }
}
