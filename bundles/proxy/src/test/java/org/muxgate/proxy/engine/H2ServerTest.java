package org.muxgate.proxy.engine;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;
import static org.muxgate.proxy.engine.H2Wire.DATA;
import static org.muxgate.proxy.engine.H2Wire.END_HEADERS;
import static org.muxgate.proxy.engine.H2Wire.END_STREAM;
import static org.muxgate.proxy.engine.H2Wire.GOAWAY;
import static org.muxgate.proxy.engine.H2Wire.HEADERS;
import static org.muxgate.proxy.engine.H2Wire.PREFACE;
import static org.muxgate.proxy.engine.H2Wire.SETTINGS;
import static org.muxgate.proxy.engine.H2Wire.STATUS_200;
import static org.muxgate.proxy.engine.H2Wire.frameBytes;
import static org.muxgate.proxy.engine.H2Wire.literalBlock;
import static org.muxgate.proxy.engine.H2Wire.readFrame;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.Test;
import org.muxgate.mux.h2.H2MuxProto;

/**
 * HTTP/1.1 clients through the proxy to HTTP/2 servers in clear text ({@code server
 * ... proto h2}): Jetty's HTTP/2 server for the protocol done right (conversion
 * both ways, bodies larger than every window, many streams on one connection), and
 * a frame-level server of the test's own for what a server may do wrong or abruptly
 * (malformed responses, GOAWAY with requests in flight).
 */
public class H2ServerTest extends HttpTestSupport {

    private void startProxy(int serverPort, String... backendLines) throws Exception {
        startHttpProxy(defaults() + httpFrontend() + "backend be\n  server s1 \"127.0.0.1:${S1}\" proto h2\n"
                + indent(backendLines), serverPort);
        registry.register(new H2MuxProto(scheduler));
    }

    // ------------------------------------------------------------------ Jetty

    /** The client ports Jetty saw a request from: one per connection of the proxy. */
    private final Set<Integer> jettyPeers = ConcurrentHashMap.newKeySet();
    /** Requests of {@code /together} wait here until all of them are in. */
    private volatile CountDownLatch together = new CountDownLatch(0);

    /**
     * Jetty answering h2c with prior knowledge: {@code /upload} with the length and
     * CRC of the body, {@code /download?n} with n bytes of a pattern, {@code /empty}
     * with 204, {@code /together} once every request of the latch is in, anything
     * else with what it received.
     */
    private int startJetty() throws Exception {
        return startJetty(false);
    }

