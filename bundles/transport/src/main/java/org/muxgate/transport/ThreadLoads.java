package org.muxgate.transport;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The accepted connections each worker thread holds, to give a new one to the
 * thread with the fewest. Any thread; the counts are exact, the choice a snapshot.
 */
final class ThreadLoads {

    private final AtomicIntegerArray counts;

    ThreadLoads(int threads) {
        counts = new AtomicIntegerArray(threads);
    }

    /** @return the thread with the fewest connections, now counted one more */
    int takeLeastLoaded() {
        int best = 0;
        int bestCount = counts.get(0);
        for (int i = 1; i < counts.length() && bestCount > 0; i++) {
            int c = counts.get(i);
            if (c < bestCount) {
                best = i;
                bestCount = c;
            }
        }
        counts.incrementAndGet(best);
        return best;
    }

    /** A connection of {@code thread} ended. */
    void release(int thread) {
        counts.decrementAndGet(thread);
    }

    /** @return the connections {@code thread} holds now */
    int get(int thread) {
        return counts.get(thread);
    }
}
