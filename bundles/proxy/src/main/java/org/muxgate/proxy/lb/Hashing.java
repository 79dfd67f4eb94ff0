package org.muxgate.proxy.lb;

/** The integer mixing shared by consistent hashing and the {@code avalanche} modifier. */
final class Hashing {

    private Hashing() {
    }

    /**
     * Bob Jenkins' 32-bit full-avalanche integer hash (six shifts, from his page on
     * integer hashing), as HAProxy uses it: every input bit flips each output bit
     * with probability one half, so that close numbers land far apart.
     *
     * @param key an unsigned 32-bit value
     * @return an unsigned 32-bit value
     */
    static long mix(long key) {
        int a = (int) key;
        a = (a + 0x7ed55d16) + (a << 12);
        a = (a ^ 0xc761c23c) ^ (a >>> 19);
        a = (a + 0x165667b1) + (a << 5);
        a = (a + 0xd3a2646c) ^ (a << 9);
        a = (a + 0xfd7046c5) + (a << 3);
        a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        return a & 0xffffffffL;
    }
}
