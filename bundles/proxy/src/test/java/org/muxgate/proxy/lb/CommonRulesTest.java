package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeFalse;
import static org.muxgate.proxy.lb.Servers.active;
import static org.muxgate.proxy.lb.Servers.backup;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;
import org.muxgate.proxy.config.BalanceAlgorithm;

/** The rules every algorithm shares: usable servers, backups, maxconn, avoid, slots. */
@RunWith(Parameterized.class)
public class CommonRulesTest {

    @Parameters(name = "{0}")
    public static List<BalanceAlgorithm> algorithms() {
        return Arrays.asList(BalanceAlgorithm.values());
    }

    @Parameter
    public BalanceAlgorithm algorithm;

    private LoadBalancer balancer(ServerState... servers) {
        return Servers.balancer(algorithm, servers);
    }

    /** Many clients each get {@code expected}; each pick is released at once. */
    private static void assertAlwaysPicked(ServerState expected, LoadBalancer balancer, ServerState avoid) {
        for (int i = 0; i < 200; i++) {
            InetAddress client = Servers.ipv4(i * 7919);
            ServerState server = Servers.pick(balancer, client, avoid);
            assertSame("client " + client.getHostAddress(), expected, server);
            balancer.release(server);
        }
    }

    @Test
    public void serversDownInMaintenanceOrOfWeightZeroAreNeverPicked() {
        ServerState down = active("down", 1);
        down.setUp(false, 0);
        ServerState maintenance = active("maintenance", 1);
        maintenance.setMaintenance(true);
        ServerState drained = active("drained", 1);
        drained.setWeight(0);
        ServerState usable = active("usable", 1);
        LoadBalancer balancer = balancer(down, maintenance, drained, active("zero", 0), Servers.disabled("disabled"),
                usable);
        assertAlwaysPicked(usable, balancer, null);
    }

    @Test
    public void noUsableServerGivesNull() {
        ServerState down = active("down", 1);
        down.setUp(false, 0);
        assertNull(Servers.pick(balancer(down, active("zero", 0)), Servers.ipv4(1), null));
        assertNull(Servers.pick(balancer(), Servers.ipv4(1), null));
        assertEquals(0, down.currentConnections());
    }

    @Test
    public void backupsServeOnlyWhenNoActiveServerIsUsable() {
        ServerState a = active("A", 1);
        ServerState b = active("B", 1);
        ServerState x = backup("X", 0);
        ServerState y = backup("Y", 0);
        LoadBalancer balancer = balancer(x, a, y, b);
        for (int i = 0; i < 100; i++) {
            ServerState server = Servers.pick(balancer, Servers.ipv4(i), null);
            assertTrue(server == a || server == b);
            balancer.release(server);
        }
        a.setUp(false, 0);
        assertAlwaysPicked(b, balancer, null);
        b.setMaintenance(true);
        // The first usable backup only, as without `option allbackups`.
        assertAlwaysPicked(x, balancer, null);
        x.setUp(false, 0);
        assertAlwaysPicked(y, balancer, null);
        y.setWeight(0);
        assertNull(Servers.pick(balancer, Servers.ipv4(1), null));
        a.setUp(true, 0);
        assertAlwaysPicked(a, balancer, null);
    }

    @Test
    public void aFullBackupGivesWayToTheNextOne() {
        ServerState down = active("A", 1);
        down.setUp(false, 0);
        ServerState x = backup("X", 1);
        ServerState y = backup("Y", 0);
        LoadBalancer balancer = balancer(down, x, y);
        assertSame(x, Servers.pick(balancer, Servers.ipv4(1), null));
        assertAlwaysPicked(y, balancer, null);
        assertAlwaysPicked(y, balancer, x);
    }

