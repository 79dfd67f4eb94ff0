package org.muxgate.proxy.lb;

import java.util.Arrays;
import java.util.List;

/**
 * A hashed algorithm with {@code hash-type consistent}: each server owns points on a
 * ring of 32-bit values, {@link Candidates#SCALE} per unit of its configured weight,
 * placed by mixing the server's position and the point's number as HAProxy does
 * ({@code full_hash(id * 4096 + n)}). A key goes to the server of the first point at
 * or after it, going round; points of servers outside the pick's tier are passed
 * over. A server going down or up therefore moves only the keys of its own points.
 *
 * <p>Queueing and fallbacks are those of {@link MapBasedHash}; the next server, when
 * the hashed one cannot take the request, is the next one round the ring.
 *
 * <p>The ring is built once, from the startup weights: a run-time weight of 0 drains
 * a server, but other run-time weights do not move its points (HAProxy re-places
 * them).
 */
final class ConsistentHash implements Strategy {

    /** HAProxy's SRV_EWGHT_RANGE: the point numbers of one server. */
    private static final int POINTS_RANGE = 4096;
    private static final long SIGN = 0x8000_0000L;

    /** The points' values, ascending as unsigned numbers, and the server index owning each. */
    private final int[] points;
    private final int[] owners;
    private final boolean avalanche;
    private final Strategy withoutKey;

    ConsistentHash(List<ServerState> servers, boolean avalanche, Strategy withoutKey) {
        this.avalanche = avalanche;
        this.withoutKey = withoutKey;
        long[] ring = new long[servers.stream().mapToInt(s -> s.config().weight() * Candidates.SCALE).sum()];
        int count = 0;
        for (int index = 0; index < servers.size(); index++) {
            int pointsOfServer = servers.get(index).config().weight() * Candidates.SCALE;
            for (int n = 0; n < pointsOfServer; n++) {
                // The value in the high half, its top bit flipped so that a signed sort orders
                // the values as unsigned numbers; the owner in the low half.
                ring[count++] = (Hashing.mix((index + 1L) * POINTS_RANGE + n) ^ SIGN) << 32 | index;
            }
        }
        Arrays.sort(ring);
        points = new int[ring.length];
        owners = new int[ring.length];
        for (int i = 0; i < ring.length; i++) {
            points[i] = (int) ((ring[i] >>> 32) ^ SIGN);
            owners[i] = (int) ring[i];
        }
    }

    @Override
    public int choose(Candidates candidates, long key) {
        if (key == LoadBalancer.NO_KEY || points.length == 0) {
            return withoutKey.choose(candidates, key);
        }
        int start = firstPointAtOrAfter(avalanche ? Hashing.mix(key) : key);
        int point = start;
        // The hashed server: the first point of a server in the tier (the tier has one).
        while (candidates.weight(owners[point]) == 0) {
            point = next(point);
            if (point == start) {
                // Only servers with no point are usable: run-time weights of servers configured with 0.
                return withoutKey.choose(candidates, key);
            }
        }
        int home = owners[point];
        if (candidates.queueRoom(home)) {
            return home;
        }
        for (int steps = 0; steps < points.length; steps++, point = next(point)) {
            if (candidates.eligible(owners[point])) {
                return owners[point];
            }
        }
        return withoutKey.choose(candidates, key);
    }

    @Override
    public boolean sticky(long key) {
        return key != LoadBalancer.NO_KEY;
    }

    private int next(int point) {
        return point + 1 == points.length ? 0 : point + 1;
    }

    /** Binary search over unsigned values; past the last point, the ring wraps to the first. */
    private int firstPointAtOrAfter(long key) {
        int low = 0;
        int high = points.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (Integer.toUnsignedLong(points[middle]) < key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low == points.length ? 0 : low;
    }
}
