package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

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
        server.setUp(true);
        assertTrue(server.isUsable());
    }

    @Test
    public void usableOnlyWhenUpOutOfMaintenanceAndWeighted() {
        ServerState server = Servers.active("a", 1);
        server.setUp(false);
        assertFalse(server.isUsable());
        server.setUp(true);
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
        assertTrue(limited.hasFreeSlot());
        limited.takeSlot();
        assertTrue(limited.hasFreeSlot());
        limited.takeSlot();
        assertFalse(limited.hasFreeSlot());
        limited.releaseSlot();
        assertTrue(limited.hasFreeSlot());

        ServerState unlimited = Servers.active("b", 1, 0);
        for (int i = 0; i < 1000; i++) {
            unlimited.takeSlot();
        }
        assertTrue(unlimited.hasFreeSlot());
    }
}
