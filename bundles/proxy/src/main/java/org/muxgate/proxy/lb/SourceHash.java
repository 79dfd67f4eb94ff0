package org.muxgate.proxy.lb;

import java.net.InetAddress;

/**
 * {@code balance source} with HAProxy's default {@code hash-type map-based}: the
 * client's address, as a 32-bit number, modulo the total startup weight of the usable
 * servers of the tier, indexes a table where each server holds as many slots as its
 * weight. The table here is implicit: the servers' weights laid end to end in
 * declaration order (HAProxy interleaves them, which changes which clients go where
 * but not the shares). A client therefore keeps its server while the set of usable
 * servers does not change; when it changes, most clients move, as in HAProxy.
 *
 * <p>The number hashed is {@link InetAddress#hashCode()}: for IPv4 it is the address
 * itself, exactly HAProxy's input (without the optional {@code avalanche}
 * modifier, which is off by default); for IPv6 it folds the 16 bytes into 32 bits
 * where HAProxy XORs the four 32-bit words, since reading the bytes would copy them.
 *
 * <p>If the hashed server is not eligible (full, or to be avoided, while another can
 * take the connection), the next eligible server in declaration order takes it, so
 * that only the clients of that server move, and only meanwhile. HAProxy would
 * instead queue the connection on the hashed server.
 */
final class SourceHash implements Strategy {

    private final Strategy withoutAddress;

    /** @param withoutAddress for clients with no address, where HAProxy falls back to round robin */
    SourceHash(Strategy withoutAddress) {
        this.withoutAddress = withoutAddress;
    }

    @Override
    public int choose(Candidates candidates, InetAddress client) {
        if (client == null) {
            return withoutAddress.choose(candidates, null);
        }
        int slot = Integer.remainderUnsigned(client.hashCode(), candidates.totalWeight());
        int index = 0;
        while (slot >= candidates.weight(index)) {
            slot -= candidates.weight(index);
            index++;
        }
        while (!candidates.eligible(index)) {
            index = (index + 1) % candidates.size();
        }
        return index;
    }
}
