package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.muxgate.proxy.config.BalanceAlgorithm.FIRST;
import static org.muxgate.proxy.lb.Servers.active;
import static org.muxgate.proxy.lb.Servers.balancer;
import static org.muxgate.proxy.lb.Servers.held;
import static org.muxgate.proxy.lb.Servers.sequence;

import org.junit.Test;

public class FirstAvailableTest {

    @Test
    public void fillsServersInDeclarationOrderUpToTheirMaxconn() {
        ServerState a = active("A", 1, 2);
        ServerState b = active("B", 1, 3);
        LoadBalancer balancer = balancer(FIRST, a, b, active("C", 1, 0));
        assertEquals("AABBBCCCC", held(balancer, 9));
        balancer.release(a);
        assertSame(a, Servers.pick(balancer, null, null));
        balancer.release(b);
        assertSame(b, Servers.pick(balancer, null, null));
        assertEquals("C", held(balancer, 1));
    }

    @Test
    public void ignoresWeights() {
        LoadBalancer balancer = balancer(FIRST, active("A", 1), active("B", 256));
        assertEquals("AAAA", sequence(balancer, 4));
        assertEquals("AAAA", held(balancer, 4));
    }

    @Test
    public void skipsServersThatAreNotUsable() {
        ServerState a = active("A", 1, 1);
        LoadBalancer balancer = balancer(FIRST, a, active("B", 1, 1), active("C", 1, 1));
        a.setMaintenance(true);
        assertEquals("BC", held(balancer, 2));
    }

    @Test
    public void whenAllAreFullRequestsWaitInOrderForTheSlotsGivenBack() {
        ServerState a = active("A", 1, 1);
        ServerState b = active("B", 1, 1);
        LoadBalancer balancer = balancer(FIRST, a, b);
        assertEquals("AB", held(balancer, 2));
        Servers.Request older = new Servers.Request();
        Servers.Request newer = new Servers.Request();
        assertNull(Servers.pick(balancer, Servers.ipv4(0), null, older));
        assertNull(Servers.pick(balancer, Servers.ipv4(1), null, newer));
        assertEquals(2, balancer.queued());
        balancer.release(b);
        assertSame(b, older.takeAssigned());
        assertTrue(newer.isQueued());
        balancer.release(a);
        assertSame(a, newer.takeAssigned());
        assertEquals(0, balancer.queued());
        assertEquals(1, a.currentConnections());
        assertEquals(1, b.currentConnections());
    }
}
