package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * Balancing and queues through real sockets: requests waiting for a server at its
 * maxconn are served in arrival order, or answered 503 at {@code timeout queue};
 * {@code balance uri} keeps each URI on one server; {@code on-marked-down
 * shutdown-sessions} and {@code on-marked-up shutdown-backup-sessions} end the
 * sessions of the servers concerned, and only theirs. Every wait is for a state.
 */
public class BalancingTest extends HttpTestSupport {

    /** Answers "/hold" only once {@link #release} opens, everything else at once; records the targets in order. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> served = new CopyOnWriteArrayList<>();

    private HttpTestBackend holdingBackend() throws Exception {
        return backend((request, index, socket) -> {
            if (request.target().equals("/hold")) {
                try {
                    release.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            served.add(request.target());
            return HttpTestBackend.OK.getBytes(StandardCharsets.ISO_8859_1);
        });
    }

    private static Socket sendGet(Socket socket, String target) throws Exception {
        send(socket, bytes("GET " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"));
        return socket;
    }

    @Test
    public void requestsWaitingForAFullServerAreServedInArrivalOrder() throws Exception {
        HttpTestBackend server = holdingBackend();
        startHttpProxy(defaults("timeout queue 30s") + httpFrontend()
                + "backend be\n  server s1 \"127.0.0.1:${S1}\" maxconn 1\n", server.port());
        List<Socket> clients = new ArrayList<>();
        clients.add(sendGet(client(), "/hold"));
        await("the first request reaches the server", () -> server.accepted.get() == 1);
        for (int i = 1; i <= 4; i++) {
            clients.add(sendGet(client(), "/" + i));
            int queued = i;
            await(queued + " requests queued", () -> engine.queueLength("be") == queued);
        }
        release.countDown();
        for (Socket socket : clients) {
            assertEquals(200, response(input(socket)).status());
            socket.close();
        }
        assertEquals(List.of("/hold", "/1", "/2", "/3", "/4"), served);
        assertEquals(0, engine.queueLength("be"));
        await("the last slot given back", () -> engine.server("be", "s1").currentConnections() == 0);
    }

    @Test
    public void aRequestStillQueuedAtTimeoutQueueGets503AndOthersAreServed() throws Exception {
        HttpTestBackend server = holdingBackend();
        startHttpProxy(defaults("timeout queue 200ms") + httpFrontend()
                + "backend be\n  server s1 \"127.0.0.1:${S1}\" maxconn 1\n", server.port());
        try (Socket holder = sendGet(client(), "/hold")) {
            await("the first request reaches the server", () -> server.accepted.get() == 1);
            assertEquals(503, get("/late").status());
            release.countDown();
            assertEquals(200, response(input(holder)).status());
        }
        assertEquals(200, get("/after").status());
        assertEquals(List.of("/hold", "/after"), served);
    }

    @Test
    public void balanceUriKeepsEachUriOnOneServer() throws Exception {
        List<HttpTestBackend> servers = new ArrayList<>();
        Map<String, Set<Integer>> serversOfUri = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            int index = i;
            servers.add(backend((request, n, socket) -> {
                synchronized (serversOfUri) {
                    serversOfUri.computeIfAbsent(request.target(), k -> new HashSet<>()).add(index);
                }
                return HttpTestBackend.OK.getBytes(StandardCharsets.ISO_8859_1);
            }));
        }
        startHttpProxy(defaults() + httpFrontend() + "backend be\n  balance uri\n"
                + "  server s1 \"127.0.0.1:${S1}\"\n  server s2 \"127.0.0.1:${S2}\"\n  server s3 \"127.0.0.1:${S3}\"\n",
                servers.get(0).port(), servers.get(1).port(), servers.get(2).port());
        for (int round = 0; round < 3; round++) {
            for (int uri = 0; uri < 30; uri++) {
                // The query is not hashed without "whole".
                assertEquals(200, get("/item/" + uri + "?round=" + round).status());
            }
        }
        Set<Integer> used = new HashSet<>();
        for (int uri = 0; uri < 30; uri++) {
            Set<Integer> of = new HashSet<>();
            for (int round = 0; round < 3; round++) {
                of.addAll(serversOfUri.get("/item/" + uri + "?round=" + round));
            }
            assertEquals("/item/" + uri + " went to " + of, 1, of.size());
            used.addAll(of);
        }
        assertEquals("30 URIs over 3 servers", 3, used.size());
    }

    @Test
    public void aWeightChangedAtRunTimeAppliesFromTheNextRequest() throws Exception {
        HttpTestBackend one = backend();
        HttpTestBackend two = backend();
        startHttpProxy(defaults() + httpFrontend() + "backend be\n"
                + "  server s1 \"127.0.0.1:${S1}\"\n  server s2 \"127.0.0.1:${S2}\"\n", one.port(), two.port());
        for (int i = 0; i < 4; i++) {
            assertEquals(200, get("/").status());
        }
        assertEquals(2, one.accepted.get());
        engine.setWeight("be", "s1", 0);
        for (int i = 0; i < 4; i++) {
            assertEquals(200, get("/").status());
        }
        assertEquals("s1 drained", 2, one.accepted.get());
        engine.setWeight("be", "s1", 3);
        for (int i = 0; i < 8; i++) {
            assertEquals(200, get("/").status());
        }
        assertEquals("3 to 1", 2 + 6, one.accepted.get());
        assertEquals(java.util.Arrays.asList("weight of server 's1' must be between 0 and 256, not 300",
                "no server 's9' in backend 'be'"), java.util.Arrays.asList(
                        org.junit.Assert.assertThrows(IllegalArgumentException.class,
                                () -> engine.setWeight("be", "s1", 300)).getMessage(),
                        org.junit.Assert.assertThrows(IllegalArgumentException.class,
                                () -> engine.setWeight("be", "s9", 1)).getMessage()));
    }

    /** A port where health checks succeed while a listener is open and fail once it is closed. */
    private static final class HealthPort implements AutoCloseable {
        private final int port;
        private ServerSocket listener;