    @Test
    public void theServerToAvoidIsSkippedWhenAnotherIsUsable() {
        ServerState a = active("A", 1);
        ServerState b = active("B", 1);
        ServerState down = active("C", 1);
        down.setUp(false, 0);
        LoadBalancer balancer = balancer(a, b, down);
        assertAlwaysPicked(b, balancer, a);
        assertAlwaysPicked(a, balancer, b);
        b.setUp(false, 0);
        // The only usable server, even if to avoid; backups stay unused while an
        // active server is usable, as in HAProxy.
        assertAlwaysPicked(a, balancer, a);
        ServerState backupServer = backup("X", 0);
        assertAlwaysPicked(a, balancer(a, backupServer), a);
        a.setUp(false, 0);
        assertAlwaysPicked(backupServer, balancer(a, backupServer), backupServer);
    }

    @Test
    public void fullServersAreSkippedWhileOthersHaveRoom() {
        // A hashed algorithm queues on the key's server instead (QueueTest).
        assumeFalse(algorithm.hashed());
        ServerState a = active("A", 3, 1);
        ServerState b = active("B", 2, 2);
        ServerState c = active("C", 1, 0);
        LoadBalancer balancer = balancer(a, b, c);
        for (int i = 0; i < 50; i++) {
            assertNotNull(Servers.pick(balancer, Servers.ipv4(i), null));
        }
        assertEquals(1, a.currentConnections());
        assertEquals(2, b.currentConnections());
        assertEquals(47, c.currentConnections());
    }

    @Test
    public void anAvoidedServerWithRoomIsPreferredToAFullOne() {
        // HAProxy returns the avoided server rather than queue on a saturated one.
        assumeFalse(algorithm.hashed());
        ServerState a = active("A", 1, 1);
        ServerState b = active("B", 1, 1);
        LoadBalancer balancer = balancer(a, b);
        InetAddress client = Servers.ipv4(0);
        ServerState first = Servers.pick(balancer, client, null);
        ServerState other = first == a ? b : a;
        assertSame(other, Servers.pick(balancer, client, other));
        balancer.release(other);
        assertSame(other, Servers.pick(balancer, client, other));
    }

    @Test
    public void whenAllAreFullTheRequestWaitsAndTakesTheFirstSlotGivenBack() {
        ServerState a = active("A", 1, 1);
        ServerState b = active("B", 1, 1);
        LoadBalancer balancer = balancer(a, b);
        // A hashed algorithm queues on its key's full server instead (QueueTest).
        assumeFalse(algorithm.hashed());
        assertNotNull(Servers.pick(balancer, Servers.ipv4(0), null));
        assertNotNull(Servers.pick(balancer, Servers.ipv4(1), null));
        Servers.Request waiting = new Servers.Request();
        assertNull(Servers.pick(balancer, Servers.ipv4(2), null, waiting));
        assertTrue(waiting.isQueued());
        assertEquals(1, balancer.queued());
        balancer.release(b);
        // The slot went to the waiting request, still counted.
        assertFalse(waiting.isQueued());
        assertEquals(1, waiting.wakeups);
        assertSame(b, waiting.takeAssigned());
        assertNull(waiting.takeAssigned());
        assertEquals(2, a.currentConnections() + b.currentConnections());
        assertEquals(0, balancer.queued());
    }

    @Test
    public void releaseGivesTheSlotBack() {
        ServerState a = active("A", 1, 1);
        LoadBalancer balancer = balancer(a);
        ServerState server = Servers.pick(balancer, Servers.ipv4(0), null);
        assertSame(a, server);
        assertEquals(1, a.currentConnections());
        balancer.release(server);
        assertEquals(0, a.currentConnections());
        assertThrows(IllegalStateException.class, () -> balancer.release(server));
        assertEquals(0, a.currentConnections());
    }

    @Test
    public void serversAreKeptInDeclarationOrderAndOnlyOnce() {
        ServerState a = active("A", 1);
        ServerState b = active("B", 1);
        assertEquals(List.of(b, a), balancer(b, a).servers());
        assertEquals("server 'A' is listed twice",
                assertThrows(IllegalArgumentException.class, () -> balancer(a, b, a)).getMessage());
    }
}
