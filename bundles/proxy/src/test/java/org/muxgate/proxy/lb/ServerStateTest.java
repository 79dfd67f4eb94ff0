package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import org.junit.Test;
import org.muxgate.proxy.config.Server;
import org.muxgate.proxy.config.ServerCheck;
import org.muxgate.proxy.config.ServerLimits;
import org.muxgate.proxy.config.ServerPoolSettings;

public class ServerStateTest {

    @Test
    public void startsFromItsConfiguration() {
        ServerState server = Servers.active("a", 7, 30);
        assertEquals("a", server.name());
        assertEquals(server.config().address(), server.address());
        assertEquals(7, server.weight());
        assertEquals(30, server.maxconn());
        assertEquals(0, server.currentConnections());
        assertFalse(server.isBackup());
        assertTrue(server.isUp());
        assertFalse(server.isInMaintenance());
        assertTrue(server.isUsable());
        assertTrue(Servers.backup("b", 0).isBackup());
    }

    @Test
    public void disabledStartsInMaintenanceAndDown() {
        ServerState server = Servers.disabled("a");
        assertTrue(server.isInMaintenance());
        assertFalse(server.isUp());
        assertFalse(server.isUsable());
        server.setMaintenance(false);
        assertFalse("leaving maintenance leaves the health alone", server.isUsable());
        server.setUp(true, 0);
        assertTrue(server.isUsable());
    }

    @Test
    public void usableOnlyWhenUpOutOfMaintenanceAndWeighted() {
        ServerState server = Servers.active("a", 1);
        server.setUp(false, 0);
        assertFalse(server.isUsable());
        server.setUp(true, 0);
        server.setMaintenance(true);
        assertFalse(server.isUsable());
        server.setMaintenance(false);
        server.setWeight(0);
        assertFalse(server.isUsable());
        server.setWeight(256);
        assertTrue(server.isUsable());
        assertTrue(Servers.active("zero", 0).isUp());
        assertFalse(Servers.active("zero", 0).isUsable());
    }

    @Test
    public void weightStaysWithinHaproxysRange() {
        ServerState server = Servers.active("a", 1);
        assertEquals("weight of server 'a' must be between 0 and 256, not 257",
                assertThrows(IllegalArgumentException.class, () -> server.setWeight(257)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> server.setWeight(-1));
        assertEquals(1, server.weight());
    }

    @Test
    public void freeSlotsCountAgainstMaxconn() {
        ServerState limited = Servers.active("a", 1, 2);
        assertTrue(limited.hasFreeSlot(limited.currentConnections(), 0));
        limited.takeSlot();
        assertTrue(limited.hasFreeSlot(limited.currentConnections(), 0));
        limited.takeSlot();
        assertFalse(limited.hasFreeSlot(limited.currentConnections(), 0));
        limited.releaseSlot();
        assertTrue(limited.hasFreeSlot(limited.currentConnections(), 0));

        ServerState unlimited = Servers.active("b", 1, 0);
        for (int i = 0; i < 1000; i++) {
            unlimited.takeSlot();
        }
        assertTrue(unlimited.hasFreeSlot(limited.currentConnections(), 0));
    }

    @Test
    public void aSlowStartRampsWeightAndMaxconnAfterComingBackUpOnly() {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8000);
        ServerState server = new ServerState(new Server("a", 1, address, 4, 100, false, false, null,
                ServerPoolSettings.DEFAULT, ServerCheck.NONE, new ServerLimits(0, Duration.ofSeconds(10), false,
                        false)));
        // No ramp at startup, where every server would start at once.
        assertEquals(4 * 16, server.rampedWeight(16, 0));
        assertTrue(server.hasFreeSlot(99, 0));
        server.setUp(false, 1_000);
        server.setUp(true, 2_000);
        assertEquals(1, server.rampedWeight(16, 2_000));
        assertFalse(server.hasFreeSlot(1, 2_000));
        assertTrue(server.hasFreeSlot(0, 2_000));
        // A quarter of the way: a quarter of the weight and of maxconn.
        assertEquals(16, server.rampedWeight(16, 4_500));
        assertTrue(server.hasFreeSlot(24, 4_500));
        assertFalse(server.hasFreeSlot(25, 4_500));
        assertEquals(4 * 16, server.rampedWeight(16, 12_000));
        assertTrue(server.hasFreeSlot(99, 12_000));
        // Staying up does not start another ramp.
        server.setUp(true, 20_000);
        assertEquals(4 * 16, server.rampedWeight(16, 20_000));
    }
}
