package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.muxgate.proxy.lb.Servers.active;
import static org.muxgate.proxy.lb.Servers.backup;

import java.net.InetAddress;
import java.util.List;

import org.junit.Test;
import org.muxgate.proxy.config.Balance;
import org.muxgate.proxy.config.BalanceAlgorithm;

/**
 * The queues: the backend's, for requests any server may take, and each server's, for
 * requests hashed to it; a slot given back goes to the oldest request that server may
 * take, whichever queue holds it; a server going down sends its own queue back to the
 * balancer; a server coming up, or the backups once no active server is usable, take
 * from the backend's queue.
 */
public class QueueTest {

    private static LoadBalancer sourceHash(ServerState... servers) {
        return LoadBalancer.create(Balance.of(BalanceAlgorithm.SOURCE), List.of(servers));
    }

    /** A client whose address hashes to the server at {@code index} of {@code servers} equal servers. */
    private static InetAddress clientOf(int index) {
        return Servers.ipv4(index);
    }

    @Test
    public void aFreedSlotGoesToTheOldestRequestOfEitherQueue() {
        ServerState a = Servers.withMaxqueue("A", 1, 0);
        ServerState b = active("B", 1, 1);
        LoadBalancer balancer = sourceHash(a, b);
        // 10.0.0.0 hashes to A (0 % 2), 10.0.0.1 to B.
        assertSame(a, Servers.pick(balancer, clientOf(0), null));
        assertSame(b, Servers.pick(balancer, clientOf(1), null));
        Servers.Request hashedToA = new Servers.Request();
        assertNull(Servers.pick(balancer, clientOf(0), null, hashedToA));
        // Without a key, round robin: every server is full, the backend's queue.
        Servers.Request anyServer = new Servers.Request();
        assertNull(Servers.pick(balancer, null, null, anyServer));
        Servers.Request alsoHashedToA = new Servers.Request();
        assertNull(Servers.pick(balancer, clientOf(0), null, alsoHashedToA));
        assertEquals(3, balancer.queued());

        balancer.release(a);
        assertSame("the oldest, from A's own queue", a, hashedToA.takeAssigned());
        balancer.release(a);
        assertSame("older than A's next one, from the backend's queue", a, anyServer.takeAssigned());
        balancer.release(b);
        assertTrue("B does not take A's own queue", alsoHashedToA.isQueued());
        assertEquals(0, b.currentConnections());
        balancer.release(a);
        assertSame(a, alsoHashedToA.takeAssigned());
        assertEquals(1, a.currentConnections());
        assertEquals(0, balancer.queued());
        assertEquals(1, hashedToA.wakeups);
    }

    @Test
    public void aRequestThatLeavesIsSkippedAndLeavingAfterTheHandOverFails() {
        ServerState a = active("A", 1, 1);
        LoadBalancer balancer = Servers.balancer(BalanceAlgorithm.ROUNDROBIN, a);
        assertSame(a, Servers.pick(balancer, clientOf(0), null));
        Servers.Request leaving = new Servers.Request();
        Servers.Request staying = new Servers.Request();
        assertNull(Servers.pick(balancer, clientOf(1), null, leaving));
        assertNull(Servers.pick(balancer, clientOf(2), null, staying));
        assertTrue(balancer.leave(leaving));
        assertFalse(leaving.isPending());
        balancer.release(a);
        assertTrue(staying.isPending());
        assertFalse("handed a slot already", balancer.leave(staying));
        assertSame(a, staying.takeAssigned());
        assertFalse(staying.isPending());
        assertEquals(0, leaving.wakeups);
    }

    @Test
    public void aServerGoingDownSendsItsQueueBackToPickAgain() {
        ServerState a = Servers.withMaxqueue("A", 1, 0);
        ServerState b = active("B", 1, 0);
        LoadBalancer balancer = sourceHash(a, b);
        ServerState held = Servers.pick(balancer, clientOf(0), null);
        assertSame(a, held);
        Servers.Request waiting = new Servers.Request();
        assertNull(Servers.pick(balancer, clientOf(0), null, waiting));
        a.setUp(false, 0);
        assertEquals(1, balancer.stateChanged(a, 0));
        assertEquals(1, waiting.wakeups);
        assertTrue("woken, the outcome not taken yet", waiting.isPending());
        assertNull("to pick again", waiting.takeAssigned());
        assertFalse(waiting.isPending());
        assertSame(b, Servers.pick(balancer, clientOf(0), null, waiting));
        balancer.release(held);
        assertEquals(0, a.currentConnections());
    }

    @Test
    public void aServerComingUpTakesFromTheBackendQueue() {
        ServerState a = active("A", 1, 1);
        ServerState b = active("B", 1, 1);
        LoadBalancer balancer = Servers.balancer(BalanceAlgorithm.ROUNDROBIN, a, b);
        b.setUp(false, 0);
        balancer.stateChanged(b, 0);
        assertSame(a, Servers.pick(balancer, clientOf(0), null));
        Servers.Request waiting = new Servers.Request();
        assertNull(Servers.pick(balancer, clientOf(1), null, waiting));
        b.setUp(true, 1_000);
        assertEquals(0, balancer.stateChanged(b, 1_000));
        assertSame(b, waiting.takeAssigned());
        assertEquals(1, b.currentConnections());
    }

    @Test
    public void backupsTakeFromTheBackendQueueOnlyWhenNoActiveServerIsUsable() {
        ServerState a = active("A", 1, 1);
        ServerState x = backup("X", 1);
        LoadBalancer balancer = Servers.balancer(BalanceAlgorithm.ROUNDROBIN, a, x);
        assertSame(a, Servers.pick(balancer, clientOf(0), null));
        Servers.Request waiting = new Servers.Request();
        assertNull("a backup does not relieve a full active server", Servers.pick(balancer, clientOf(1), null,
                waiting));
        a.setMaintenance(true);
        balancer.stateChanged(a, 0);
        assertSame(x, waiting.takeAssigned());
    }

    @Test
    public void aSlowStartHoldsRequestsBackUntilItsMaxconnHasRamped() {
        ServerState a = Servers.limited("A", 1, 10, false, false,
                new org.muxgate.proxy.config.ServerLimits(0, java.time.Duration.ofSeconds(10), false, false));
        LoadBalancer balancer = Servers.balancer(BalanceAlgorithm.ROUNDROBIN, a);
        a.setUp(false, 0);
        a.setUp(true, 0);
        balancer.stateChanged(a, 0);
        assertSame(a, balancer.pick(1_000, LoadBalancer.NO_KEY, null, new Servers.Request()));
        Servers.Request waiting = new Servers.Request();
        assertNull("one slot at 10% of the ramp", balancer.pick(1_000, LoadBalancer.NO_KEY, null, waiting));
        Servers.Request later = new Servers.Request();
        assertNull(balancer.pick(2_000, LoadBalancer.NO_KEY, null, later));
        assertSame("two at 20%: the waiting request first", a, waiting.takeAssigned());
        assertTrue(later.isQueued());
        assertEquals(2, a.currentConnections());
    }
}