    /** @param tls whether Jetty speaks TLS, with ALPN offering h2 and HTTP/1.1; else h2c with prior knowledge */
    private int startJetty(boolean tls) throws Exception {
        Server jetty = new Server();
        org.eclipse.jetty.server.ServerConnector connector;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(localhostKeyStore());
            ssl.setKeyStorePassword(KEY_STORE_PASSWORD);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
            connector = new org.eclipse.jetty.server.ServerConnector(jetty, new SslConnectionFactory(ssl,
                    alpn.getProtocol()), alpn, new HTTP2ServerConnectionFactory(new HttpConfiguration()),
                    new HttpConnectionFactory(new HttpConfiguration()));
        } else {
            connector = new org.eclipse.jetty.server.ServerConnector(jetty,
                    new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        }
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                jettyPeers.add(Request.getRemotePort(request));
                String path = Request.getPathInContext(request);
                response.getHeaders().put("x-served-by", "jetty");
                switch (path) {
                    case "/upload" -> {
                        CRC32 crc = new CRC32();
                        long length = 0;
                        try (InputStream in = Content.Source.asInputStream(request)) {
                            byte[] chunk = new byte[8192];
                            for (int n; (n = in.read(chunk)) > 0; length += n) {
                                crc.update(chunk, 0, n);
                            }
                        }
                        Content.Sink.write(response, true, length + " " + crc.getValue(), callback);
                    }
                    case "/download" -> {
                        byte[] body = pattern(Integer.parseInt(request.getHttpURI().getQuery()));
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                        response.write(true, ByteBuffer.wrap(body), callback);
                    }
                    case "/empty" -> {
                        response.setStatus(204);
                        callback.succeeded();
                    }
                    case "/together" -> {
                        together.countDown();
                        boolean all = together.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                        Content.Sink.write(response, true, all ? "together" : "alone", callback);
                    }
                    default -> {
                        String body = request.getMethod() + " " + request.getHttpURI().getScheme() + "://"
                                + request.getHttpURI().getAuthority() + request.getHttpURI().getPathQuery()
                                + " " + request.getConnectionMetaData().getProtocol();
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length());
                        if (request.getMethod().equals("HEAD")) {
                            callback.succeeded();
                        } else {
                            Content.Sink.write(response, true, body, callback);
                        }
                    }
                }
                return true;
            }
        });
        jetty.start();
        closeAfter(jetty::stop);
        return connector.getLocalPort();
    }

    private static final String KEY_STORE_PASSWORD = "test";

    /** The tests' localhost certificate and key (a PEM file: the chain, then the PKCS#8 key). */
    private static KeyStore localhostKeyStore() throws Exception {
        Path pem = Path.of(H2ServerTest.class.getResource("tls/localhost.pem").toURI());
        String text = Files.readString(pem, ISO_8859_1);
        java.util.Collection<? extends java.security.cert.Certificate> chain;
        int keyAt = text.indexOf("-----BEGIN PRIVATE KEY-----");
        // The certificates alone: the factory reads PEM certificates, not keys.
        chain = CertificateFactory.getInstance("X.509").generateCertificates(
                new java.io.ByteArrayInputStream(text.substring(0, keyAt).getBytes(ISO_8859_1)));
        String key = text.substring(keyAt + 27,
                text.indexOf("-----END PRIVATE KEY-----")).replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("localhost", privateKey, KEY_STORE_PASSWORD.toCharArray(),
                chain.toArray(new java.security.cert.Certificate[0]));
        return store;
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 10));
        }
        return bytes;
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(java.time.Duration.ofMillis(TIMEOUT_MS)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + proxyAddress().getPort() + pathAndQuery);
    }

    @Test
    public void requestsReachJettyAsHttp2WithTheirAuthorityPathAndMethod() throws Exception {
        startProxy(startJetty());
        String authority = "127.0.0.1:" + proxyAddress().getPort();
        HttpResponse<byte[]> get = send(HttpRequest.newBuilder(uri("/a/b?c=d&e")));
        assertEquals(200, get.statusCode());
        assertEquals("jetty", get.headers().firstValue("x-served-by").orElse(null));
        assertEquals("GET http://" + authority + "/a/b?c=d&e HTTP/2.0", new String(get.body(), ISO_8859_1));

        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(uri("/h")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        String expected = "HEAD http://" + authority + "/h HTTP/2.0";
        assertEquals(Integer.toString(expected.length()), head.headers().firstValue("content-length").orElse(null));

        HttpResponse<byte[]> empty = send(HttpRequest.newBuilder(uri("/empty")).DELETE());
        assertEquals(204, empty.statusCode());
        assertEquals(0, empty.body().length);
    }

    /** {@code server ... ssl alpn h2}: ALPN chooses h2, and the requests say {@code https}. */
    @Test
    public void overTlsAlpnChoosesHttp2() throws Exception {
        int port = startJetty(true);
        startHttpProxy(defaults() + httpFrontend() + "backend be\n  server s1 \"127.0.0.1:${S1}\" ssl verify none"
                + " alpn h2,http/1.1\n", port);
        registry.register(new H2MuxProto(scheduler));
        String authority = "127.0.0.1:" + proxyAddress().getPort();
        for (String path : List.of("/one", "/two?x")) {
            HttpResponse<byte[]> get = send(HttpRequest.newBuilder(uri(path)));
            assertEquals(200, get.statusCode());
            assertEquals("GET https://" + authority + path + " HTTP/2.0", new String(get.body(), ISO_8859_1));
        }
        byte[] upload = pattern(3 << 20);
        CRC32 crc = new CRC32();
        crc.update(upload);
        HttpResponse<byte[]> sent = send(HttpRequest.newBuilder(uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)));
        assertEquals(upload.length + " " + crc.getValue(), new String(sent.body(), ISO_8859_1));
    }

    @Test
    public void curlThroughTheProxyReachesJetty() throws Exception {
        assumeTrue("curl is not installed", Files.isExecutable(Path.of("/usr/bin/curl")));
        startProxy(startJetty());
        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--http1.1", "--max-time", "60", "-H",
                "host: example.test", "http://127.0.0.1:" + proxyAddress().getPort() + "/curl")
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), ISO_8859_1);
        assertTrue(curl.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertEquals(out, 0, curl.exitValue());
        assertEquals("GET http://example.test/curl HTTP/2.0", out);
    }

    /** Both bodies are many times the default windows (64 KiB) and the proxy's buffers. */
    @Test
    public void largeBodiesCrossBothWaysWithinTheFlowControlWindows() throws Exception {
        startProxy(startJetty());
        byte[] upload = pattern(5 << 20);
        CRC32 crc = new CRC32();
        crc.update(upload);
        HttpResponse<byte[]> sent = send(HttpRequest.newBuilder(uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)));
        assertEquals(200, sent.statusCode());
        assertEquals(upload.length + " " + crc.getValue(), new String(sent.body(), ISO_8859_1));

        int size = 7 << 20;
        HttpResponse<byte[]> received = send(HttpRequest.newBuilder(uri("/download?" + size)));
        assertEquals(200, received.statusCode());
        assertArrayEquals(pattern(size), received.body());
    }

    /**
     * On one worker thread, requests of many clients that are in progress at once go
     * as streams of the one server connection in the available list: Jetty sees
     * them all together, from a single peer.
     */
    @Test
    public void concurrentRequestsOfManyClientsShareOneServerConnection() throws Exception {
        workerThreads = 1;
        // aggressive: the first request of a client may take the idle connection the warm-up left (h2 ones are safe).
        startProxy(startJetty(), "http-reuse aggressive");
        assertEquals(200, send(HttpRequest.newBuilder(uri("/warm-up"))).statusCode());
        int clients = 16;
        together = new CountDownLatch(clients);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            // A client of its own each: a connection of its own to the proxy.
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            answers.add(client.sendAsync(HttpRequest.newBuilder(uri("/together")).timeout(
                    java.time.Duration.ofMillis(TIMEOUT_MS)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("together", response.body());
        }
        assertEquals("server connections", 1, jettyPeers.size());
    }

    // ------------------------------------------------------------------ a frame-level server

    /** What the frame-level server does with a request's HEADERS. */
    private interface OnRequest {
        /**
         * @param connection the connection's index, in accept order
         * @param stream     the request's stream
         */
        void headers(int connection, int stream, OutputStream out) throws IOException;
    }

    /** An HTTP/2 server of frames: SETTINGS and their ACK as required, each request to {@link OnRequest}. */
    private final class RawServer implements Closeable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        final OnRequest behaviour;

        RawServer(OnRequest behaviour) throws IOException {
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.behaviour = behaviour;
            closeAfter(this);
            Thread acceptor = new Thread(this::accept, "raw h2 server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = socket.accept();
                    accepted.add(s);
                    int index = connections.getAndIncrement();
                    Thread serving = new Thread(() -> serve(s, index), "raw h2 connection " + index);
                    serving.setDaemon(true);
                    serving.start();
                }
            } catch (IOException closed) {
                // The test is over.
            }
        }

        private void serve(Socket s, int index) {
            try (s) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] preface = new byte[PREFACE.length];
                in.readFully(preface);
                assertArrayEquals(PREFACE, preface);
                out.write(frameBytes(SETTINGS, 0, 0, new byte[0]));
                for (H2Wire.Frame f = readFrame(in); f != null; f = readFrame(in)) {
                    if (f.type() == SETTINGS && (f.flags() & H2Wire.ACK) == 0) {
                        out.write(frameBytes(SETTINGS, H2Wire.ACK, 0, new byte[0]));
                    } else if (f.type() == HEADERS) {
                        requests.incrementAndGet();
                        behaviour.headers(index, f.stream(), out);
                    }
                }
            } catch (IOException ended) {
                // The proxy closed the connection.
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** A 200 with body "ok": HEADERS then DATA ending the stream, in one write. */
    private static byte[] ok(int stream) {
        return concat(frameBytes(HEADERS, END_HEADERS, stream, concat(new byte[] { (byte) STATUS_200 },
                literalBlock("content-length", "2"))), frameBytes(DATA, END_STREAM, stream, bytes("ok")));
    }

    /**
     * A server's GOAWAY names the last stream it processes: that one is answered, a
     * later one in flight on the same connection is refused, and the proxy sends it
     * again on a new connection (an idempotent request the server did not process).
     */
    @Test
    public void aGoawayWithAStreamInFlightSendsItAgainOnANewConnection() throws Exception {
        workerThreads = 1;
        CountDownLatch firstIn = new CountDownLatch(1);
        RawServer server = new RawServer((connection, stream, out) -> {
            if (connection > 0) {
                out.write(ok(stream));
            } else if (stream == 1) {
                firstIn.countDown();
            } else {
                // Stream 3 came too: only stream 1 will be processed.
                ByteBuffer goaway = ByteBuffer.allocate(8).putInt(1).putInt(0);
                out.write(concat(frameBytes(GOAWAY, 0, 0, goaway.array()), ok(1)));
            }
        });
        startProxy(server.port());
        CompletableFuture<HttpResponse<byte[]>> first = http.sendAsync(HttpRequest.newBuilder(uri("/first"))
                .timeout(java.time.Duration.ofMillis(TIMEOUT_MS)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(firstIn.await(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        // Another client, whose request joins the connection in use.
        HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<byte[]> second = other.send(HttpRequest.newBuilder(uri("/second")).timeout(
                java.time.Duration.ofMillis(TIMEOUT_MS)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, second.statusCode());
        assertEquals("ok", new String(second.body(), ISO_8859_1));
        HttpResponse<byte[]> answered = first.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals(200, answered.statusCode());
        assertEquals("ok", new String(answered.body(), ISO_8859_1));
        assertEquals("server connections", 2, server.connections.get());
        assertEquals("requests the server saw", 3, server.requests.get());
    }

    /** Each malformed response, as the server sends it on the request's stream. */
    private static final List<java.util.function.IntFunction<byte[]>> MALFORMED = List.of(
            // No :status.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock("x-a", "b")),
            // :status twice.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, new byte[] { (byte) STATUS_200, (byte) STATUS_200 }),
            // A status that is not three digits.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "20x")),
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "2000")),
            // A request's pseudo-header in a response.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "200", ":path", "/")),
            // A pseudo-header after a regular field.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock("x-a", "b", ":status", "200")),
            // Upper case in a field name.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "200", "X-Up", "1")),
            // Connection-specific fields.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "200", "connection",
                    "keep-alive")),
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "200",
                    "transfer-encoding", "chunked")),
            // CR, LF or NUL in a value.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "200", "x-a", "a\rb")),
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "200", "x-a", "a\nb")),
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "200", "x-a", "a\0b")),
            // A content-length that is not a number, or two different ones.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "200", "content-length",
                    "1x")),
            s -> concat(frameBytes(HEADERS, END_HEADERS, s, literalBlock(":status", "200", "content-length", "2",
                    "content-length", "3")), frameBytes(DATA, END_STREAM, s, bytes("ok"))),
            // Less DATA than the content-length, and more.
            s -> concat(frameBytes(HEADERS, END_HEADERS, s, literalBlock(":status", "200", "content-length", "5")),
                    frameBytes(DATA, END_STREAM, s, bytes("ok"))),
            s -> concat(frameBytes(HEADERS, END_HEADERS, s, literalBlock(":status", "200", "content-length", "1")),
                    frameBytes(DATA, END_STREAM, s, bytes("ok"))),
            // A content-length and END_STREAM on the head, for a GET.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "200", "content-length",
                    "2")),
            // DATA before any head.
            s -> concat(frameBytes(DATA, 0, s, bytes("ok")), ok(s)),
            // An interim response ending the stream.
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, literalBlock(":status", "103")),
            // An HPACK index beyond both tables (a connection error).
            s -> frameBytes(HEADERS, END_HEADERS | END_STREAM, s, new byte[] { (byte) 0xff, 0x7f }),
            // A response on a stream the proxy did not open (a connection error).
            s -> concat(ok(s + 2), ok(s)),
            // PUSH_PROMISE: never enabled (a connection error).
            s -> concat(frameBytes(5, END_HEADERS, s, concat(ByteBuffer.allocate(4).putInt(2).array(),
                    H2Wire.getBlock("/pushed"))), ok(s)));

    /**
     * A table of malformed responses: each is a 502 for its client and breaks no
     * other exchange; a good response follows each on the same server.
     */
    @Test
    public void malformedResponsesAreAnswered502AndTheNextRequestIsServed() throws Exception {
        AtomicInteger next = new AtomicInteger();
        RawServer server = new RawServer((connection, stream, out) -> {
            int n = next.getAndIncrement();
            out.write(n % 2 == 0 ? MALFORMED.get(n / 2).apply(stream) : ok(stream));
        });
        startProxy(server.port());
        for (int i = 0; i < MALFORMED.size(); i++) {
            HttpWire.Message bad = get("/bad/" + i);
            assertEquals("case " + i, 502, bad.status());
            HttpWire.Message good = get("/good/" + i);
            assertEquals("after case " + i, 200, good.status());
            assertEquals("ok", good.bodyText());
        }
    }
}
