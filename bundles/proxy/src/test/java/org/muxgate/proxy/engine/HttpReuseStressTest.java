package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.Test;
import org.muxgate.transport.IdleConnLocks;
import org.muxgate.transport.IdleConnLocks.Reason;

/**
 * Reuse under random load: 2 to 8 worker threads, many clients sending GETs with
 * and without keep-alive, a server that closes connections at random (right
 * after a response, or as the next request comes), for a bounded time. Every
 * request must get its own response (each carries an id the server echoes: a
 * connection used by two streams at once would mix them up), the process must end
 * with no more sockets than it began with, and no frontend connection may ever
 * take an idle-connections lock.
 */
public class HttpReuseStressTest extends HttpTestSupport {

    private static final int CLIENTS = 12;
    private static final long RUN_MILLIS = 1500;

    @Test
    public void randomLoadAndServerClosesLoseNoRequest() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // The JDK keeps a socket of its own from the first one a process opens on: not ours to count.
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).close();
        long socketsBefore = countSockets();
        for (int threads : new int[] {2, 2 + random.nextInt(3), 5 + random.nextInt(4)}) {
            run(threads, "seed " + seed + ", " + threads + " threads");
        }
        await("every socket is closed", () -> openSockets() <= socketsBefore);
    }

    private static long openSockets() {
        try {
            return countSockets();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void run(int threads, String what) throws Exception {
        workerThreads = threads;
        AtomicInteger serverCloses = new AtomicInteger();
        HttpTestBackend backend = new HttpTestBackend((request, index, socket) -> {
            String id = request.header("x-id");
            byte[] response = bytes("HTTP/1.1 200 OK\r\nx-id: " + id + "\r\ncontent-length: 2\r\n\r\nok");
            int dice = ThreadLocalRandom.current().nextInt(100);
            if (dice < 8) {
                // Answers, then closes: the idle connection dies under the proxy.
                OutputStream out = socket.getOutputStream();
                out.write(response);
                out.flush();
                serverCloses.incrementAndGet();
                return null;
            }
            if (dice < 14 && index > 0) {
                // Closes as a request comes on a kept connection, without answering.
                serverCloses.incrementAndGet();
                return null;
            }
            return response;
        });
        try {
            startHttpProxy(defaults() + httpFrontend() + httpBackend("http-reuse always"), backend.port());
            Queue<String> errors = new ConcurrentLinkedQueue<>();
            AtomicLong answered = new AtomicLong();
            long deadline = System.nanoTime() + RUN_MILLIS * 1_000_000L;
            List<Thread> clients = Stream.generate(() -> new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline && errors.isEmpty()) {
                        answered.addAndGet(session(ThreadLocalRandom.current().nextInt(1, 4), errors));
                    }
                } catch (IOException | RuntimeException e) {
                    errors.add(String.valueOf(e));
                }
            })).limit(CLIENTS).toList();
            clients.forEach(Thread::start);
            for (Thread client : clients) {
                client.join();
            }
            assertEquals(what + ": " + errors, List.of(), List.copyOf(errors));
            assertTrue(what, answered.get() > 0);
            IdleConnLocks locks = engine.transport().idleLocks();
            assertEquals(what + ": frontends took the idle lock", 0, locks.acquisitions(Reason.IO_FRONTEND));
            assertTrue(what + ": reuse happened", locks.acquisitions(Reason.TAKE)
                    + locks.acquisitions(Reason.TAKEOVER) > 0);
            assertTrue(what + ": the server closed connections", serverCloses.get() > 0);
        } finally {
            stopAll();
            engine = null;
            scheduler = null;
            backend.close();
        }
    }

    /** One client connection with {@code requests} GETs, the last asking to close. @return the responses checked */
    private int session(int requests, Queue<String> errors) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(proxyAddress(), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            InputStream in = input(socket);
            for (int i = 0; i < requests; i++) {
                String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
                boolean last = i == requests - 1;
                send(socket, bytes("GET /r HTTP/1.1\r\nHost: test\r\nx-id: " + id + "\r\n"
                        + (last ? "Connection: close\r\n" : "") + "\r\n"));
                HttpWire.Message response = HttpWire.read(in, true, false);
                if (response == null || response.status() != 200 || !id.equals(response.header("x-id"))) {
                    errors.add("request " + id + " got " + (response == null ? "no response" : response.rawText()));
                    return i;
                }
            }
            return requests;
        }
    }

    /** @return the sockets the process has open, counted in /proc/self/fd */
    private static long countSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    // Closed while listing.
                    return false;
                }
            }).count();
        }
    }
}
