package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.muxgate.proxy.config.BalanceAlgorithm.LEASTCONN;
import static org.muxgate.proxy.lb.Servers.active;
import static org.muxgate.proxy.lb.Servers.balancer;
import static org.muxgate.proxy.lb.Servers.held;
import static org.muxgate.proxy.lb.Servers.sequence;

import org.junit.Test;

public class LeastConnectionsTest {

    @Test
    public void picksTheLeastLoadedServer() {
        ServerState a = active("A", 1);
        ServerState b = active("B", 1);
        ServerState c = active("C", 1);
        LoadBalancer balancer = balancer(LEASTCONN, a, b, c);
        assertEquals("ABCABC", held(balancer, 6));
        balancer.release(b);
        assertSame(b, Servers.pick(balancer, null, null));
        balancer.release(a);
        balancer.release(a);
        assertSame(a, Servers.pick(balancer, null, null));
        assertSame(a, Servers.pick(balancer, null, null));
        assertEquals(2, a.currentConnections());
    }

    @Test
    public void serversOfEqualLoadTakeTurns() {
        LoadBalancer balancer = balancer(LEASTCONN, active("A", 1), active("B", 1), active("C", 1));
        assertEquals("ABC".repeat(4), sequence(balancer, 12));
        assertEquals("ABC".repeat(4), held(balancer, 12));
    }

    @Test
    public void idleServersTakeTurnsWhateverTheirWeights() {
        // HAProxy puts every idle server at key 0, so that light traffic is not all
        // sent to the heaviest server.
        LoadBalancer balancer = balancer(LEASTCONN, active("A", 3), active("B", 1));
        assertEquals("AB".repeat(5), sequence(balancer, 10));
    }

    @Test
    public void heldConnectionsAreSharedByWeight() {
        ServerState a = active("A", 1);
        ServerState b = active("B", 2);
        ServerState c = active("C", 3);
        LoadBalancer balancer = balancer(LEASTCONN, a, b, c);
        // A busy server is loaded by (connections + 1) / weight: C takes the second
        // connection before A or B takes a second one.
        assertEquals("ABCCB", held(balancer, 5));
        held(balancer, 595);
        assertAbout(100, a.currentConnections());
        assertAbout(200, b.currentConnections());
        assertAbout(300, c.currentConnections());
    }

    @Test
    public void runTimeWeightsChangeTheShares() {
        ServerState a = active("A", 1);
        ServerState b = active("B", 1);
        LoadBalancer balancer = balancer(LEASTCONN, a, b);
        held(balancer, 100);
        assertEquals(50, a.currentConnections());
        a.setWeight(3);
        held(balancer, 300);
        assertAbout(300, a.currentConnections());
        assertAbout(100, b.currentConnections());
    }

    private static void assertAbout(int expected, int actual) {
        assertTrue("expected about " + expected + " but was " + actual, Math.abs(expected - actual) <= 1);
    }
}
