package org.muxgate.proxy.lb;

/**
 * {@code balance roundrobin} and {@code static-rr}: nginx's smooth weighted round
 * robin. Each pick adds every eligible server's weight to its credit and takes the
 * server of highest credit (the first declared on a tie), whose credit then drops by
 * the total weight of the eligible servers. Weights 3 and 1 give A A B A, weights
 * 5, 1 and 1 give A A B A C A A: each server gets exactly its share of every cycle
 * of total-weight picks, spread out instead of in bursts, which is what HAProxy's
 * ebtree-based fwrr achieves too (its exact order may differ).
 *
 * <p>Weights are read at every pick (the run-time weight for roundrobin, the startup
 * one for static-rr), so a change applies from the next pick with no rebuild. A
 * pick adds exactly as much credit as it removes, so the credits of all servers
 * always sum to 0 and stay bounded: a skipped server (down, full, avoided) keeps its
 * credit, which may shift the others' order by a pick when the set changes, but the
 * shares stay those of the weights and a returning server does not catch up in a
 * burst.
 */
final class SmoothWeightedRoundRobin implements Strategy {

    /** Indexed like the servers; long so that no sequence of weight changes can overflow it. */
    private final long[] credits;

    SmoothWeightedRoundRobin(int servers) {
        this.credits = new long[servers];
    }

    @Override
    public int choose(Candidates candidates, long key) {
        int best = -1;
        long total = 0;
        for (int i = 0; i < credits.length; i++) {
            if (candidates.eligible(i)) {
                credits[i] += candidates.weight(i);
                total += candidates.weight(i);
                if (best < 0 || credits[i] > credits[best]) {
                    best = i;
                }
            }
        }
        credits[best] -= total;
        return best;
    }
}
