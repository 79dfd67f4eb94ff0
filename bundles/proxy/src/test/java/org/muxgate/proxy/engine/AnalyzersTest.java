package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.proxy.config.Backend;
import org.muxgate.proxy.config.ConfigParser;
import org.muxgate.proxy.config.Configuration;
import org.muxgate.scheduler.core.TaskScheduler;
import org.muxgate.transport.BufferPool;
import org.muxgate.transport.MuxRegistry;
import org.muxgate.transport.SelectorPollers;
import org.muxgate.transport.Transport;

/**
 * The analyzers on messages built by hand, without sockets: routing, request and
 * response rules, forwardfor, and our own responses turned into messages.
 */
public class AnalyzersTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final AsciiSequence view = new AsciiSequence();
    private final MessageSample sample = new MessageSample();
    private Map<String, BackendRuntime> backends;

    private HttpAnalyzers analyzers(String frontendLines, String backendLines) throws Exception {
        Path file = folder.newFile().toPath();
        Files.writeString(file, "frontend fe\n  mode http\n  bind 127.0.0.1:8080\n" + frontendLines
                + "  default_backend app\n"
                + "backend app\n  mode http\n  server s1 127.0.0.1:9001\n" + backendLines
                + "backend api\n  mode http\n  server s1 127.0.0.1:9002\n");
        Configuration configuration = ConfigParser.parse(file);
        backends = new HashMap<>();
        // Never started: the backends only need it to make their servers' connection pools.
        Transport transport = new Transport(new TaskScheduler("analyzers", 1, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH,
                false, new SelectorPollers()), new MuxRegistry(), BufferPool.DEFAULT_SIZE, 0);
        for (Backend backend : configuration.backends()) {
            backends.put(backend.name(), new BackendRuntime(backend, transport));
        }
        return new HttpAnalyzers(configuration.frontend("fe").orElseThrow(), backends);
    }

    private static HttpMessage request(String method, String target, String... headers) {
        HttpMessage message = new HttpMessage(101);
        message.attach(ByteBuffer.allocate(4096));
        message.addRequestLine(HttpMessage.HTTP_1_1, method, target);
        for (int i = 0; i < headers.length; i += 2) {
            message.addField(HttpMessage.HEADER, headers[i], headers[i + 1]);
        }
        message.addMarker(HttpMessage.END_OF_HEADERS);
        message.end();
        return message;
    }

    private static HttpMessage empty() {
        HttpMessage message = new HttpMessage(101);
        message.attach(ByteBuffer.allocate(16384));
        return message;
    }

    private List<String> headers(HttpMessage message) {
        List<String> out = new ArrayList<>();
        for (int p = message.first(); p >= 0; p = message.next(p)) {
            if (message.type(p) == HttpMessage.HEADER) {
                out.add(message.name(p, view) + ": " + message.value(p, view));
            }
        }
        return out;
    }

    private String body(HttpMessage message) {
        StringBuilder out = new StringBuilder();
        for (int p = message.first(); p >= 0; p = message.next(p)) {
            if (message.type(p) == HttpMessage.DATA) {
                out.append(message.data(p, view));
            }
        }
        return out.toString();
    }

    private BackendRuntime analyze(HttpAnalyzers analyzers, HttpMessage request, HttpMessage reply)
            throws Exception {
        InetAddress client = InetAddress.getByName("192.0.2.7");
        return analyzers.analyzeRequest(request, sample, client, "192.0.2.7", reply);
    }

    @Test
    public void routesByTheFirstMatchingRuleElseTheDefault() throws Exception {
        HttpAnalyzers analyzers = analyzers("  acl is_api path_beg /api\n  use_backend api if is_api\n", "");
        HttpMessage reply = empty();
        assertSame(backends.get("api"), analyze(analyzers, request("GET", "/api/v1", "host", "x"), reply));
        assertSame(backends.get("app"), analyze(analyzers, request("GET", "/index", "host", "x"), reply));
        assertTrue(reply.isEmpty());
    }

    @Test
    public void requestRulesEditHeadersInOrderAndForwardforComesLast() throws Exception {
        HttpAnalyzers analyzers = analyzers("  http-request del-header x-secret\n"
                + "  http-request set-header x-a one\n  http-request add-header x-a two\n",
                "  option forwardfor\n");
        HttpMessage request = request("GET", "/", "host", "x", "x-secret", "s", "x-a", "zero");
        assertSame(backends.get("app"), analyze(analyzers, request, empty()));
        assertEquals(List.of("host: x", "x-a: one", "x-a: two", "x-forwarded-for: 192.0.2.7"), headers(request));
    }

    @Test
    public void forwardforSkipsTheExceptedNetworkAndHonoursIfNone() throws Exception {
        HttpAnalyzers except = analyzers("  option forwardfor except 192.0.2.0/24\n", "");
        HttpMessage request = request("GET", "/", "host", "x");
        analyze(except, request, empty());
        assertEquals(List.of("host: x"), headers(request));

        HttpAnalyzers ifNone = analyzers("  option forwardfor header x-client if-none\n", "");
        request = request("GET", "/", "host", "x", "x-client", "10.1.1.1");
        analyze(ifNone, request, empty());
        assertEquals(List.of("host: x", "x-client: 10.1.1.1"), headers(request));
    }

    @Test
    public void denyAnswersTheForbiddenPageAndCloses() throws Exception {
        HttpAnalyzers analyzers = analyzers("  http-request deny if { method DELETE }\n", "");
        HttpMessage reply = empty();
        assertNull(analyze(analyzers, request("DELETE", "/x", "host", "x"), reply));
        assertEquals(403, reply.status(reply.startLine()));
        assertTrue(reply.isEnded());
        assertTrue(reply.has(HttpMessage.F_CLOSE));
        assertEquals(body(reply).length(), reply.contentLength());
        assertTrue(body(reply), body(reply).contains("403 Forbidden"));
    }

    @Test
    public void returnAnswersTheConfiguredBody() throws Exception {
        HttpAnalyzers analyzers = analyzers(
                "  http-request return status 201 content-type text/plain string hello\n", "");
        HttpMessage reply = empty();
        assertNull(analyze(analyzers, request("GET", "/", "host", "x"), reply));
        assertEquals(201, reply.status(reply.startLine()));
        assertEquals(List.of("content-type: text/plain"), headers(reply));
        assertEquals("hello", body(reply));
        assertEquals(5, reply.contentLength());
    }

    @Test
    public void redirectsBuildTheLocationFromTheRequest() throws Exception {
        HttpAnalyzers prefix = analyzers("  http-request redirect prefix https://new.example code 301\n", "");
        HttpMessage reply = empty();
        assertNull(analyze(prefix, request("GET", "/a/b?c=d", "host", "old.example"), reply));
        assertEquals(301, reply.status(reply.startLine()));
        assertTrue(headers(reply).toString(), headers(reply).contains("location: https://new.example/a/b?c=d"));

        HttpAnalyzers scheme = analyzers("  http-request redirect scheme https\n", "");
        reply = empty();
        analyze(scheme, request("GET", "/p", "host", "h.example"), reply);
        assertEquals(302, reply.status(reply.startLine()));
        assertTrue(headers(reply).toString(), headers(reply).contains("location: https://h.example/p"));
    }

    @Test
    public void responseRulesOfTheBackendThenTheFrontend() throws Exception {
        HttpAnalyzers analyzers = analyzers("  http-response set-header x-via fe\n",
                "  http-response del-header server\n  http-response set-header x-via be\n");
        HttpMessage response = empty();
        response.addStatusLine(HttpMessage.HTTP_1_1, 200, "OK");
        response.addField(HttpMessage.HEADER, "server", "nginx");
        response.addMarker(HttpMessage.END_OF_HEADERS);
        assertTrue(analyzers.analyzeResponse(backends.get("app"), request("GET", "/", "host", "x"), sample,
                InetAddress.getByName("192.0.2.7"), response));
        assertEquals(List.of("x-via: fe"), headers(response));
    }

    @Test
    public void errorPagesPreferTheBackendErrorfile() throws Exception {
        Path page = folder.newFile("503.http").toPath();
        Files.writeString(page, "HTTP/1.1 503 Busy\r\ncontent-type: text/plain\r\n\r\nlater");
        HttpAnalyzers analyzers = analyzers("", "  errorfile 503 " + page + "\n");
        HttpMessage reply = empty();
        analyzers.errorResponse(503, backends.get("app"), reply, view);
        assertEquals("later", body(reply));
        assertEquals(5, reply.contentLength());
        reply = empty();
        analyzers.errorResponse(503, null, reply, view);
        assertTrue(body(reply), body(reply).contains("503 Service Unavailable"));
    }

    @Test
    public void aHeaderThatDoesNotFitFailsTheRequestWith500() throws Exception {
        String big = "x".repeat(5000);
        HttpAnalyzers analyzers = analyzers("  http-request add-header x-big " + big + "\n", "");
        HttpMessage reply = empty();
        // The request's buffer holds 4096 bytes: the header cannot be added.
        assertNull(analyze(analyzers, request("GET", "/", "host", "x"), reply));
        assertEquals(500, reply.status(reply.startLine()));

        HttpAnalyzers responses = analyzers("", "  http-response add-header x-big " + big + "\n");
        HttpMessage response = new HttpMessage(101);
        response.attach(ByteBuffer.allocate(4096));
        response.addStatusLine(HttpMessage.HTTP_1_1, 200, "OK");
        response.addMarker(HttpMessage.END_OF_HEADERS);
        assertFalse(responses.analyzeResponse(backends.get("app"), request("GET", "/", "host", "x"), sample,
                InetAddress.getByName("192.0.2.7"), response));
    }
}
