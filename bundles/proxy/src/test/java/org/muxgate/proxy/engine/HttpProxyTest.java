package org.muxgate.proxy.engine;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpServer;

/**
 * HTTP mode end to end: real clients (the JDK's HttpClient forced to HTTP/1.1, curl,
 * raw sockets where bytes matter) through the proxy to real backends (the JDK's
 * HttpServer, or raw recording servers).
 */
public class HttpProxyTest extends HttpTestSupport {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @After
    public void closeResources() throws Exception {
        release.countDown();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(TIMEOUT_MS)).build();
    }

    private URI uri(String path) {
        InetSocketAddress address = proxyAddress();
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMillis(TIMEOUT_MS));
    }

    private HttpServer jdkServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        ExecutorService executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        resources.add(() -> {
            server.stop(0);
            executor.shutdownNow();
        });
        return server;
    }

    /** A raw backend whose answer's body is the request's target. */
    private HttpTestBackend targetEchoBackend() throws IOException {
        return backend((request, index, socket) -> bytes("HTTP/1.1 200 OK\r\ncontent-length: "
                + request.target().length() + "\r\n\r\n" + request.target()));
    }

    /** A backend that answers with its name. */
    private HttpTestBackend named(String name) throws IOException {
        return backend(HttpTestBackend.fixed("HTTP/1.1 200 OK\r\ncontent-length: " + name.length() + "\r\n\r\n" + name));
    }

    private static String simpleConfig(String... frontendLines) {
        return defaults() + httpFrontend(frontendLines) + httpBackend();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    // ------------------------------------------------------------------ keep-alive and pipelining

    @Test
    public void aStopClosesIdleClientsAtOnceAndOthersAfterTheirResponseWithinHardStopAfter() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        HttpTestBackend server = backend((request, index, socket) -> {
            if (request.target().equals("/slow")) {
                requested.countDown();
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return bytes(HttpTestBackend.OK);
        });
        startHttpProxy("global\n  hard-stop-after 20s\n" + defaults() + httpFrontend() + httpBackend(), server.port());
        try (Socket idle = client(); Socket busy = client()) {
            InputStream idleIn = input(idle);
            send(idle, bytes("GET /first HTTP/1.1\r\nhost: x\r\n\r\n"));
            assertEquals(200, response(idleIn).status());
            InputStream busyIn = input(busy);
            send(busy, bytes("GET /slow HTTP/1.1\r\nhost: x\r\n\r\n"));
            assertTrue(requested.await(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            Thread stopper = new Thread(engine::stop, "stopper");
            stopper.start();
            assertEquals("the idle keep-alive connection closes at once", -1, idleIn.read());
            assertTrue("still stopping", stopper.isAlive());
            answer.countDown();
            HttpWire.Message last = response(busyIn);
            assertEquals(200, last.status());
            assertEquals("close", last.header("connection"));
            assertEquals(-1, busyIn.read());
            stopper.join(TIMEOUT_MS);
            assertFalse(stopper.isAlive());
        }
    }

    @Test
    public void sequentialRequestsOfAKeptAliveClientReuseOneServerConnection() throws Exception {
        HttpTestBackend backend = targetEchoBackend();
        startHttpProxy(simpleConfig(), backend.port());
        HttpClient client = httpClient();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = client.send(request("/r" + i).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("/r" + i, response.body());
        }
        assertEquals(backend.describe(), 1, backend.accepted.get());
        assertEquals(5, backend.requests().size());
    }

    @Test
    public void sequentialRequestsOnOneRawConnectionReuseOneServerConnection() throws Exception {
        HttpTestBackend backend = targetEchoBackend();
        startHttpProxy(simpleConfig(), backend.port());
        Socket socket = client();
        InputStream in = input(socket);
        for (int i = 0; i < 5; i++) {
            send(socket, bytes("GET /k" + i + " HTTP/1.1\r\nHost: a\r\n\r\n"));
            HttpWire.Message response = response(in);
            assertEquals(200, response.status());
            assertEquals("/k" + i, response.bodyText());
        }
        assertEquals(backend.describe(), 1, backend.accepted.get());
    }

    @Test
    public void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        HttpTestBackend backend = targetEchoBackend();
        startHttpProxy(simpleConfig(), backend.port());
        Socket socket = client();
        send(socket, bytes("GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /three HTTP/1.1\r\nHost: a\r\n\r\n"));
        InputStream in = input(socket);
        assertEquals("/one", response(in).bodyText());
        assertEquals("/two", response(in).bodyText());
        assertEquals("/three", response(in).bodyText());
        List<String> targets = new ArrayList<>();
        for (HttpWire.Message request : backend.requests()) {
            targets.add(request.target());
        }
        assertEquals(List.of("/one", "/two", "/three"), targets);
    }

    // ------------------------------------------------------------------ large bodies

    @Test
    public void aChunkedUploadOfSeveralMegabytesReachesASlowBackendIntact() throws Exception {
        byte[] body = random(6 << 20, 1);
        HttpServer server = jdkServer();
        server.createContext("/upload", exchange -> {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                InputStream in = exchange.getRequestBody();
                byte[] chunk = new byte[16384];
                long total = 0;
                int n;
                int reads = 0;
                while ((n = in.read(chunk)) > 0) {
                    digest.update(chunk, 0, n);
                    total += n;
                    if (++reads % 16 == 0) {
                        // A slow reader: the proxy must hold back, not buffer the whole body.
                        Thread.sleep(2);
                    }
                }
                byte[] answer = (total + " " + HexFormat.of().formatHex(digest.digest())).getBytes(UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            }
            exchange.close();
        });
        server.start();
        startHttpProxy("global\n  tune.bufsize 16384\n" + simpleConfig(), server.getAddress().getPort());
        HttpResponse<String> response = httpClient().send(request("/upload")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(body.length + " " + HexFormat.of().formatHex(sha256(body)), response.body());
        assertBuffersBounded();
    }

    /**
     * The body flowed through a few buffers of tune.bufsize: holding a body of several
     * MiB whole would have taken hundreds of them.
     */
    private void assertBuffersBounded() {
        long buffers = engine.transport().buffers().allocated();
        assertTrue("allocated " + buffers + " buffers", buffers <= 32);
    }

    @Test
    public void aLargeResponseWithContentLengthArrivesIntact() throws Exception {
        byte[] body = random(8 << 20, 2);
        HttpServer server = jdkServer();
        server.createContext("/big", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        startHttpProxy(simpleConfig(), server.getAddress().getPort());
        HttpResponse<byte[]> response = httpClient().send(request("/big").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals(body.length, response.body().length);
        assertArrayEquals(sha256(body), sha256(response.body()));
        assertBuffersBounded();
    }

    @Test
    public void aLargeChunkedResponseArrivesIntact() throws Exception {
        byte[] body = random(5 << 20, 3);
        HttpServer server = jdkServer();
        server.createContext("/big", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int at = 0; at < body.length; at += 100_000) {
                out.write(body, at, Math.min(100_000, body.length - at));
            }
            exchange.close();
        });
        server.start();
        startHttpProxy(simpleConfig(), server.getAddress().getPort());
        HttpResponse<byte[]> response = httpClient().send(request("/big").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(sha256(body), sha256(response.body()));
    }

    // ------------------------------------------------------------------ curl and Expect: 100-continue

    @Test
    public void curlWithExpectContinueGetsTheFinalResponse() throws Exception {
        assumeTrue("curl is not installed", Files.isExecutable(Path.of("/usr/bin/curl")));
        HttpServer server = jdkServer();
        server.createContext("/upload", exchange -> {
            byte[] got = exchange.getRequestBody().readAllBytes();
            byte[] answer = ("got " + got.length + " " + HexFormat.of().formatHex(digest(got))).getBytes(UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        startHttpProxy(simpleConfig(), server.getAddress().getPort());
        byte[] body = random(4096, 4);
        Path file = Files.createTempFile("muxgate-upload", ".bin");
        resources.add(() -> Files.deleteIfExists(file));
        Files.write(file, body);
        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "-v", "--max-time", "60",
                "-H", "Expect: 100-continue", "--data-binary", "@" + file, "-w", "\n%{http_code}",
                uri("/upload").toString()).start();
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> {
            try {
                return curl.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        String out = new String(curl.getInputStream().readAllBytes(), UTF_8);
        assertTrue("curl still running", curl.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        String err = new String(stderr.get(), UTF_8);
        assertEquals(err, 0, curl.exitValue());
        assertEquals(err, "got 4096 " + HexFormat.of().formatHex(sha256(body)) + "\n200", out);
        assertTrue("curl sent Expect: " + err, err.contains("> Expect: 100-continue"));
        assertTrue("the interim response reaches curl: " + err, err.contains("< HTTP/1.1 100"));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void curlGetsAPage() throws Exception {
        assumeTrue("curl is not installed", Files.isExecutable(Path.of("/usr/bin/curl")));
        HttpTestBackend backend = targetEchoBackend();
        startHttpProxy(simpleConfig(), backend.port());
        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--max-time", "60", uri("/a").toString(),
                uri("/b").toString()).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), UTF_8);
        assertTrue(curl.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertEquals(out, 0, curl.exitValue());
        assertEquals("/a/b", out);
        // curl reuses its connection for the second URL: so does the proxy.
        assertEquals(backend.describe(), 1, backend.accepted.get());
    }

    // ------------------------------------------------------------------ bodiless responses

    @Test
    public void headAnd204And304HaveNoBodyAndKeepTheConnectionUsable() throws Exception {
        HttpTestBackend backend = backend((request, index, socket) -> bytes(switch (request.target()) {
            case "/head" -> "HTTP/1.1 200 OK\r\ncontent-length: 100\r\ncontent-type: text/plain\r\n\r\n";
            case "/204" -> "HTTP/1.1 204 No Content\r\n\r\n";
            case "/304" -> "HTTP/1.1 304 Not Modified\r\netag: \"x\"\r\n\r\n";
            default -> HttpTestBackend.OK;
        }));
        startHttpProxy(simpleConfig(), backend.port());
        Socket socket = client();
        InputStream in = input(socket);
        send(socket, bytes("HEAD /head HTTP/1.1\r\nHost: a\r\n\r\n"));
        HttpWire.Message head = response(in, true);
        assertEquals(200, head.status());
        assertEquals("100", head.header("content-length"));
        send(socket, bytes("GET /204 HTTP/1.1\r\nHost: a\r\n\r\n"));
        HttpWire.Message noContent = response(in);
        assertEquals(204, noContent.status());
        assertNull("a 204 has neither content-length nor transfer-encoding",
                noContent.header("transfer-encoding"));
        send(socket, bytes("GET /304 HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"x\"\r\n\r\n"));
        HttpWire.Message notModified = response(in);
        assertEquals(304, notModified.status());
        assertEquals("\"x\"", notModified.header("etag"));
        send(socket, bytes("GET /after HTTP/1.1\r\nHost: a\r\n\r\n"));
        HttpWire.Message after = response(in);
        // The strict reader would have failed here had a body or a chunk followed a bodiless response.
        assertEquals(200, after.status());
        assertEquals("ok", after.bodyText());
        assertEquals(backend.describe(), 1, backend.accepted.get());
    }

    // ------------------------------------------------------------------ WebSocket

    @Test
    public void aWebSocketUpgradeEchoesText() throws Exception {
        TestServer server = server(socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String head = readHead(in);
            String key = null;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            String accept = Base64.getEncoder().encodeToString(sha1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(ISO_8859_1));
            out.flush();
            DataInputStream frames = new DataInputStream(in);
            while (true) {
                int first = frames.readUnsignedByte();
                int second = frames.readUnsignedByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = frames.readUnsignedShort();
                } else if (length == 127) {
                    length = frames.readLong();
                }
                byte[] mask = new byte[4];
                if ((second & 0x80) != 0) {
                    frames.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                frames.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                // Unmasked, same opcode and FIN.
                out.write(first);
                if (payload.length < 126) {
                    out.write(payload.length);
                } else {
                    out.write(126);
                    out.write(payload.length >> 8);
                    out.write(payload.length & 0xff);
                }
                out.write(payload);
                out.flush();
                if ((first & 0x0f) == 8) {
                    return;
                }
            }
        });
        startHttpProxy(simpleConfig(), server.port());
        CompletableFuture<String> echoed = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    echoed.complete(text.toString());
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                echoed.completeExceptionally(error);
            }
        };
        InetSocketAddress address = proxyAddress();
        WebSocket socket = httpClient().newWebSocketBuilder().connectTimeout(Duration.ofMillis(TIMEOUT_MS))
                .buildAsync(URI.create("ws://127.0.0.1:" + address.getPort() + "/ws"), listener)
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        socket.sendText("hello through the proxy", true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals("hello through the proxy", echoed.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the head ended early: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(ISO_8859_1);
    }

    private static byte[] sha1(String text) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(text.getBytes(ISO_8859_1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ slowloris

    @Test
    public void slowClientsGet408WhileANormalClientIsServed() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(defaults() + httpFrontend("timeout http-request 1s") + httpBackend(), backend.port());
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Socket socket = client();
            send(socket, bytes("GET /slow" + i + " HTTP/1.1\r\nHost: a\r\nX-Partial: "));
            slow.add(socket);
        }
        long start = System.nanoTime();
        HttpWire.Message normal = get("/normal");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, normal.status());
        assertTrue("the normal client waited " + elapsedMillis + " ms", elapsedMillis < 10_000);
        for (Socket socket : slow) {
            InputStream in = input(socket);
            HttpWire.Message response = response(in);
            assertEquals(408, response.status());
            assertEndsNow(in);
        }
        assertEquals(backend.describe(), 1, backend.requests().size());
    }

    // ------------------------------------------------------------------ forwardfor

    @Test
    public void forwardforAddsTheClientAddress() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(simpleConfig("option forwardfor"), backend.port());
        assertEquals(200, get("/").status());
        assertEquals(List.of("127.0.0.1"), backend.requests().get(0).all("x-forwarded-for"));
    }

    @Test
    public void forwardforExceptLoopbackAddsNothing() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(simpleConfig("option forwardfor except 127.0.0.0/8"), backend.port());
        assertEquals(200, get("/").status());
        assertEquals(List.of(), backend.requests().get(0).all("x-forwarded-for"));
    }

    // ------------------------------------------------------------------ routing

    @Test
    public void aclsRouteByPathHostMethodAndSource() throws Exception {
        HttpTestBackend main = named("main");
        HttpTestBackend api = named("api");
        HttpTestBackend example = named("example");
        HttpTestBackend deleter = named("deleter");
        HttpTestBackend local = named("local");
        HttpTestBackend remote = named("remote");
        String cfg = defaults()
                + "frontend fe\n" + indent("bind \"127.0.0.1:${FE}\"",
                        "acl is_api path_beg /api",
                        "acl is_example hdr(host) -i example.com",
                        "acl is_delete method DELETE",
                        "acl from_local src 127.0.0.0/8",
                        "acl from_remote src 10.0.0.0/8",
                        "acl wants_local path_beg /local",
                        "use_backend remote if from_remote",
                        "use_backend api if is_api",
                        "use_backend example if is_example",
                        "use_backend deleter if is_delete",
                        "use_backend local if from_local wants_local",
                        "default_backend be")
                + httpBackend()
                + "backend api\n  server s \"127.0.0.1:${S2}\"\n"
                + "backend example\n  server s \"127.0.0.1:${S3}\"\n"
                + "backend deleter\n  server s \"127.0.0.1:${S4}\"\n"
                + "backend local\n  server s \"127.0.0.1:${S5}\"\n"
                + "backend remote\n  server s \"127.0.0.1:${S6}\"\n";
        startHttpProxy(cfg, main.port(), api.port(), example.port(), deleter.port(), local.port(), remote.port());
        assertEquals("main", exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertEquals("api", exchange("GET /api/users HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertEquals("main", exchange("GET /apx HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertEquals("example", exchange("GET / HTTP/1.1\r\nHost: EXAMPLE.com\r\n\r\n"));
        assertEquals("main", exchange("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"));
        assertEquals("deleter", exchange("DELETE /x HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertEquals("main", exchange("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"));
        assertEquals("local", exchange("GET /local/x HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertEquals("api", exchange("GET /api HTTP/1.1\r\nHost: example.com\r\n\r\n"));
        assertEquals(0, remote.accepted.get());
    }

    /** One request on a new connection: the body of its response. */
    private String exchange(String request) throws IOException {
        try (Socket socket = client()) {
            send(socket, bytes(request));
            HttpWire.Message response = response(input(socket));
            assertEquals(request, 200, response.status());
            return response.bodyText();
        }
    }

    // ------------------------------------------------------------------ http-request / http-response rules

    @Test
    public void denyAnswers403WithoutReachingTheServer() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(simpleConfig("http-request deny if { path_beg /private }"), backend.port());
        HttpWire.Message denied = get("/private/x");
        assertEquals(403, denied.status());
        assertTrue(denied.bodyText(), denied.bodyText().contains("403 Forbidden"));
        assertEquals(200, get("/public").status());
        List<String> targets = new ArrayList<>();
        for (HttpWire.Message request : backend.requests()) {
            targets.add(request.target());
        }
        assertEquals(List.of("/public"), targets);
    }

    @Test
    public void returnAnswersTheExactBody() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(simpleConfig("http-request return status 200 content-type text/plain string hello"),
                backend.port());
        HttpResponse<String> response = httpClient().send(request("/anything").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("hello", response.body());
        assertEquals("text/plain", response.headers().firstValue("content-type").orElse(null));
        assertEquals("5", response.headers().firstValue("content-length").orElse(null));
        assertEquals(0, backend.accepted.get());
    }

    @Test
    public void requestHeaderRulesAreSeenByTheServer() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(simpleConfig("http-request set-header X-Set new", "http-request add-header X-Add added",
                "http-request del-header X-Del"), backend.port());
        try (Socket socket = client()) {
            send(socket, bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Set: old\r\nX-Set: older\r\nX-Add: first\r\n"
                    + "X-Del: gone\r\nX-Keep: kept\r\n\r\n"));
            assertEquals(200, response(input(socket)).status());
        }
        HttpWire.Message request = backend.requests().get(0);
        assertEquals(List.of("new"), request.all("x-set"));
        assertEquals(List.of("first", "added"), request.all("x-add"));
        assertEquals(List.of(), request.all("x-del"));
        assertEquals(List.of("kept"), request.all("x-keep"));
    }

    @Test
    public void responseHeaderRulesAreSeenByTheClient() throws Exception {
        HttpTestBackend backend = backend(HttpTestBackend.fixed("HTTP/1.1 200 OK\r\nServer: secret/1.0\r\n"
                + "X-Resp: original\r\nX-Other: o\r\ncontent-length: 2\r\n\r\nok"));
        startHttpProxy(simpleConfig("http-response set-header X-Resp replaced", "http-response del-header Server",
                "http-response add-header X-Added yes"), backend.port());
        HttpResponse<String> response = httpClient().send(request("/").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("ok", response.body());
        assertEquals(List.of("replaced"), response.headers().allValues("x-resp"));
        assertEquals(List.of(), response.headers().allValues("server"));
        assertEquals(List.of("yes"), response.headers().allValues("x-added"));
        assertEquals(List.of("o"), response.headers().allValues("x-other"));
    }

    @Test
    public void redirectsGiveTheirStatusAndLocation() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(simpleConfig("http-request redirect location /x code 301 if { path_beg /loc }",
                "http-request redirect prefix /new if { path_beg /pre }",
                "http-request redirect scheme https if { path_beg /sch }"), backend.port());
        HttpWire.Message location = exchangeRaw("GET /loc/a HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertEquals(301, location.status());
        assertEquals("/x", location.header("location"));
        HttpWire.Message prefix = exchangeRaw("GET /pre/a?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertEquals(302, prefix.status());
        assertEquals("/new/pre/a?q=1", prefix.header("location"));
        HttpWire.Message scheme = exchangeRaw("GET /sch/page?x HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertEquals(302, scheme.status());
        assertEquals("https://example.com/sch/page?x", scheme.header("location"));
        assertEquals(0, backend.accepted.get());
    }

    private HttpWire.Message exchangeRaw(String request) throws IOException {
        try (Socket socket = client()) {
            send(socket, bytes(request));
            return response(input(socket));
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    public void errorfile503IsSentWhenNoServerIsUp() throws Exception {
        Path page = Files.createTempFile("muxgate-503", ".http");
        resources.add(() -> Files.deleteIfExists(page));
        String custom = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n"
                + "Cache-Control: no-cache\r\n\r\nno servers\n";
        Files.writeString(page, custom, ISO_8859_1);
        HttpTestBackend backend = backend();
        startHttpProxy(defaults() + httpFrontend() + "backend be\n" + indent("errorfile 503 \"" + page + "\"",
                "server s1 \"127.0.0.1:${S1}\" disabled"), backend.port());
        HttpWire.Message response = get("/");
        assertEquals(503, response.status());
        assertEquals("no servers\n", response.bodyText());
        assertEquals("text/plain", response.header("content-type"));
        assertEquals(0, backend.accepted.get());
    }

    @Test
    public void refusedConnectionsGive503() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        startHttpProxy(defaults("retries 1") + httpFrontend() + httpBackend(), closedPort);
        HttpWire.Message response = get("/");
        assertEquals(503, response.status());
        assertTrue(response.bodyText(), response.bodyText().contains("503 Service Unavailable"));
    }

    @Test
    public void aSilentServerGives504AfterTimeoutServer() throws Exception {
        HttpTestBackend backend = backend((request, index, socket) -> {
            try {
                release.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        startHttpProxy(defaults() + httpFrontend() + httpBackend("timeout server 500ms"), backend.port());
        HttpWire.Message response = get("/");
        assertEquals(504, response.status());
        assertTrue(response.bodyText(), response.bodyText().contains("504 Gateway Time-out"));
    }

    @Test
    public void aServerClosingWithoutAnsweringGives502() throws Exception {
        HttpTestBackend backend = backend((request, index, socket) -> null);
        startHttpProxy(simpleConfig(), backend.port());
        HttpWire.Message response = get("/");
        assertEquals(502, response.status());
        assertTrue(response.bodyText(), response.bodyText().contains("502 Bad Gateway"));
        assertEquals(1, backend.requests().size());
    }

    // ------------------------------------------------------------------ connection modes

    @Test
    public void httpServerCloseOpensAServerConnectionPerRequestAndKeepsTheClient() throws Exception {
        HttpTestBackend backend = targetEchoBackend();
        startHttpProxy(simpleConfig("option http-server-close"), backend.port());
        Socket socket = client();
        InputStream in = input(socket);
        for (int i = 0; i < 3; i++) {
            send(socket, bytes("GET /c" + i + " HTTP/1.1\r\nHost: a\r\n\r\n"));
            HttpWire.Message response = response(in);
            assertEquals(200, response.status());
            assertEquals("/c" + i, response.bodyText());
            assertFalse("the client connection stays open: " + response.rawText(),
                    "close".equalsIgnoreCase(String.valueOf(response.header("connection"))));
        }
        await("three server connections", () -> backend.accepted.get() == 3);
        for (HttpTestBackend.Connection connection : backend.connections) {
            assertEquals(backend.describe(), 1, connection.requests.size());
            assertTrue(backend.describe(), connection.requests.get(0).all("connection").stream()
                    .anyMatch(value -> value.equalsIgnoreCase("close")));
        }
    }

    @Test
    public void httpcloseClosesTheClientConnection() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(simpleConfig("option httpclose"), backend.port());
        Socket socket = client();
        InputStream in = input(socket);
        send(socket, bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        HttpWire.Message response = response(in);
        assertEquals(200, response.status());
        assertEquals("close", String.valueOf(response.header("connection")).toLowerCase());
        assertEndsNow(in);
    }

    // ------------------------------------------------------------------ httplog

    /** Something a test does while the httplog lines are captured. */
    private interface Exchanges {
        void run() throws Exception;
    }

    /**
     * Runs {@code exchanges} with the httplog logger at INFO, its output captured.
     *
     * @return the httplog lines, once {@code count} have come (a line is written when
     *         its exchange ends, which may follow the response by a moment)
     */
    private static List<String> httplogOf(int count, Exchanges exchanges) throws Exception {
        org.slf4j.Logger logger = LoggerFactory.getLogger("org.muxgate.proxy.httplog");
        Field level = null;
        for (Class<?> type = logger.getClass(); type != null && level == null; type = type.getSuperclass()) {
            try {
                level = type.getDeclaredField("currentLogLevel");
            } catch (NoSuchFieldException e) {
                // Look in the superclass.
            }
        }
        assumeTrue("the test logger is not slf4j-simple", level != null);
        level.setAccessible(true);
        int before = level.getInt(logger);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, UTF_8);
        level.setInt(logger, 20); // INFO
        System.setErr(capture);
        try {
            exchanges.run();
            await(count + " log lines", () -> logLines(captured).size() >= count);
        } finally {
            System.setErr(err);
            level.setInt(logger, before);
        }
        List<String> lines = logLines(captured);
        assertEquals(String.join("\n", lines), count, lines.size());
        return lines;
    }

    @Test
    public void httplogWritesOneLinePerRequest() throws Exception {
        HttpTestBackend backend = backend();
        startHttpProxy(simpleConfig("option httplog"), backend.port());
        List<String> lines = httplogOf(3, () -> {
            assertEquals(200, get("/one").status());
            assertEquals(200, get("/two?x=1").status());
            assertEquals(200, get("/three").status());
        });
        java.util.regex.Pattern format = java.util.regex.Pattern.compile("127\\.0\\.0\\.1:\\d+ \\[[^\\]]+\\] fe be/s1 "
                + "\\d+/\\d+/\\d+/\\d+/\\d+ 200 \\d+ - - ---- \\d+/\\d+/\\d+/\\d+/\\d+ \\d+/\\d+ \"GET (\\S+) HTTP/1.1\"");
        List<String> targets = new ArrayList<>();
        for (String line : lines) {
            java.util.regex.Matcher matcher = format.matcher(line);
            assertTrue(line, matcher.find());
            targets.add(matcher.group(1));
        }
        targets.sort(null);
        assertEquals(List.of("/one", "/three", "/two?x=1"), targets);
    }

    /**
     * The requests of one client connection share their stream object (the session's
     * spare): each still starts afresh, whatever the one before did. Answers of our
     * own and a server's, in turns: every log line and response is that request's alone.
     */
    @Test
    public void eachRequestOfAKeptAliveConnectionStartsAfresh() throws Exception {
        HttpTestBackend backend = targetEchoBackend();
        startHttpProxy(simpleConfig("option httplog",
                "http-request return status 200 content-type text/plain string hello if { path_beg /local }"),
                backend.port());
        Socket socket = client();
        InputStream in = input(socket);
        List<String> lines = httplogOf(4, () -> {
            for (String target : List.of("/local/1", "/far/2", "/local/3", "/far/4")) {
                send(socket, bytes("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n"));
                HttpWire.Message response = response(in);
                assertEquals(200, response.status());
                assertEquals(target.startsWith("/local") ? "hello" : target, response.bodyText());
            }
        });
        assertEquals(1, backend.accepted.get());
        String[] expected = {"fe fe/<NOSRV> 0/0/-1/-1/\\d+ 200 \\d+ - - ---- .* \"GET /local/1 ",
            "fe be/s1 0/0/\\d+/\\d+/\\d+ 200 \\d+ - - ---- .* \"GET /far/2 ",
            "fe fe/<NOSRV> 0/0/-1/-1/\\d+ 200 \\d+ - - ---- .* \"GET /local/3 ",
            "fe be/s1 0/0/\\d+/\\d+/\\d+ 200 \\d+ - - ---- .* \"GET /far/4 "};
        for (int i = 0; i < expected.length; i++) {
            assertTrue(lines.get(i), java.util.regex.Pattern.compile(expected[i]).matcher(lines.get(i)).find());
        }
    }

    private static List<String> logLines(ByteArrayOutputStream captured) {
        List<String> lines = new ArrayList<>();
        for (String line : captured.toString(UTF_8).split("\n")) {
            if (line.contains("org.muxgate.proxy.httplog")) {
                lines.add(line);
            }
        }
        return lines;
    }
}
