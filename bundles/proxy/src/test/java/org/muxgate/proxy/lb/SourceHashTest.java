package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.muxgate.proxy.config.BalanceAlgorithm.SOURCE;
import static org.muxgate.proxy.lb.Servers.active;
import static org.muxgate.proxy.lb.Servers.balancer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.Test;

public class SourceHashTest {

    private final ServerState a = active("A", 1);
    private final ServerState b = active("B", 1);
    private final ServerState c = active("C", 2);
    private final LoadBalancer balancer = balancer(SOURCE, a, b, c);

    @Test
    public void consecutiveIpv4AddressesWalkTheWeightedTable() {
        // HAProxy's map-based hash: the IPv4 address modulo the total weight.
        List<InetAddress> clients = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            clients.add(Servers.ipv4(i));
        }
        assertEquals(Map.of("A", 100, "B", 100, "C", 200), Servers.counts(balancer, clients));
    }

    @Test
    public void randomIpv4ClientsAreSpreadByWeight() {
        assertSpreadByWeight(randomClients(4, 20_000));
    }

    @Test
    public void randomIpv6ClientsAreSpreadByWeight() {
        assertSpreadByWeight(randomClients(16, 20_000));
    }

    @Test
    public void ipv6ClientsOfOneSubnetAreSpreadByWeight() {
        List<InetAddress> clients = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] address = { 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (i >> 8), (byte) i };
            clients.add(Servers.address(address));
        }
        assertSpreadByWeight(clients);
    }

    @Test
    public void aClientKeepsItsServerWhileTheUsableServersDoNotChange() {
        List<InetAddress> clients = new ArrayList<>(randomClients(4, 500));
        clients.addAll(randomClients(16, 500));
        Map<InetAddress, ServerState> first = assignments(clients);
        // Load and run-time weights do not move anyone (map-based hashing is static).
        ServerState held = Servers.pick(balancer, clients.get(0), null);
        b.setWeight(100);
        assertEquals(first, assignments(clients));
        balancer.release(held);

        b.setUp(false, 0);
        Map<InetAddress, ServerState> withoutB = assignments(clients);
        assertTrue(withoutB.values().stream().noneMatch(server -> server == b));
        b.setUp(true, 0);
        assertEquals("the same usable servers give the same table", first, assignments(clients));
    }

    @Test
    public void aFullServerQueuesItsClientsUpToMaxqueueThenLendsThemToTheNextOne() {
        ServerState limited = Servers.withMaxqueue("A", 1, 1);
        LoadBalancer balancer = balancer(SOURCE, limited, b, c);
        InetAddress client = Servers.ipv4(0);
        assertSame(limited, Servers.pick(balancer, client, null));
        Servers.Request waiting = new Servers.Request();
        assertNull("full: its clients wait for it, as in HAProxy", Servers.pick(balancer, client, null, waiting));
        assertTrue(waiting.isQueued());
        assertSame("maxqueue reached: the next server in declaration order", b,
                Servers.pick(balancer, client, null));
        InetAddress otherClient = Servers.ipv4(2);
        assertSame("other clients stay", c, Servers.pick(balancer, otherClient, null));
        balancer.release(limited);
        assertSame("its slot goes to the client waiting", limited, waiting.takeAssigned());
        assertEquals(1, limited.currentConnections());
    }

    @Test
    public void anAvoidedServerLendsItsClientsToTheNextOne() {
        InetAddress client = Servers.ipv4(3);
        ServerState hashed = Servers.pick(balancer, client, null);
        assertSame(c, hashed);
        assertSame("after the last server comes the first", a, Servers.pick(balancer, client, hashed));
    }

    @Test
    public void clientsWithoutAddressGoRoundRobinOnStartupWeights() {
        b.setWeight(10);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            ServerState server = Servers.pick(balancer, null, null);
            names.append(server.name());
            balancer.release(server);
        }
        assertEquals("CABC".repeat(2), names.toString());
    }

    private Map<InetAddress, ServerState> assignments(List<InetAddress> clients) {
        Map<InetAddress, ServerState> assignments = new HashMap<>();
        for (InetAddress client : clients) {
            ServerState server = Servers.pick(balancer, client, null);
            balancer.release(server);
            ServerState previous = assignments.put(client, server);
            assertTrue(previous == null || previous == server);
        }
        return assignments;
    }

    private void assertSpreadByWeight(List<InetAddress> clients) {
        Map<String, Integer> counts = Servers.counts(balancer, clients);
        int total = clients.size();
        assertShare(total / 4, counts.get("A"), total);
        assertShare(total / 4, counts.get("B"), total);
        assertShare(total / 2, counts.get("C"), total);
    }

    private static void assertShare(int expected, int actual, int total) {
        assertTrue("expected about " + expected + " of " + total + " but was " + actual,
                Math.abs(expected - actual) <= total / 50);
    }

    /** Distinct pseudo-random addresses of {@code length} bytes, the same at every run. */
    private static List<InetAddress> randomClients(int length, int count) {
        Random random = new Random(length * 31L + count);
        Set<InetAddress> clients = new LinkedHashSet<>();
        while (clients.size() < count) {
            byte[] address = new byte[length];
            random.nextBytes(address);
            InetAddress client = Servers.address(address);
            // A random IPv6 address may be IPv4-mapped, which Java turns into IPv4.
            if (client.getAddress().length == length) {
                clients.add(client);
            }
        }
        return new ArrayList<>(clients);
    }
}
