package org.muxgate.proxy.engine;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** TCP load balancing through the engine, the pt mux and the transport, with real servers. */
public class TcpProxyTest extends EngineTestSupport {

    @Test
    public void manyConcurrentClientsAreEchoedThroughBothServers() throws Exception {
        TestServer one = server(TestServer.ECHO);
        TestServer two = server(TestServer.ECHO);
        startProxy(frontend() + "backend be\n" + indent("mode tcp", "balance roundrobin",
                "server s1 \"127.0.0.1:${S1}\"", "server s2 \"127.0.0.1:${S2}\""), one.port(), two.port());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int id = i;
                clients.add(pool.submit(() -> {
                    try (Socket socket = client()) {
                        for (int round = 0; round < 20; round++) {
                            String text = "client " + id + " round " + round + "\n";
                            send(socket, text);
                            assertEquals(text, receive(socket, text.length()));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(64, one.accepted.get() + two.accepted.get());
        assertTrue("round robin uses both servers", one.accepted.get() > 0 && two.accepted.get() > 0);
        await("every connection is closed", () -> registry.connectionCount() == 0);
    }

    @Test
    public void aLargeTransferToASlowReaderKeepsMemoryBounded() throws Exception {
        int size = 16 << 20;
        byte[] block = new byte[65536];
        new java.util.Random(42).nextBytes(block);
        TestServer source = server(socket -> {
            OutputStream out = socket.getOutputStream();
            for (int sent = 0; sent < size; sent += block.length) {
                out.write(block);
            }
            socket.shutdownOutput();
            socket.getInputStream().read();
        });
        startProxy(frontend() + "backend be\n" + indent("mode tcp", "server s1 \"127.0.0.1:${S1}\""), source.port());
        try (Socket socket = client()) {
            InputStream in = socket.getInputStream();
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[4096];
            long total = 0;
            long nextStall = 0;
            int n;
            while ((n = in.read(chunk)) > 0) {
                got.update(chunk, 0, n);
                total += n;
                if (total >= nextStall) {
                    // The reader stalls now and then, long enough for every socket buffer on
                    // the way to fill: the proxy must stop reading the server meanwhile.
                    Thread.sleep(50);
                    nextStall = total + (2 << 20);
                }
            }
            assertEquals(size, total);
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            for (int sent = 0; sent < size; sent += block.length) {
                expected.update(block);
            }
            assertArrayEquals(expected.digest(), got.digest());
        }
        // One buffer per direction at most, plus what the two threads' caches may have warmed.
        long buffers = engine.transport().buffers().allocated();
        assertTrue("allocated " + buffers + " buffers", buffers <= 4);
    }

    @Test
    public void aClientHalfCloseReachesTheServerWhichStillAnswers() throws Exception {
        TestServer counter = server(socket -> {
            long n = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            new DataOutputStream(socket.getOutputStream()).writeBytes("got " + n);
        });
        startProxy(frontend() + "backend be\n" + indent("mode tcp", "server s1 \"127.0.0.1:${S1}\""), counter.port());
        try (Socket socket = client()) {
            send(socket, "0123456789");
            socket.shutdownOutput();
            assertEquals("got 10", new String(socket.getInputStream().readAllBytes()));
        }
    }

    @Test
    public void aServerHalfCloseReachesTheClientWhichStillSends() throws Exception {
        java.util.concurrent.CompletableFuture<String> received = new java.util.concurrent.CompletableFuture<>();
        TestServer greeter = server(socket -> {
            socket.getOutputStream().write("hello".getBytes());
            socket.shutdownOutput();
            received.complete(new String(socket.getInputStream().readAllBytes()));
        });
        startProxy(frontend() + "backend be\n" + indent("mode tcp", "server s1 \"127.0.0.1:${S1}\""), greeter.port());
        try (Socket socket = client()) {
            assertEquals("hello", new String(socket.getInputStream().readAllBytes()));
            send(socket, "bye");
            socket.shutdownOutput();
            assertEnded(socket);
        }
        assertEquals("bye", received.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        await("every connection is closed", () -> registry.connectionCount() == 0);
    }

    private static int closedPort() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    public void aRefusingServerIsRetriedThenRedispatched() throws Exception {
        TestServer good = server(TestServer.ECHO);
        startProxy(frontend() + "backend be\n" + indent("mode tcp", "balance first", "retries 2", "option redispatch",
                "server refusing \"127.0.0.1:${S1}\"", "server good \"127.0.0.1:${S2}\""), closedPort(), good.port());
        for (int i = 0; i < 3; i++) {
            try (Socket socket = client()) {
                send(socket, "ping");
                assertEquals("ping", receive(socket, 4));
            }
        }
        assertEquals(3, good.accepted.get());
    }

    /**
     * As HAProxy: only the last retry is redispatched, and a retry on the server that
     * refused waits min(timeout connect, 1 s) first; here one turn-around of 300 ms.
     */
    @Test
    public void aRetryOnTheRefusingServerWaitsTheTurnAround() throws Exception {
        TestServer good = server(TestServer.ECHO);
        startProxy(frontend() + "backend be\n" + indent("mode tcp", "balance first", "retries 2", "option redispatch",
                "timeout connect 300ms", "server refusing \"127.0.0.1:${S1}\"", "server good \"127.0.0.1:${S2}\""),
                closedPort(), good.port());
        long start = System.nanoTime();
        try (Socket socket = client()) {
            send(socket, "ping");
            assertEquals("ping", receive(socket, 4));
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("answered after " + elapsedMillis + " ms, before the turn-around", elapsedMillis >= 300);
        assertEquals(1, good.accepted.get());
    }

    @Test
    public void withoutRedispatchRetriesStayOnTheRefusingServer() throws Exception {
        TestServer good = server(TestServer.ECHO);
        startProxy(frontend() + "backend be\n" + indent("mode tcp", "balance first", "retries 2",
                "server refusing \"127.0.0.1:${S1}\"", "server good \"127.0.0.1:${S2}\""), closedPort(), good.port());
        try (Socket socket = client()) {
            assertEnded(socket);
        }
        assertEquals(0, good.accepted.get());
    }

    /** A server that accepts and then neither sends nor closes. */
    private static final TestServer.Behaviour SILENT = socket -> socket.getInputStream().transferTo(
            OutputStream.nullOutputStream());

    @Test
    public void timeoutClientClosesAnIdleClient() throws Exception {
        TestServer silent = server(SILENT);
        startProxy(frontend("timeout client 200ms") + "backend be\n"
                + indent("mode tcp", "timeout server 1h", "server s1 \"127.0.0.1:${S1}\""), silent.port());
        try (Socket socket = client()) {
            assertEnded(socket);
        }
    }

    @Test
    public void timeoutServerClosesAnIdleServer() throws Exception {
        TestServer silent = server(SILENT);
        startProxy(frontend("timeout client 1h") + "backend be\n"
                + indent("mode tcp", "timeout server 200ms", "server s1 \"127.0.0.1:${S1}\""), silent.port());
        try (Socket socket = client()) {
            assertEnded(socket);
        }
    }

    @Test
    public void timeoutTunnelReplacesClientAndServerOnceConnected() throws Exception {
        TestServer echo = server(TestServer.ECHO);
        startProxy(frontend("timeout client 1h") + "backend be\n"
                + indent("mode tcp", "timeout server 1h", "timeout tunnel 200ms", "server s1 \"127.0.0.1:${S1}\""),
                echo.port());
        try (Socket socket = client()) {
            send(socket, "x");
            assertEquals("x", receive(socket, 1));
            assertEnded(socket);
        }
    }

    @Test
    public void timeoutClientFinAppliesOnceTheClientGotOurFin() throws Exception {
        TestServer closer = server(socket -> {
            socket.shutdownOutput();
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        });
        startProxy(frontend("timeout client 1h", "timeout client-fin 200ms") + "backend be\n"
                + indent("mode tcp", "timeout server 1h", "server s1 \"127.0.0.1:${S1}\""), closer.port());
        try (Socket socket = client()) {
            assertEquals(-1, socket.getInputStream().read());
            // Our side stays open and silent: only client-fin can end the connection now.
            await("the proxy closes the half-closed client", () -> registry.connectionCount() == 0);
        }
    }

    @Test
    public void timeoutServerFinAppliesOnceTheServerGotOurFin() throws Exception {
        // Reads our FIN, then keeps its side open: only server-fin can end the connection.
        TestServer silent = server(socket -> {
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            try {
                Thread.sleep(TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        startProxy(frontend("timeout client 1h") + "backend be\n"
                + indent("mode tcp", "timeout server 1h", "timeout server-fin 200ms", "server s1 \"127.0.0.1:${S1}\""),
                silent.port());
        try (Socket socket = client()) {
            socket.shutdownOutput();
            assertEnded(socket);
        }
    }

    @Test
    public void timeoutConnectGivesUpOnAServerThatNeverAnswers() throws Exception {
        // A listener that never accepts, its backlog filled: the kernel drops further SYNs.
        java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        List<Socket> fillers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(blackHole.getLocalSocketAddress(), 200);
                } catch (IOException full) {
                    filler.close();
                    break;
                }
                fillers.add(filler);
            }
            startProxy(frontend("timeout client 1h") + "backend be\n" + indent("mode tcp", "retries 0",
                    "timeout connect 200ms", "timeout server 1h", "server s1 \"127.0.0.1:${S1}\""),
                    blackHole.getLocalPort());
            try (Socket socket = client()) {
                assertEnded(socket);
            }
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
            blackHole.close();
        }
    }

    @Test
    public void aFullServerQueuesTheNextClientUntilASlotIsFree() throws Exception {
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostOpen = new java.util.concurrent.atomic.AtomicInteger();
        TestServer counting = server(socket -> {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                TestServer.ECHO.serve(socket);
            } finally {
                open.decrementAndGet();
            }
        });
        startProxy(frontend("timeout client 1m") + "backend be\n" + indent("mode tcp", "timeout connect 1m",
                "timeout queue 1m", "timeout server 1m", "server s1 \"127.0.0.1:${S1}\" maxconn 1"), counting.port());
        Socket first = client();
        send(first, "first");
        assertEquals("first", receive(first, 5));
        Socket second = client();
        send(second, "second");
        first.close();
        assertEquals("second", receive(second, 6));
        assertEquals(1, mostOpen.get());
        assertEquals(2, counting.accepted.get());
    }

    @Test
    public void timeoutQueueClosesAClientThatWaitedTooLong() throws Exception {
        TestServer echo = server(TestServer.ECHO);
        startProxy(frontend("timeout client 1m") + "backend be\n" + indent("mode tcp", "timeout connect 1m",
                "timeout queue 200ms", "timeout server 1m", "server s1 \"127.0.0.1:${S1}\" maxconn 1"), echo.port());
        Socket first = client();
        send(first, "first");
        assertEquals("first", receive(first, 5));
        try (Socket second = client()) {
            assertEnded(second);
        }
        assertEquals(1, echo.accepted.get());
        send(first, "still");
        assertEquals("still", receive(first, 5));
    }
}
