package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.muxgate.proxy.lb.Servers.active;
import static org.muxgate.proxy.lb.Servers.backup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.Test;
import org.muxgate.proxy.config.Balance;
import org.muxgate.proxy.config.BalanceAlgorithm;
import org.muxgate.proxy.config.HashFunction;
import org.muxgate.proxy.config.HashType;

/**
 * Consistent hashing, the hash functions, {@code balance random} and {@code option
 * allbackups}. Keys are drawn from a seeded generator, so every share asserted is
 * the same at every run; the tolerances are those of the algorithms, not of chance.
 */
public class HashingTest {

    private static final HashType CONSISTENT = new HashType(true, HashFunction.SDBM, false);
    private static final int KEYS = 20_000;

    private static LoadBalancer balancer(Balance balance, ServerState... servers) {
        return LoadBalancer.create(balance, List.of(servers));
    }

    private static long[] keys() {
        SplittableRandom random = new SplittableRandom(42);
        long[] keys = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = random.nextInt() & 0xffffffffL;
        }
        return keys;
    }

    private static ServerState[] assign(LoadBalancer balancer, long[] keys) {
        ServerState[] servers = new ServerState[keys.length];
        for (int i = 0; i < keys.length; i++) {
            servers[i] = balancer.pick(0, keys[i], null, new Servers.Request());
            balancer.release(servers[i]);
        }
        return servers;
    }

    private static Map<ServerState, Integer> counts(ServerState[] assigned) {
        Map<ServerState, Integer> counts = new HashMap<>();
        for (ServerState server : assigned) {
            counts.merge(server, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    public void consistentHashingSharesKeysByWeight() {
        ServerState a = active("A", 1);
        ServerState b = active("B", 1);
        ServerState c = active("C", 2);
        Map<ServerState, Integer> counts = counts(assign(
                balancer(Balance.of(BalanceAlgorithm.SOURCE).withHashType(CONSISTENT), a, b, c), keys()));
        // 16 points per unit of weight: shares within a few percent of the weights'.
        assertShare(0.25, counts.get(a), 0.06);
        assertShare(0.25, counts.get(b), 0.06);
        assertShare(0.50, counts.get(c), 0.06);
    }

    @Test
    public void consistentHashingMovesOnlyTheKeysOfAServerThatGoesDown() {
        ServerState[] servers = new ServerState[5];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = active("S" + i, 1);
        }
        LoadBalancer balancer = balancer(Balance.of(BalanceAlgorithm.URI).withHashType(CONSISTENT), servers);
        long[] keys = keys();
        ServerState[] before = assign(balancer, keys);
        servers[2].setUp(false, 0);
        ServerState[] after = assign(balancer, keys);
        int moved = 0;
        for (int i = 0; i < keys.length; i++) {
            if (before[i] != servers[2]) {
                assertSame("key " + keys[i] + " stays", before[i], after[i]);
            } else {
                assertNotSame(servers[2], after[i]);
                moved++;
            }
        }
        assertShare(0.2, moved, 0.08);
        servers[2].setUp(true, 0);
        assertTrue("the same servers give the same ring", java.util.Arrays.equals(before, assign(balancer, keys)));
    }

    @Test
    public void mapBasedHashingMovesMostKeysWhenAServerGoesDown() {
        // The reason to choose consistent hashing: HAProxy's map-based default moves most keys.
        ServerState[] servers = new ServerState[5];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = active("S" + i, 1);
        }
        LoadBalancer balancer = balancer(Balance.of(BalanceAlgorithm.HDR), servers);
        long[] keys = keys();
        ServerState[] before = assign(balancer, keys);
        servers[2].setUp(false, 0);
        ServerState[] after = assign(balancer, keys);
        int moved = 0;
        for (int i = 0; i < keys.length; i++) {
            moved += before[i] == after[i] ? 0 : 1;
        }
        assertTrue("moved " + moved, moved > KEYS / 2);
    }

    @Test
    public void avalancheSpreadsNeighbouringKeysOverTheRing() {
        ServerState a = active("A", 1);
        ServerState b = active("B", 1);
        ServerState c = active("C", 1);
        ServerState d = active("D", 1);
        Balance plain = Balance.of(BalanceAlgorithm.SOURCE).withHashType(CONSISTENT);
        Balance mixed = plain.withHashType(new HashType(true, HashFunction.SDBM, true));
        long[] neighbours = new long[1000];
        for (int i = 0; i < neighbours.length; i++) {
            // 127.0.0.x, the source addresses of one subnet: close numbers.
            neighbours[i] = 0x7f000000L + i;
        }
        int plainServers = counts(assign(balancer(plain, a, b, c, d), neighbours)).size();
        Map<ServerState, Integer> spread = counts(assign(balancer(mixed, a, b, c, d), neighbours));
        assertTrue("without avalanche, a subnet lands on few points: " + plainServers, plainServers <= 2);
        assertEquals(4, spread.size());
        for (int count : spread.values()) {
            assertShare(0.25, count, neighbours.length, 0.1);
        }
    }

    @Test
    public void theHashFunctionsAreSdbmAndDjb2() {
        assertEquals(0, HashFunction.SDBM.hash("", 0, 0));
        assertEquals(97, HashFunction.SDBM.hash("a", 0, 1));
        assertEquals(98 + (97L << 6) + (97L << 16) - 97, HashFunction.SDBM.hash("ab", 0, 2));
        assertEquals(5381, HashFunction.DJB2.hash("", 0, 0));
        assertEquals(5381 * 33 + 97, HashFunction.DJB2.hash("xa", 1, 2));
        // Unsigned 32-bit values, whatever the length.
        long long1 = HashFunction.SDBM.hash("/a/very/long/path/that/overflows/the/thirty/two/bits", 0, 52);
        assertTrue(long1 >= 0 && long1 <= 0xffffffffL);
    }

    @Test
    public void randomSharesByWeightAndPrefersTheLessLoadedOfTwoDraws() {
        ServerState light = active("light", 1);
        ServerState heavy = active("heavy", 3);
        LoadBalancer balancer = balancer(Balance.of(BalanceAlgorithm.RANDOM), light, heavy);
        int heavyPicks = 0;
        for (int i = 0; i < KEYS; i++) {
            ServerState server = Servers.pick(balancer, null, null);
            heavyPicks += server == heavy ? 1 : 0;
            balancer.release(server);
        }
        // Every load is 0 when released at once: the first draw wins, by weight. The
        // standard deviation of this share is 0.3%; 3% is never reached.
        assertShare(0.75, heavyPicks, 0.03);

        ServerState[] servers = new ServerState[4];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = active("S" + i, 1);
        }
        LoadBalancer held = balancer(Balance.of(BalanceAlgorithm.RANDOM), servers);
        for (int i = 0; i < 400; i++) {
            Servers.pick(held, null, null);
        }
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        for (ServerState server : servers) {
            fewest = Math.min(fewest, server.currentConnections());
            most = Math.max(most, server.currentConnections());
        }
        // One draw alone would leave a spread of about 2 * sqrt(100) = 20; two draws keep it tiny.
        assertTrue("spread " + fewest + ".." + most, most - fewest <= 6);
    }

    @Test
    public void allbackupsSharesTheLoadAmongTheBackupsByTheAlgorithm() {
        ServerState down = active("A", 1);
        down.setUp(false, 0);
        ServerState x = backup("X", 0);
        ServerState y = backup("Y", 0);
        LoadBalancer firstOnly = balancer(Balance.of(BalanceAlgorithm.ROUNDROBIN), down, x, y);
        LoadBalancer all = balancer(Balance.of(BalanceAlgorithm.ROUNDROBIN).withAllBackups(true), down, x, y);
        assertEquals("XXXX", Servers.sequence(firstOnly, 4));
        assertEquals("XYXY", Servers.sequence(all, 4));
        down.setUp(true, 0);
        assertEquals("AAAA", Servers.sequence(all, 4));
    }

    private static void assertShare(double expected, int count, double tolerance) {
        assertShare(expected, count, KEYS, tolerance);
    }

    private static void assertShare(double expected, int count, int total, double tolerance) {
        double share = (double) count / total;
        assertTrue("share " + share + ", expected " + expected + " +- " + tolerance,
                Math.abs(share - expected) <= tolerance);
    }
}
