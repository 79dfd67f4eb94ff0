package org.muxgate.benchmarks;

import java.util.SplittableRandom;

/** What the two timer benchmarks share. */
final class Timers {

    private Timers() {
    }

    /** Live timers present during the timer benchmarks: idle connections' I/O timeouts. */
    static final int LIVE = 100_000;
    /** Their timeout, in ms: always pushed forward, never reached. */
    static final long LIVE_TIMEOUT_MS = 30_000;
    /** The timeout armed and cancelled at once by the arm-then-cancel benchmark, in ms. */
    static final long SHORT_TIMEOUT_MS = 10_000;
    /**
     * Operations per benchmark invocation (one batch handed to the timer's thread):
     * {@value #PASSES} passes over the live timers. Large, so that the two thread
     * handoffs of an invocation (which take milliseconds when the machine is busy)
     * weigh little next to the batch.
     */
    static final int BATCH = 1_000_000;
    /** Passes over the {@value #LIVE} live timers per re-arm batch. */
    static final int PASSES = BATCH / LIVE;
    /** Netty HashedWheelTimer tick, in ms: fine enough that its worker drains the queues of new and
     *  cancelled timeouts as fast as they are filled (with 100 ms ticks it moves at most 1 M/s). */
    static final long WHEEL_TICK_MS = 1;
    /** Netty HashedWheelTimer's default wheel size. */
    static final int WHEEL_SIZE = 512;

    /**
     * The order in which the benchmarks refresh the live timers: a fixed random
     * permutation of 0..LIVE-1, the same for every implementation, so that each
     * batch touches every timer once in an order unrelated to their allocation.
     */
    static int[] order() {
        int[] order = new int[LIVE];
        for (int i = 0; i < LIVE; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = LIVE - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Per-timer jitter added to {@link #LIVE_TIMEOUT_MS}, 0 to 999 ms: live timers were
     * armed at different moments, so their dates differ (a heap full of equal keys
     * would flatter the heap-based implementations).
     */
    static long[] jitter() {
        long[] jitter = new long[LIVE];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < LIVE; i++) {
            jitter[i] = random.nextLong(1000);
        }
        return jitter;
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
