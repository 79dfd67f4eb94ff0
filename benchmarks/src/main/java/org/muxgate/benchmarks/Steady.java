package org.muxgate.benchmarks;

/** Puts the JVM heap in the state of a long-running server before measuring. */
final class Steady {

    private Steady() {
    }

    /**
     * Called at the end of each trial set-up: a full GC moves the structures just
     * built (timer heaps, queues, tasks) to the old generation, where a server's
     * long-lived structures are. Without it they may stay young for the whole trial
     * when the measured code allocates nothing, and reference stores into young
     * objects skip G1's post-write barrier: whether a 100,000-entry timer heap array
     * is young then depends on the G1 region size, hence on -Xmx, and one
     * implementation's figure moves fourfold with it.
     */
    static void settle() {
        System.gc();
        System.gc();
    }
}
