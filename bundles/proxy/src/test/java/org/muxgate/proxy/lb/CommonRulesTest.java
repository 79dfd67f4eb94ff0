package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
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
            ServerState server = balancer.pick(client, avoid);
            assertSame("client " + client.getHostAddress(), expected, server);
            balancer.release(server);
        }
    }

    @Test
    public void serversDownInMaintenanceOrOfWeightZeroAreNeverPicked() {
        ServerState down = active("down", 1);
        down.setUp(false);
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
        down.setUp(false);
        assertNull(balancer(down, active("zero", 0)).pick(Servers.ipv4(1), null));
        assertNull(balancer().pick(Servers.ipv4(1), null));
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
            ServerState server = balancer.pick(Servers.ipv4(i), null);
            assertTrue(server == a || server == b);
            balancer.release(server);
        }
        a.setUp(false);
        assertAlwaysPicked(b, balancer, null);
        b.setMaintenance(true);
        // The first usable backup only, as without `option allbackups`.
        assertAlwaysPicked(x, balancer, null);
        x.setUp(false);
        assertAlwaysPicked(y, balancer, null);
        y.setWeight(0);
        assertNull(balancer.pick(Servers.ipv4(1), null));
        a.setUp(true);
        assertAlwaysPicked(a, balancer, null);
    }

    @Test
    public void aFullBackupGivesWayToTheNextOne() {
        ServerState down = active("A", 1);
        down.setUp(false);
        ServerState x = backup("X", 1);
        ServerState y = backup("Y", 0);
        LoadBalancer balancer = balancer(down, x, y);
        assertSame(x, balancer.pick(Servers.ipv4(1), null));
        assertAlwaysPicked(y, balancer, null);
        assertAlwaysPicked(y, balancer, x);
    }

    @Test
    public void theServerToAvoidIsSkippedWhenAnotherIsUsable() {
        ServerState a = active("A", 1);
        ServerState b = active("B", 1);
        ServerState down = active("C", 1);
        down.setUp(false);
        LoadBalancer balancer = balancer(a, b, down);
        assertAlwaysPicked(b, balancer, a);
        assertAlwaysPicked(a, balancer, b);
        b.setUp(false);
        // The only usable server, even if to avoid; backups stay unused while an
        // active server is usable, as in HAProxy.
        assertAlwaysPicked(a, balancer, a);
        ServerState backupServer = backup("X", 0);
        assertAlwaysPicked(a, balancer(a, backupServer), a);
        a.setUp(false);
        assertAlwaysPicked(backupServer, balancer(a, backupServer), backupServer);
    }

    @Test
    public void fullServersAreSkippedWhileOthersHaveRoom() {
        ServerState a = active("A", 3, 1);
        ServerState b = active("B", 2, 2);
        ServerState c = active("C", 1, 0);
        LoadBalancer balancer = balancer(a, b, c);
        for (int i = 0; i < 50; i++) {
            assertNotNull(balancer.pick(Servers.ipv4(i), null));
        }
        assertEquals(1, a.currentConnections());
        assertEquals(2, b.currentConnections());
        assertEquals(47, c.currentConnections());
    }

    @Test
    public void anAvoidedServerWithRoomIsPreferredToAFullOne() {
        // HAProxy returns the avoided server rather than queue on a saturated one.
        ServerState a = active("A", 1, 1);
        ServerState b = active("B", 1, 1);
        LoadBalancer balancer = balancer(a, b);
        InetAddress client = Servers.ipv4(0);
        ServerState first = balancer.pick(client, null);
        ServerState other = first == a ? b : a;
        assertSame(other, balancer.pick(client, other));
        balancer.release(other);
        assertSame(other, balancer.pick(client, other));
    }

    @Test
    public void whenAllAreFullAFullServerIsReturnedAvoidingTheFailedOne() {
        ServerState a = active("A", 1, 1);
        ServerState b = active("B", 1, 1);
        LoadBalancer balancer = balancer(a, b);
        balancer.pick(Servers.ipv4(0), null);
        balancer.pick(Servers.ipv4(1), null);
        assertEquals(1, a.currentConnections());
        assertEquals(1, b.currentConnections());
        assertNotSame(a, balancer.pick(Servers.ipv4(2), a));
        assertNotSame(b, balancer.pick(Servers.ipv4(3), b));
        assertEquals(4, a.currentConnections() + b.currentConnections());
    }

    @Test
    public void releaseGivesTheSlotBack() {
        ServerState a = active("A", 1, 1);
        LoadBalancer balancer = balancer(a);
        ServerState server = balancer.pick(Servers.ipv4(0), null);
        assertSame(a, server);
        assertEquals(1, a.currentConnections());
        assertFalse(a.hasFreeSlot());
        balancer.release(server);
        assertEquals(0, a.currentConnections());
        assertTrue(a.hasFreeSlot());
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
