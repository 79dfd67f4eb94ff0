package org.muxgate.proxy.lb;

/**
 * A hashed algorithm ({@code source}, {@code uri}, {@code hdr}) with HAProxy's default
 * {@code hash-type map-based}: the key modulo the total startup weight of the usable
 * servers of the tier indexes a table where each server holds as many slots as its
 * weight. The table here is implicit: the servers' weights laid end to end in
 * declaration order (HAProxy interleaves them, which changes which keys go where but
 * not the shares). A key therefore keeps its server while the set of usable servers
 * does not change; when it changes, most keys move, as in HAProxy.
 *
 * <p>A request without a key (a client without an address, a missing header) goes to
 * the round-robin fallback, as in HAProxy.
 *
 * <p>When the hashed server is full, the request waits in its queue, as in HAProxy,
 * unless that queue is at the server's {@code maxqueue}; then, and when the hashed
 * server is the one to avoid, the next eligible server in declaration order takes it,
 * so that only the keys of that server move, and only meanwhile.
 */
final class MapBasedHash implements Strategy {

    private final boolean avalanche;
    private final Strategy withoutKey;

    /**
     * @param avalanche  whether keys are mixed before the modulo ({@code hash-type ... avalanche})
     * @param withoutKey for requests without a key
     */
    MapBasedHash(boolean avalanche, Strategy withoutKey) {
        this.avalanche = avalanche;
        this.withoutKey = withoutKey;
    }

    @Override
    public int choose(Candidates candidates, long key) {
        if (key == LoadBalancer.NO_KEY) {
            return withoutKey.choose(candidates, key);
        }
        long slot = (avalanche ? Hashing.mix(key) : key) % candidates.totalWeight();
        int index = 0;
        while (slot >= candidates.weight(index)) {
            slot -= candidates.weight(index);
            index++;
        }
        if (candidates.queueRoom(index)) {
            return index;
        }
        while (!candidates.eligible(index)) {
            index = (index + 1) % candidates.size();
        }
        return index;
    }

    @Override
    public boolean sticky(long key) {
        return key != LoadBalancer.NO_KEY;
    }
}
