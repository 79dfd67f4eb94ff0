package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.muxgate.transport.IdleConnLocks.Reason;

/**
 * Server connection reuse with real sockets on loopback: {@code http-reuse}
 * modes, reuse across clients on one thread and across threads (takeover),
 * the purge of surplus idle connections, and the retry of a request whose
 * reused connection the server had closed. The backend's accept count tells
 * whether a connection was reused.
 */
public class HttpReuseTest extends HttpTestSupport {

    private static final String GET_CLOSE = "GET /a HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    private static final String GET = "GET /a HTTP/1.1\r\nHost: test\r\n\r\n";

    private String config(String... backendLines) {
        return defaults() + httpFrontend() + httpBackend(backendLines);
    }

    /** One request on a new client connection, which the client closes. */
    private void requestOnNewClient() throws Exception {
        try (Socket socket = client()) {
            send(socket, bytes(GET_CLOSE));
            assertEquals(200, response(input(socket)).status());
        }
    }

    /**
     * Waits until the server connection went back to the idle lists {@code n} times
     * in all: the client may have its response before the stream gave it back.
     */
    private void awaitKept(long n) throws InterruptedException {
        await("the server connection is idle again", () -> engine.transport().idleLocks()
                .acquisitions(Reason.KEEP) >= n);
    }

    @Test
    public void clientsOfOneThreadShareOneServerConnection() throws Exception {
        workerThreads = 1;
        HttpTestBackend backend = backend();
        startHttpProxy(config("http-reuse always"), backend.port());
        for (int i = 0; i < 10; i++) {
            requestOnNewClient();
        }
        assertEquals(10, backend.requests().size());
        assertEquals("every client after the first reused the server connection", 1, backend.accepted.get());
    }

    @Test
    public void neverGivesEachClientItsOwnServerConnection() throws Exception {
        workerThreads = 1;
        HttpTestBackend backend = backend();
        startHttpProxy(config("http-reuse never"), backend.port());
        for (int i = 0; i < 3; i++) {
            try (Socket socket = client()) {
                InputStream in = input(socket);
                send(socket, bytes(GET));
                assertEquals(200, response(in).status());
                send(socket, bytes(GET_CLOSE));
                assertEquals(200, response(in).status());
            }
        }
        assertEquals("one server connection per client, kept for its second request", 3, backend.accepted.get());
        assertEquals(0, engine.transport().idleLocks().acquisitions(Reason.KEEP));
    }

