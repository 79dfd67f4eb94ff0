package org.muxgate.proxy.lb;

import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code balance random(DRAWS)}: draws that many eligible servers at random, each with
 * a chance in proportion to its run-time weight, and takes the least loaded of them
 * (connections per weight), HAProxy's "power of two choices" by default: nearly as
 * even as leastconn, with no state shared between picks.
 */
final class WeightedRandom implements Strategy {

    private final int draws;

    WeightedRandom(int draws) {
        this.draws = draws;
    }

    @Override
    public int choose(Candidates candidates, long key) {
        long eligibleWeight = 0;
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.eligible(i)) {
                eligibleWeight += candidates.weight(i);
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int best = -1;
        for (int draw = 0; draw < draws; draw++) {
            long ticket = random.nextLong(eligibleWeight);
            int index = 0;
            while (!candidates.eligible(index) || ticket >= candidates.weight(index)) {
                if (candidates.eligible(index)) {
                    ticket -= candidates.weight(index);
                }
                index++;
            }
            if (best < 0 || lessLoaded(candidates, index, best)) {
                best = index;
            }
        }
        return best;
    }

    /** connections(a) / weight(a) < connections(b) / weight(b), without rounding. */
    private static boolean lessLoaded(Candidates candidates, int a, int b) {
        return (long) candidates.connections(a) * candidates.weight(b)
                < (long) candidates.connections(b) * candidates.weight(a);
    }
}