        HealthPort() throws Exception {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            port = listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
        }

        /** Listens again on the same port. */
        void reopen() throws Exception {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        }
    }

    private static String echoed(Socket socket, String text) throws Exception {
        send(socket, text);
        return receive(socket, text.length());
    }

    @Test
    public void onMarkedDownShutdownSessionsEndsTheSessionsOfThatServerOnly() throws Exception {
        TestServer one = server(TestServer.ECHO);
        TestServer two = server(TestServer.ECHO);
        try (HealthPort health = new HealthPort()) {
            startProxy(frontend("timeout client 1m") + "backend be\n" + indent("mode tcp", "balance first",
                    "timeout connect 5s", "timeout server 1m", "timeout check 1s",
                    "server s1 \"127.0.0.1:${S1}\" maxconn 1 check port " + health.port
                            + " inter 50 fall 1 rise 1 on-marked-down shutdown-sessions",
                    "server s2 \"127.0.0.1:${S2}\" maxconn 1"), one.port(), two.port());
            Socket onOne = client();
            assertEquals("a", echoed(onOne, "a"));
            Socket onTwo = client();
            assertEquals("b", echoed(onTwo, "b"));
            assertEquals(1, one.accepted.get());
            assertEquals(1, two.accepted.get());
            health.close();
            await("s1 marked down", () -> !engine.server("be", "s1").isUp());
            assertEnded(onOne);
            await("s1's slot given back", () -> engine.server("be", "s1").currentConnections() == 0);
            assertEquals("the other server's session goes on", "c", echoed(onTwo, "c"));
            onTwo.close();
        }
    }

    @Test
    public void onMarkedUpShutdownBackupSessionsEndsTheBackupsSessions() throws Exception {
        TestServer active = server(TestServer.ECHO);
        TestServer backup = server(TestServer.ECHO);
        try (HealthPort health = new HealthPort()) {
            health.close();
            startProxy(frontend("timeout client 1m") + "backend be\n" + indent("mode tcp",
                    "timeout connect 5s", "timeout server 1m", "timeout check 1s",
                    "server s1 \"127.0.0.1:${S1}\" check port " + health.port
                            + " inter 50 fall 1 rise 1 on-marked-up shutdown-backup-sessions",
                    "server b1 \"127.0.0.1:${S2}\" backup"), active.port(), backup.port());
            await("s1 marked down", () -> !engine.server("be", "s1").isUp());
            Socket onBackup = client();
            assertEquals("a", echoed(onBackup, "a"));
            assertEquals(1, backup.accepted.get());
            health.reopen();
            await("s1 marked up", () -> engine.server("be", "s1").isUp());
            assertEnded(onBackup);
            try (Socket onActive = client()) {
                assertEquals("b", echoed(onActive, "b"));
            }
            assertEquals(1, active.accepted.get());
        }
    }
}
