package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.muxgate.proxy.lb.ServerState;

/**
 * Health checks against real servers on loopback: connect checks, {@code option
 * httpchk} with each {@code http-check expect} criterion, rise and fall, and
 * {@code observe layer7} acting on traffic errors. Intervals are short so that
 * states change quickly; every assertion waits for a state, never for a time.
 */
public class HealthCheckTest extends HttpTestSupport {

    /** What the backend answers to /health: the status line's code and the body. */
    private final AtomicInteger healthStatus = new AtomicInteger(200);
    private final AtomicReference<String> healthBody = new AtomicReference<>("ready");
    private final AtomicReference<HttpWire.Message> lastCheck = new AtomicReference<>();

    private HttpTestBackend healthBackend() throws Exception {
        return backend((request, index, socket) -> {
            if (request.target().equals("/health")) {
                lastCheck.set(request);
                String body = healthBody.get();
                return ("HTTP/1.1 " + healthStatus.get() + " Whatever\r\ncontent-length: " + body.length()
                        + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
            }
            if (request.target().equals("/fail")) {
                return "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            return HttpTestBackend.OK.getBytes(StandardCharsets.ISO_8859_1);
        });
    }

    private ServerState s1() {
        return engine.server("be", "s1");
    }

    private String config(String serverOptions, String... backendLines) {
        return defaults() + httpFrontend() + "backend be\n  server s1 \"127.0.0.1:${S1}\" " + serverOptions + "\n"
                + indent(backendLines);
    }

    @Test
    public void aRefusedConnectTakesTheServerDownAndTrafficGets503() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        startHttpProxy(config("check inter 50 rise 2 fall 2"), closedPort);
        await("s1 is down", () -> !s1().isUp());
        assertEquals(1, s1().downTransitions());
        assertEquals(503, get("/").status());
        long failed = s1().checksFailed();
        await("the down server is still checked", () -> s1().checksFailed() > failed + 2);
        assertEquals("a down server is not taken down again", 1, s1().downTransitions());
    }

    @Test
    public void aListeningServerStaysUpUnderConnectChecks() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(config("check inter 20 fall 1"), backend.port());
        await("several checks passed", () -> s1().checksPassed() >= 5);
        assertTrue(s1().isUp());
        assertEquals(0, s1().checksFailed());
        assertEquals(200, get("/").status());
    }

    @Test
    public void httpchkFollowsTheStatusWithRiseAndFall() throws Exception {
        HttpTestBackend backend = healthBackend();
        startHttpProxy(config("check inter 30 rise 3 fall 2", "option httpchk GET /health HTTP/1.1"),
                backend.port());
        await("a check came", () -> lastCheck.get() != null);
        HttpWire.Message check = lastCheck.get();
        assertEquals("GET /health HTTP/1.1", check.startLine);
        assertEquals("127.0.0.1:" + backend.port(), check.header("host"));
        assertEquals("close", check.header("connection"));
        assertTrue(s1().isUp());

        healthStatus.set(503);
        await("s1 is down after 503s", () -> !s1().isUp());
        assertEquals(503, get("/").status());
        long failedWhenDown = s1().checksFailed();
        assertTrue("at least fall (2) checks failed: " + failedWhenDown, failedWhenDown >= 2);

        healthStatus.set(200);
        long passedBefore = s1().checksPassed();
        await("s1 is up again", () -> s1().isUp());
        assertTrue("rise (3) checks passed first", s1().checksPassed() - passedBefore >= 3);
        assertEquals(200, get("/").status());
        assertEquals(1, s1().downTransitions());
    }

    @Test
    public void expectStringLooksInTheBody() throws Exception {
        HttpTestBackend backend = healthBackend();
        startHttpProxy(config("check inter 20 fall 1", "option httpchk /health", "http-check expect string ready"),
                backend.port());
        await("checks passed", () -> s1().checksPassed() >= 3);
        assertEquals("OPTIONS /health HTTP/1.0", lastCheck.get().startLine);
        healthBody.set("busy");
        await("s1 is down when the body lacks the string", () -> !s1().isUp());
        assertEquals("the status stayed 200", 200, healthStatus.get());
    }

    @Test
    public void negatedRstatusFailsOnAMatchingStatus() throws Exception {
        HttpTestBackend backend = healthBackend();
        startHttpProxy(config("check inter 20 fall 1", "option httpchk GET /health",
                "http-check expect ! rstatus ^5"), backend.port());
        await("checks passed", () -> s1().checksPassed() >= 3);
        healthStatus.set(404);
        long passed = s1().checksPassed();
        await("a 404 passes too", () -> s1().checksPassed() > passed + 2);
        assertTrue(s1().isUp());
        healthStatus.set(502);
        await("s1 is down on a 5xx", () -> !s1().isUp());
    }

    @Test
    public void observedErrorsMarkTheServerDownUntilFastChecksBringItBack() throws Exception {
        HttpTestBackend backend = healthBackend();
        // inter is far longer than the test: only traffic and fastinter can move the server.
        startHttpProxy(config("check inter 1h fastinter 20 rise 2 observe layer7 error-limit 3 on-error mark-down",
                "option httpchk GET /health"), backend.port());
        assertEquals(500, get("/fail").status());
        assertEquals(500, get("/fail").status());
        assertTrue("two errors are below the limit", s1().isUp());
        assertEquals(500, get("/fail").status());
        await("the third error marks s1 down", () -> s1().downTransitions() == 1);
        await("fast checks bring it back", () -> s1().isUp());
        assertTrue("the fast checks ran", s1().checksPassed() >= 2);
        assertEquals(200, get("/").status());
    }

    @Test
    public void aSuccessResetsTheObservedErrorCount() throws Exception {
        HttpTestBackend backend = healthBackend();
        startHttpProxy(config("check inter 1h observe layer7 error-limit 2 on-error mark-down",
                "option httpchk GET /health"), backend.port());
        for (int i = 0; i < 5; i++) {
            assertEquals(500, get("/fail").status());
            assertEquals(200, get("/").status());
        }
        assertTrue(s1().isUp());
        assertEquals(0, s1().downTransitions());
        assertFalse("only the first check ran, at the start", s1().checksPassed() > 1);
    }
}
