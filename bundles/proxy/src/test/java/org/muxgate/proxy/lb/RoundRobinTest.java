package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.muxgate.proxy.config.BalanceAlgorithm.ROUNDROBIN;
import static org.muxgate.proxy.config.BalanceAlgorithm.STATIC_RR;
import static org.muxgate.proxy.lb.Servers.active;
import static org.muxgate.proxy.lb.Servers.balancer;
import static org.muxgate.proxy.lb.Servers.sequence;

import java.util.Map;

import org.junit.Test;
import org.muxgate.proxy.config.BalanceAlgorithm;

public class RoundRobinTest {

    private static final BalanceAlgorithm[] BOTH = { ROUNDROBIN, STATIC_RR };

    @Test
    public void weightsThreeAndOneAreInterleaved() {
        for (BalanceAlgorithm algorithm : BOTH) {
            LoadBalancer balancer = balancer(algorithm, active("A", 3), active("B", 1));
            assertEquals(algorithm.token(), "AABA".repeat(3), sequence(balancer, 12));
        }
    }

    @Test
    public void weightsFiveOneOneAreInterleaved() {
        for (BalanceAlgorithm algorithm : BOTH) {
            LoadBalancer balancer = balancer(algorithm, active("A", 5), active("B", 1), active("C", 1));
            assertEquals(algorithm.token(), "AABACAA".repeat(3), sequence(balancer, 21));
        }
    }

    @Test
    public void equalWeightsTakeTurnsInDeclarationOrder() {
        for (BalanceAlgorithm algorithm : BOTH) {
            LoadBalancer balancer = balancer(algorithm, active("A", 10), active("B", 10), active("C", 10));
            assertEquals(algorithm.token(), "ABC".repeat(4), sequence(balancer, 12));
        }
    }

    @Test
    public void everyCycleGivesEachServerItsWeight() {
        for (BalanceAlgorithm algorithm : BOTH) {
            LoadBalancer balancer = balancer(algorithm, active("A", 1), active("B", 2), active("C", 3), active("D", 4));
            for (int cycle = 0; cycle < 100; cycle++) {
                assertEquals(algorithm.token(), Map.of("A", 1, "B", 2, "C", 3, "D", 4),
                        Servers.counts(balancer, Servers.sameClient(10)));
            }
        }
    }

    @Test
    public void roundrobinAppliesRunTimeWeightsFromTheNextPick() {
        ServerState a = active("A", 1);
        LoadBalancer balancer = balancer(ROUNDROBIN, a, active("B", 1));
        assertEquals("AB", sequence(balancer, 2));
        a.setWeight(3);
        assertEquals("AABA".repeat(2), sequence(balancer, 8));
        a.setWeight(1);
        assertEquals("AB".repeat(2), sequence(balancer, 4));
    }

    @Test
    public void roundrobinUsesAServerWhoseWeightIsRaisedFromZero() {
        ServerState a = active("A", 0);
        LoadBalancer balancer = balancer(ROUNDROBIN, a, active("B", 1));
        assertEquals("BBBB", sequence(balancer, 4));
        a.setWeight(1);
        assertEquals("AB".repeat(2), sequence(balancer, 4));
    }

    @Test
    public void staticRrKeepsStartupWeightsButHonoursZero() {
        ServerState a = active("A", 1);
        LoadBalancer balancer = balancer(STATIC_RR, a, active("B", 1));
        a.setWeight(3);
        assertEquals("AB".repeat(4), sequence(balancer, 8));
        a.setWeight(0);
        assertEquals("BBBB", sequence(balancer, 4));
        a.setWeight(200);
        assertEquals("AB".repeat(4), sequence(balancer, 8));
    }

    @Test
    public void staticRrNeverUsesAServerConfiguredWithWeightZero() {
        ServerState a = active("A", 0);
        LoadBalancer balancer = balancer(STATIC_RR, a, active("B", 1));
        a.setWeight(5);
        assertEquals("BBBB", sequence(balancer, 4));
    }

    /**
     * A skipped server keeps its credit, so the others' order may shift by one pick,
     * but the shares stay those of the weights and the returning server does not
     * catch up in a burst.
     */
    @Test
    public void aServerBackFromDownGetsItsShareWithoutABurst() {
        for (BalanceAlgorithm algorithm : BOTH) {
            ServerState b = active("B", 1);
            LoadBalancer balancer = balancer(algorithm, active("A", 1), b, active("C", 1));
            assertEquals("ABCA", sequence(balancer, 4));
            b.setUp(false, 0);
            assertShares(algorithm, Map.of("A", 100, "C", 100), sequence(balancer, 200));
            b.setUp(true, 0);
            String after = sequence(balancer, 300);
            assertFalse(algorithm.token() + ": " + after, after.contains("BB"));
            assertShares(algorithm, Map.of("A", 100, "B", 100, "C", 100), after);
        }
    }

    private static void assertShares(BalanceAlgorithm algorithm, Map<String, Integer> expected, String picks) {
        for (Map.Entry<String, Integer> share : expected.entrySet()) {
            long count = picks.chars().filter(name -> name == share.getKey().charAt(0)).count();
            assertTrue(algorithm.token() + ": " + share.getKey() + " picked " + count + " times in " + picks,
                    Math.abs(count - share.getValue()) <= 1);
        }
    }
}