    /**
     * The client of one thread leaves an idle server connection there; a client on
     * the other thread (the least loaded gets each new connection) takes it over,
     * then the first client takes it back.
     */
    @Test
    public void aStreamOfAnotherThreadTakesTheIdleConnectionOver() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(config("http-reuse always"), backend.port());
        try (Socket first = client()) {
            InputStream firstIn = input(first);
            send(first, bytes(GET));
            assertEquals(200, response(firstIn).status());
            awaitKept(1);
            try (Socket second = client()) {
                InputStream secondIn = input(second);
                send(second, bytes(GET));
                assertEquals(200, response(secondIn).status());
                awaitKept(2);
                send(first, bytes(GET));
                assertEquals(200, response(firstIn).status());
                awaitKept(3);
                send(second, bytes(GET));
                assertEquals(200, response(secondIn).status());
            }
        }
        assertEquals(4, backend.requests().size());
        assertEquals("the connection moved between the threads", 1, backend.accepted.get());
        assertEquals(1, backend.connections.size());
        assertTrue(engine.transport().idleLocks().acquisitions(Reason.TAKEOVER) >= 3);
        assertEquals(0, engine.transport().idleLocks().acquisitions(Reason.IO_FRONTEND));
    }

    /**
     * HAProxy's table for a client's first request: {@code safe} never reuses,
     * {@code aggressive} only a connection the server kept alive once already,
     * {@code always} any; later requests of a client may reuse any.
     */
    @Test
    public void firstRequestsFollowTheReuseModes() throws Exception {
        assertFirstRequest("never", false, false);
        assertFirstRequest("safe", false, false);
        assertFirstRequest("aggressive", false, true);
        assertFirstRequest("always", true, true);
    }

    /**
     * @param reusesIdle whether a first request reuses a connection used once
     * @param reusesSafe whether it reuses a connection used twice
     */
    private void assertFirstRequest(String mode, boolean reusesIdle, boolean reusesSafe) throws Exception {
        for (boolean safe : new boolean[] {false, true}) {
            workerThreads = 1;
            HttpTestBackend backend = backend();
            startHttpProxy(config("http-reuse " + mode), backend.port());
            try (Socket socket = client()) {
                InputStream in = input(socket);
                if (safe) {
                    // The second request makes the connection one used twice.
                    send(socket, bytes(GET));
                    assertEquals(200, response(in).status());
                }
                send(socket, bytes(GET_CLOSE));
                assertEquals(200, response(in).status());
            }
            await("the client connection is gone", () -> engine.transport().registry().connectionCount() <= 1);
            requestOnNewClient();
            boolean reused = safe ? reusesSafe : reusesIdle;
            assertEquals("http-reuse " + mode + ", first request, connection used " + (safe ? "twice" : "once"),
                    reused ? 1 : 2, backend.accepted.get());
            stopAll();
            engine = null;
            scheduler = null;
        }
    }

    @Test
    public void laterRequestsOfAClientReuseUnderSafe() throws Exception {
        workerThreads = 1;
        HttpTestBackend backend = backend();
        startHttpProxy(config("http-reuse safe"), backend.port());
        requestOnNewClient();
        try (Socket socket = client()) {
            InputStream in = input(socket);
            send(socket, bytes(GET));
            assertEquals(200, response(in).status());
            assertEquals("a first request gets a new connection", 2, backend.accepted.get());
            for (int i = 0; i < 5; i++) {
                send(socket, bytes(GET));
                assertEquals(200, response(in).status());
            }
        }
        assertEquals("later requests reuse idle connections", 2, backend.accepted.get());
    }

    @Test
    public void poolMaxConnZeroKeepsNothing() throws Exception {
        workerThreads = 1;
        HttpTestBackend backend = backend();
        startHttpProxy(defaults() + httpFrontend() + "backend be\n  http-reuse always\n"
                + "  server s1 \"127.0.0.1:${S1}\" pool-max-conn 0\n", backend.port());
        for (int i = 0; i < 3; i++) {
            requestOnNewClient();
        }
        assertEquals(3, backend.accepted.get());
        await("the server connections are closed", () -> backend.connections.stream().allMatch(c -> c.ended));
    }

    /**
     * Four clients at once need four server connections; once they are idle, each
     * purge period closes half of those beyond the need, whose estimate decays,
     * until none is left.
     */
    @Test
    public void idleConnectionsBeyondTheNeedArePurged() throws Exception {
        workerThreads = 1;
        int clients = 4;
        CountDownLatch all = new CountDownLatch(clients);
        HttpTestBackend backend = backend((request, index, socket) -> {
            all.countDown();
            try {
                // Held until every client's request came: four connections at once.
                all.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return bytes(HttpTestBackend.OK);
        });
        startHttpProxy(defaults() + httpFrontend() + "backend be\n  http-reuse always\n"
                + "  server s1 \"127.0.0.1:${S1}\" pool-purge-delay 100ms\n", backend.port());
        Socket[] sockets = new Socket[clients];
        for (int i = 0; i < clients; i++) {
            sockets[i] = client();
            send(sockets[i], bytes(GET_CLOSE));
        }
        for (Socket socket : sockets) {
            assertEquals(200, response(input(socket)).status());
        }
        assertEquals(clients, backend.accepted.get());
        await("the purge closed every idle connection", () -> backend.connections.stream().allMatch(c -> c.ended));
        assertTrue(engine.transport().idleLocks().acquisitions(Reason.PURGE) >= 2);
    }

    /**
     * A server that closes a kept-alive connection as the next request comes (its
     * keep-alive timeout, say): a GET is sent again on a new connection and the
     * client sees nothing of it; a POST is not, and gets a 502.
     */
    @Test
    public void anIdempotentRequestOnADeadReusedConnectionIsRetried() throws Exception {
        workerThreads = 1;
        // Every second request on a connection is dropped: the server closes without answering.
        HttpTestBackend backend = backend((request, index, socket) -> index == 1 ? null : bytes(HttpTestBackend.OK));
        startHttpProxy(config("http-reuse always"), backend.port());
        requestOnNewClient();
        requestOnNewClient();
        assertEquals("the second request went again on a new connection", 2, backend.accepted.get());
        assertEquals(3, backend.requests().size());
        try (Socket socket = client()) {
            send(socket, bytes("POST /p HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"));
            assertEquals("a POST is not sent twice", 502, response(input(socket)).status());
        }
        assertEquals(2, backend.accepted.get());
    }
}
