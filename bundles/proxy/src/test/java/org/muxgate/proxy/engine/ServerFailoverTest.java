package org.muxgate.proxy.engine;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Test;
import org.muxgate.proxy.lb.ServerState;

/**
 * A server going down and coming back under load, the load-balancing issue's
 * acceptance point: clients must see no errors beyond the requests in flight on
 * the dying server. Backend "be" balances two servers round-robin, with
 * {@code retries}, {@code option redispatch} and fast connect checks; client
 * threads send GETs without pause, half of them on keep-alive connections (whose
 * requests take idle server connections, {@code http-reuse safe}) and half on a
 * new connection each.
 *
 * <p>Under that load s1 is killed, its listening socket and its connections
 * closed at once. Each client has one request at a time, so at most one request
 * per client can be caught on s1 as it dies; every later request must reach s2:
 * one picked for s1 before the checks notice is retried, then redispatched, and
 * one sent on an idle connection s1 closed is sent again. A new s1 is then started
 * on the same port, and the checks must bring it back into the rotation.
 *
 * <p>The load is measured in requests served, never in time, and every wait is
 * a bounded poll on a state, so that a busy machine only makes the test slower.
 */
public class ServerFailoverTest extends HttpTestSupport {

    private static final int CLIENTS = 4;
    /** Requests each server serves before s1 is killed, to be sure both are in the rotation. */
    private static final int REQUESTS_BEFORE_KILL = 50;
    /** Requests s2 serves alone while s1 is marked down. */
    private static final int REQUESTS_WHILE_DOWN = 300;
    /** Requests each server serves once s1 is back. */
    private static final int REQUESTS_AFTER_RETURN = 50;

    private static final byte[] KEEP_ALIVE_GET = bytes("GET /load HTTP/1.1\r\nHost: test\r\n\r\n");
    private static final byte[] CLOSING_GET = bytes("GET /load HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");

    private final AtomicBoolean loadRunning = new AtomicBoolean(true);
    private final AtomicLong successes = new AtomicLong();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();

    /**
     * A request that got no 200: the kind of client, the status the proxy answered
     * (0 when no response came whole) and what happened.
     */
    private record Failure(String client, int status, String what) {
    }

    /** Stops the clients, which end their requests in flight first; also called by the test itself. */
    @After
    public void stopLoad() throws InterruptedException {
        loadRunning.set(false);
        for (Thread client : clients) {
            client.join(TIMEOUT_MS);
        }
    }

    @Test
    public void onlyRequestsInFlightOnADyingServerFailWhileItGoesDownAndComesBack() throws Exception {
        AtomicLong servedByFirstS1 = new AtomicLong();
        AtomicLong servedByRestartedS1 = new AtomicLong();
        AtomicLong servedByS2 = new AtomicLong();
        HttpTestBackend firstS1 = backend(counting(servedByFirstS1));
        HttpTestBackend s2 = backend(counting(servedByS2));
        int s1Port = firstS1.port();
        // fall 3: requests keep being sent to the dead s1 for a few checks, and only retries and redispatch save them.
        String checks = " check inter 50 fall 3 rise 1";
        startHttpProxy(defaults() + httpFrontend() + "backend be\n" + indent("balance roundrobin", "retries 3",
                "option redispatch", "timeout connect 500ms", "server s1 \"127.0.0.1:${S1}\"" + checks,
                "server s2 \"127.0.0.1:${S2}\"" + checks), s1Port, s2.port());

        for (int c = 0; c < CLIENTS; c++) {
            boolean keepAlive = c % 2 == 0;
            Thread client = new Thread(() -> sendUntilStopped(keepAlive), "failover-client-" + c);
            client.setDaemon(true);
            clients.add(client);
            client.start();
        }
        await("both servers serve the load", () -> servedByFirstS1.get() >= REQUESTS_BEFORE_KILL
                && servedByS2.get() >= REQUESTS_BEFORE_KILL);

        firstS1.close();
        await("the checks mark s1 down", () -> !s1().isUp());
        long servedByS2WhenDown = servedByS2.get();
        await("s2 serves the load alone", () -> servedByS2.get() >= servedByS2WhenDown + REQUESTS_WHILE_DOWN);

        backend(counting(servedByRestartedS1), s1Port);
        await("the checks mark s1 up again", () -> s1().isUp());
        long servedByS2WhenBack = servedByS2.get();
        await("the restarted s1 serves requests", () -> servedByRestartedS1.get() >= REQUESTS_AFTER_RETURN);
        await("s2 still serves requests", () -> servedByS2.get() >= servedByS2WhenBack + REQUESTS_AFTER_RETURN);

        stopLoad();
        for (Thread client : clients) {
            assertFalse(client.getName() + " stopped", client.isAlive());
        }
        assertTrue("at most one failure per client, the request in flight on s1 as it died; got "
                + failures.size() + ": " + failureCounts(), failures.size() <= CLIENTS);
        assertTrue("a request that found no server (503) should have been retried, then redispatched: "
                + failureCounts(), failures.stream().noneMatch(failure -> failure.status() == 503));
        // Every request served was answered to its client, but those caught on s1 as it died.
        long minimum = 2 * REQUESTS_BEFORE_KILL + REQUESTS_WHILE_DOWN + 2 * REQUESTS_AFTER_RETURN - CLIENTS;
        assertTrue("successes: " + successes.get(), successes.get() >= minimum);
    }

    /** @return how many failures of each kind, for assertion messages */
    private Map<String, Long> failureCounts() {
        return failures.stream().collect(Collectors.groupingBy(failure -> failure.client() + ": " + failure.what(),
                TreeMap::new, Collectors.counting()));
    }

    private ServerState s1() {
        return engine.server("be", "s1");
    }

    /** Answers {@link HttpTestBackend#OK} and counts the requests. */
    private static HttpTestBackend.Responder counting(AtomicLong served) {
        byte[] ok = bytes(HttpTestBackend.OK);
        return (request, index, socket) -> {
            served.incrementAndGet();
            return ok;
        };
    }

    /**
     * A client's loop: GETs one after the other, on one connection as long as the
     * proxy keeps it open ({@code keepAlive}) or on a new connection each; a failed
     * request is recorded and the next goes on a new connection.
     */
    private void sendUntilStopped(boolean keepAlive) {
        String kind = keepAlive ? "keep-alive" : "new connection";
        while (loadRunning.get()) {
            try (Socket socket = new Socket()) {
                socket.connect(proxyAddress(), TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                InputStream in = input(socket);
                boolean open = true;
                while (open && loadRunning.get()) {
                    send(socket, keepAlive ? KEEP_ALIVE_GET : CLOSING_GET);
                    HttpWire.Message response = HttpWire.read(in, true, false);
                    if (response == null) {
                        failures.add(new Failure(kind, 0, "the connection ended without a response"));
                        break;
                    }
                    if (response.status() != 200) {
                        failures.add(new Failure(kind, response.status(), response.startLine));
                        break;
                    }
                    successes.incrementAndGet();
                    open = keepAlive && !"close".equalsIgnoreCase(response.header("connection"));
                }
            } catch (IOException | RuntimeException e) {
                failures.add(new Failure(kind, 0, String.valueOf(e)));
            }
        }
    }
}
