package org.muxgate.proxy.lb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;
import org.muxgate.proxy.config.Balance;
import org.muxgate.proxy.config.BalanceAlgorithm;

/**
 * Worker threads picking and releasing while another one changes the servers' state.
 * Every assertion holds whatever the interleaving: nothing depends on timing. A
 * request that queues leaves at once, racing with the hand-over of released slots.
 */
@RunWith(Parameterized.class)
public class ConcurrencyTest {

    private static final int WORKERS = 4;
    private static final int PICKS_PER_WORKER = 50_000;
    private static final int HELD_PER_WORKER = 3;
    private static final int MAXCONN = 4;

    @Parameters(name = "{0}")
    public static List<BalanceAlgorithm> algorithms() {
        return Arrays.asList(BalanceAlgorithm.values());
    }

    @Parameter
    public BalanceAlgorithm algorithm;

    @Test
    public void noSlotLeaksAndNoServerBeyondMaxconnWhileOthersHaveRoom() throws Exception {
        // 5 servers of 4 slots: 16 usable slots even while one server is down, for
        // at most 12 connections held at once, so no pick ever needs a full server.
        List<ServerState> servers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            servers.add(Servers.active("S" + i, i + 1, MAXCONN));
        }
        LoadBalancer balancer = LoadBalancer.create(Balance.of(algorithm), servers);
        InetAddress[] clients = clients();
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger beyondMaxconn = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            SplittableRandom random = new SplittableRandom(w);
            workers.add(thread("worker-" + w, failure, () -> {
                start.await();
                ArrayDeque<ServerState> held = new ArrayDeque<>();
                for (int i = 0; i < PICKS_PER_WORKER; i++) {
                    ServerState avoid = random.nextInt(4) == 0 ? servers.get(random.nextInt(servers.size())) : null;
                    Servers.Request request = new Servers.Request();
                    ServerState server = Servers.pick(balancer, clients[random.nextInt(clients.length)], avoid,
                            request);
                    if (server == null && request.isPending() && !balancer.leave(request)) {
                        // Handed a slot between the pick and the leave.
                        server = request.takeAssigned();
                    }
                    if (server == null) {
                        // Only a hashed algorithm queues while other servers have room: on
                        // its key's full server. Or the key's server went down meanwhile.
                        if (!algorithm.hashed()) {
                            throw new AssertionError("no server while others have room");
                        }
                        continue;
                    }
                    // Slots are only taken under the lock after checking room, so
                    // this count can only be too high if a pick overfilled a server.
                    if (server.currentConnections() > server.maxconn()) {
                        beyondMaxconn.incrementAndGet();
                    }
                    held.add(server);
                    if (held.size() > HELD_PER_WORKER || random.nextBoolean()) {
                        balancer.release(held.remove());
                    }
                }
                held.forEach(balancer::release);
            }));
        }
        Thread changer = thread("changer", failure, () -> {
            start.await();
            for (int i = 0; !done.get(); i++) {
                servers.get(0).setUp(i % 2 == 1, 0);
                balancer.stateChanged(servers.get(0), 0);
                servers.get(1).setWeight(1 + i % 7);
                balancer.stateChanged(servers.get(1), 0);
                Thread.yield();
            }
            servers.get(0).setUp(true, 0);
        });

        workers.forEach(Thread::start);
        changer.start();
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.MINUTES.toMillis(2));
            assertFalse(worker.getName() + " is stuck", worker.isAlive());
        }
        done.set(true);
        changer.join(TimeUnit.MINUTES.toMillis(1));
        assertFalse(changer.isAlive());

        assertNull(failure.get());
        assertEquals(0, beyondMaxconn.get());
        for (ServerState server : servers) {
            assertEquals(server.name(), 0, server.currentConnections());
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread thread(String name, AtomicReference<Throwable> failure, Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private static InetAddress[] clients() {
        InetAddress[] clients = new InetAddress[128];
        for (int i = 0; i < 64; i++) {
            clients[i] = Servers.ipv4(i * 104729);
            byte[] ipv6 = { 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) i };
            clients[64 + i] = Servers.address(ipv6);
        }
        return clients;
    }
}
