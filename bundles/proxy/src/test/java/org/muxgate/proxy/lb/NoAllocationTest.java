package org.muxgate.proxy.lb;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;

import org.junit.Test;
import org.muxgate.proxy.config.BalanceAlgorithm;

/** pick and release run for every connection attempt: they must not allocate. */
public class NoAllocationTest {

    private static final int PICKS = 100_000;
    /** Far below one object per pick (16 bytes at least), far above any measuring noise. */
    private static final long TOLERANCE = 64 * 1024;

    @Test
    public void picksAndReleasesDoNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        InetAddress[] clients = { Servers.ipv4(1), Servers.ipv4(2), Servers.address(new byte[] {
            0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }), null };
        for (BalanceAlgorithm algorithm : BalanceAlgorithm.values()) {
            ServerState full = Servers.active("full", 1, 1);
            ServerState avoided = Servers.active("avoided", 2);
            ServerState other = Servers.active("other", 3);
            ServerState backup = Servers.backup("backup", 0);
            LoadBalancer balancer = Servers.balancer(algorithm, full, avoided, other, backup);
            Servers.pick(balancer, clients[0], null);
            Waiter waiter = new Servers.Request();
            run(balancer, clients, avoided, waiter);

            long before = threads.getCurrentThreadAllocatedBytes();
            run(balancer, clients, avoided, waiter);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(algorithm.token() + " allocated " + allocated + " bytes in " + 2 * PICKS + " picks",
                    allocated < TOLERANCE);
        }
    }

    /**
     * Picks on active servers, one of them full, then on the backup. A hashed
     * algorithm queues the clients of the full server, which then leave the queue.
     */
    private static void run(LoadBalancer balancer, InetAddress[] clients, ServerState avoid, Waiter waiter) {
        for (int i = 0; i < PICKS; i++) {
            pickAndRelease(balancer, clients[i % clients.length], (i & 1) == 0 ? avoid : null, waiter);
        }
        for (ServerState server : balancer.servers()) {
            server.setUp(server.isBackup(), 0);
        }
        for (int i = 0; i < PICKS; i++) {
            pickAndRelease(balancer, clients[i % clients.length], null, waiter);
        }
        for (ServerState server : balancer.servers()) {
            server.setUp(true, 0);
        }
    }

    private static void pickAndRelease(LoadBalancer balancer, InetAddress client, ServerState avoid, Waiter waiter) {
        ServerState server = Servers.pick(balancer, client, avoid, waiter);
        if (server != null) {
            balancer.release(server);
        } else if (!balancer.leave(waiter)) {
            throw new AssertionError("no server usable");
        }
    }
}
