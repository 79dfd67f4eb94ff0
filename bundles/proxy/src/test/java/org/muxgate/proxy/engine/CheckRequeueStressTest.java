package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Test;
import org.muxgate.proxy.lb.ServerState;

/**
 * Seed 003's scenario: health-check tasks running on some threads are requeued
 * earlier ({@code fastinter}) from traffic threads, whose responses are errors
 * observed at layer 7, for a bounded time. In HAProxy a check requeued this way
 * while it ran could leave its wait queue for good and silently stop; here every
 * server's checks must keep their pace during the traffic and after it.
 *
 * <p>200 servers share two loopback ports: the traffic port, whose every answer is
 * a 500, and the check port ({@code port}), which accepts and closes.
 */
public class CheckRequeueStressTest extends HttpTestSupport {

    private static final int SERVERS = 200;
    private static final int CLIENTS = 4;
    private static final long TRAFFIC_MILLIS = 3000;

    private ServerSocket checkPort;
    private final AtomicBoolean running = new AtomicBoolean(true);

    @After
    public void closeCheckPort() throws IOException {
        running.set(false);
        if (checkPort != null) {
            checkPort.close();
        }
    }

    private void acceptAndClose() {
        while (running.get()) {
            try (Socket socket = checkPort.accept()) {
                // A connect check only needs the connection established.
            } catch (IOException e) {
                return;
            }
        }
    }

    @Test
    public void checksRequeuedFromTrafficThreadsNeverStop() throws Exception {
        workerThreads = 3;
        checkPort = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAndClose, "check-port");
        acceptor.setDaemon(true);
        acceptor.start();
        HttpTestBackend backend = backend(HttpTestBackend.fixed(
                "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n"));
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < SERVERS; i++) {
            servers.append("  server s").append(i).append(" \"127.0.0.1:${S1}\" check port ").append(checkPort
                    .getLocalPort()).append(" inter 100 fastinter 10 observe layer7 error-limit 1 on-error fastinter\n");
        }
        startHttpProxy(defaults() + httpFrontend() + "backend be\n  http-reuse always\n" + servers, backend.port());

        long[] before = checkCounts();
        AtomicLong responses = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long end = System.nanoTime() + TRAFFIC_MILLIS * 1_000_000;
        for (int c = 0; c < CLIENTS; c++) {
            Thread client = new Thread(() -> {
                try (Socket socket = client()) {
                    InputStream in = input(socket);
                    byte[] request = "GET /x HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
                    while (System.nanoTime() < end) {
                        send(socket, request);
                        int status = response(in).status();
                        assertTrue("a 500 from a server, or a 503 while every server is down: " + status,
                                status == 500 || status == 503);
                        responses.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "client-" + c);
            clients.add(client);
            client.start();
        }
        for (Thread client : clients) {
            client.join(TIMEOUT_MS + TRAFFIC_MILLIS);
        }
        assertEquals("client failures: " + failures, List.of(), failures);
        assertTrue("traffic went through", responses.get() > 0);

        long[] during = checkCounts();
        for (int i = 0; i < SERVERS; i++) {
            // inter 100 over 3 s is 30 checks, and fastinter more: 3 leaves room for a busy machine.
            assertTrue("server s" + i + " checked " + (during[i] - before[i]) + " times during the traffic",
                    during[i] - before[i] >= 3);
        }
        await("every server's checks go on after the traffic", () -> {
            long[] now = checkCounts();
            for (int i = 0; i < SERVERS; i++) {
                if (now[i] < during[i] + 3) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Each server's checks so far, passed or failed. */
    private long[] checkCounts() {
        long[] counts = new long[SERVERS];
        for (int i = 0; i < SERVERS; i++) {
            ServerState server = engine.server("be", "s" + i);
            counts[i] = server.checksPassed() + server.checksFailed();
        }
        return counts;
    }
}
