package org.muxgate.proxy.engine;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;
import static org.muxgate.proxy.engine.H2Wire.*;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.muxgate.mux.h2.H2MuxProto;
import org.muxgate.proxy.engine.H2Wire.Frame;

/**
 * HTTP/2 clients in clear text (prior knowledge, {@code bind ... proto h2}) through
 * the proxy to HTTP/1.1 servers: curl, and a frame-level client of the test's own
 * that checks the error code RFC 9113 requires for each protocol violation, and
 * the defences (rapid reset, CONTINUATION flood, PING flood, HPACK bomb), each
 * followed by a normal request on a new connection that must still be served.
 */
public class H2ProxyTest extends HttpTestSupport {

    private void startH2Proxy(HttpTestBackend server) throws Exception {
        startHttpProxy(defaults() + "frontend fe\n  bind \"127.0.0.1:${FE}\" proto h2\n  default_backend be\n"
                + httpBackend(), server.port());
        registry.register(new H2MuxProto(scheduler));
    }

    // ------------------------------------------------------------------ curl

    @Test
    public void curlWithPriorKnowledgeGetsTheResponse() throws Exception {
        assumeTrue("curl is not installed", Files.isExecutable(Path.of("/usr/bin/curl")));
        HttpTestBackend server = backend((request, index, socket) -> {
            String body = "you asked " + request.target() + " on host " + request.header("host");
            return ("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: " + body.length() + "\r\n\r\n"
                    + body).getBytes(ISO_8859_1);
        });
        startH2Proxy(server);
        String host = "127.0.0.1:" + proxyAddress().getPort();
        // One URL per run: curl 7.88 fails to reuse a prior-knowledge connection (curl issue 10634).
        for (String path : List.of("/a", "/b?x=1")) {
            Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--http2-prior-knowledge", "--max-time", "60",
                    "-w", " %{http_version} %{http_code}", "http://" + host + path).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), ISO_8859_1);
            assertTrue(curl.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertEquals(out, 0, curl.exitValue());
            assertEquals("you asked " + path + " on host " + host + " 2 200", out);
        }
    }

    @Test
    public void okHttpMultiplexesManyConcurrentStreamsOnOneConnection() throws Exception {
        HttpTestBackend server = backend((request, index, socket) -> {
            String body = "body of " + request.target();
            return ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(ISO_8859_1);
        });
        startH2Proxy(server);
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder()
                .protocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).build();
        try {
            String base = "http://127.0.0.1:" + proxyAddress().getPort();
            // One call first: calls enqueued before any connection exists may race to open two.
            try (okhttp3.Response first = client.newCall(new okhttp3.Request.Builder().url(base + "/first").build())
                    .execute()) {
                assertEquals(200, first.code());
            }
            List<java.util.concurrent.CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                java.util.concurrent.CompletableFuture<String> answer = new java.util.concurrent.CompletableFuture<>();
                answers.add(answer);
                client.newCall(new okhttp3.Request.Builder().url(base + "/item/" + i).build())
                        .enqueue(new okhttp3.Callback() {
                            @Override
                            public void onFailure(okhttp3.Call call, IOException e) {
                                answer.completeExceptionally(e);
                            }

                            @Override
                            public void onResponse(okhttp3.Call call, okhttp3.Response response) throws IOException {
                                try (response) {
                                    answer.complete(response.protocol() + " " + response.code() + " "
                                            + response.body().string());
                                }
                            }
                        });
            }
            for (int i = 0; i < 64; i++) {
                assertEquals("h2_prior_knowledge 200 body of /item/" + i,
                        answers.get(i).get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            }
            assertEquals("one connection carried them all", 1, client.connectionPool().connectionCount());
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Test
    public void aPlainHttpBindSwitchesToH2OnThePrefaceAndRefusesItWithoutAnH2Mux() throws Exception {
        HttpTestBackend server = backend((request, index, socket) -> {
            String body = "you asked " + request.target();
            return ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\n\r\n" + body).getBytes(ISO_8859_1);
        });
        startHttpProxy(defaults() + httpFrontend() + httpBackend(), server.port());
        // Only h1 is there: the preface is a request line like any other, and not HTTP/1.x.
        try (Socket socket = client()) {
            // In two parts: the mux waits for the whole preface before it tells.
            send(socket, java.util.Arrays.copyOf(PREFACE, 10));
            Thread.sleep(50);
            send(socket, java.util.Arrays.copyOfRange(PREFACE, 10, PREFACE.length));
            assertEquals(400, response(input(socket)).status());
        }
        registry.register(new H2MuxProto(scheduler));
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder()
                .protocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).build();
        try {
            for (int i = 0; i < 3; i++) {
                try (okhttp3.Response response = client.newCall(new okhttp3.Request.Builder()
                        .url("http://127.0.0.1:" + proxyAddress().getPort() + "/h2/" + i).build()).execute()) {
                    assertEquals(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE, response.protocol());
                    assertEquals("you asked /h2/" + i, response.body().string());
                }
            }
            assertEquals("one h2 connection", 1, client.connectionPool().connectionCount());
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
        // HTTP/1.1 clients on the same bind are served as before.
        assertEquals("you asked /h1", new String(get("/h1").body, ISO_8859_1));
    }

    @Test
    public void aStopSendsGoawayAndLetsTheStreamUnderWayFinishWithinHardStopAfter() throws Exception {
        java.util.concurrent.CountDownLatch requested = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        HttpTestBackend server = backend((request, index, socket) -> {
            requested.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return bytes(HttpTestBackend.OK);
        });
        startHttpProxy("global\n  hard-stop-after 20s\n" + defaults()
                + "frontend fe\n  bind \"127.0.0.1:${FE}\" proto h2\n  default_backend be\n" + httpBackend(),
                server.port());
        registry.register(new H2MuxProto(scheduler));
        try (RawClient client = new RawClient()) {
            client.frame(HEADERS, END_STREAM | END_HEADERS, 1, getBlock("/slow"));
            assertTrue(requested.await(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            Thread stopper = new Thread(engine::stop, "stopper");
            stopper.start();
            Frame goaway = client.await(GOAWAY, 0);
            assertTrue("no GOAWAY", goaway != null);
            assertEquals("NO_ERROR", 0, goaway.errorCode());
            assertEquals("last stream", 1, ByteBuffer.wrap(goaway.payload()).getInt());
            assertTrue("still stopping", stopper.isAlive());
            answer.countDown();
            Frame headers = client.await(HEADERS, 1);
            assertTrue("the stream under way is answered", headers != null);
            assertEquals((byte) STATUS_200, headers.payload()[0]);
            assertEquals("then the connection closes", null, client.goaway());
            stopper.join(TIMEOUT_MS);
            assertTrue(!stopper.isAlive());
        }
    }

    @Test
    public void curlUploadsABodyOfUnknownLengthChunkedToTheServer() throws Exception {
        assumeTrue("curl is not installed", Files.isExecutable(Path.of("/usr/bin/curl")));
        HttpTestBackend server = backend((request, index, socket) -> {
            String body = request.framing + " " + request.body.length;
            return ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\n\r\n" + body).getBytes(ISO_8859_1);
        });
        startH2Proxy(server);
        Path file = Files.createTempFile("muxgate-h2", ".bin");
        Files.write(file, new byte[300_000]);
        try {
            Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--http2-prior-knowledge", "--max-time", "60",
                    "--data-binary", "@" + file, "http://127.0.0.1:" + proxyAddress().getPort() + "/up")
                    .redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), ISO_8859_1);
            assertTrue(curl.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertEquals(out, 0, curl.exitValue());
            // curl sends content-length with --data-binary: the server gets that framing.
            assertEquals("length 300000", out);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ------------------------------------------------------------------ a frame-level client

    // The frames and header blocks: H2Wire.

    /** A raw HTTP/2 client: frames written as given, frames read one by one. */
    private final class RawClient implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final DataInputStream in;

        RawClient() throws IOException {
            socket = client();
            socket.setSoTimeout(TIMEOUT_MS);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
            out.write(PREFACE);
            frame(SETTINGS, 0, 0, new byte[0]);
        }

        void frame(int type, int flags, int stream, byte[] payload) throws IOException {
            out.write(frameBytes(type, flags, stream, payload));
            out.flush();
        }

        /** @return the next frame, or null at the end of the connection */
        Frame read() throws IOException {
            return readFrame(in);
        }

        /** Reads until a frame of {@code type} (on {@code stream} unless -1), answering nothing; null at the end. */
        Frame await(int type, int stream) throws IOException {
            for (Frame f = read(); f != null; f = read()) {
                if (f.type() == type && (stream < 0 || f.stream() == stream)) {
                    return f;
                }
            }
            return null;
        }

        /** Reads until the connection ends, and returns the GOAWAY seen, if any. */
        Frame goaway() throws IOException {
            Frame goaway = null;
            for (Frame f = read(); f != null; f = read()) {
                if (f.type() == GOAWAY) {
                    goaway = f;
                }
            }
            return goaway;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A GET on a new connection is answered 200: what any test ends with. */
    private void assertServed() throws IOException {
        try (RawClient client = new RawClient()) {
            client.frame(HEADERS, END_STREAM | END_HEADERS, 1, getBlock("/check"));
            Frame headers = client.await(HEADERS, 1);
            assertTrue("no response", headers != null);
            assertEquals((byte) STATUS_200, headers.payload()[0]);
        }
    }

    private void assertConnectionError(int code, RawClient client) throws IOException {
        Frame goaway = client.goaway();
        assertTrue("no GOAWAY", goaway != null);
        assertEquals("error code", code, goaway.errorCode());
    }

    private void assertStreamError(int code, int stream, RawClient client) throws IOException {
        Frame reset = client.await(RST_STREAM, stream);
        assertTrue("no RST_STREAM", reset != null);
        assertEquals("error code", code, reset.errorCode());
    }

    @Test
    public void aGetIsAnsweredWithHeadersAndDataAndTheServerGetsAnHttp11Request() throws Exception {
        HttpTestBackend server = backend();
        startH2Proxy(server);
        try (RawClient client = new RawClient()) {
            client.frame(HEADERS, END_STREAM | END_HEADERS, 1, getBlock("/x?y", "accept", "*/*", "cookie", "a=1",
                    "cookie", "b=2"));
            Frame headers = client.await(HEADERS, 1);
            assertEquals((byte) STATUS_200, headers.payload()[0]);
            Frame data = client.await(DATA, 1);
            assertEquals("ok", new String(data.payload(), ISO_8859_1));
            assertEquals(END_STREAM, data.flags() & END_STREAM);
        }
        HttpWire.Message request = server.connections.get(0).requests.get(0);
        assertEquals("GET /x?y HTTP/1.1", request.startLine);
        assertEquals("test", request.header("host"));
        assertEquals("cookies are joined", "a=1; b=2", request.header("cookie"));
    }

    @Test
    public void protocolViolationsGetTheErrorCodesOfRfc9113() throws Exception {
        startH2Proxy(backend());
        int protocolError = 0x1;
        int flowControlError = 0x3;
        int streamClosed = 0x5;
        int frameSizeError = 0x6;
        int compressionError = 0x9;
        List<String> failures = new ArrayList<>();
        // Connection errors: each on its own connection.
        Object[][] connectionCases = {
            { "DATA on stream 0", protocolError, new int[] { DATA, 0, 0 }, new byte[1] },
            { "DATA on an idle stream", protocolError, new int[] { DATA, 0, 5 }, new byte[1] },
            { "HEADERS on an even stream", protocolError, new int[] { HEADERS, END_HEADERS | END_STREAM, 2 }, getBlock("/") },
            { "SETTINGS on a stream", protocolError, new int[] { SETTINGS, 0, 1 }, new byte[0] },
            { "SETTINGS of 5 bytes", frameSizeError, new int[] { SETTINGS, 0, 0 }, new byte[5] },
            { "SETTINGS ACK with payload", frameSizeError, new int[] { SETTINGS, 1, 0 }, new byte[6] },
            { "SETTINGS_ENABLE_PUSH 2", protocolError, new int[] { SETTINGS, 0, 0 }, new byte[] { 0, 2, 0, 0, 0, 2 } },
            { "SETTINGS_INITIAL_WINDOW_SIZE 2^31", flowControlError, new int[] { SETTINGS, 0, 0 },
                new byte[] { 0, 4, (byte) 0x80, 0, 0, 0 } },
            { "SETTINGS_MAX_FRAME_SIZE too small", protocolError, new int[] { SETTINGS, 0, 0 },
                new byte[] { 0, 5, 0, 0, 0x10, 0 } },
            { "PING of 4 bytes", frameSizeError, new int[] { PING, 0, 0 }, new byte[4] },
            { "PING on a stream", protocolError, new int[] { PING, 0, 1 }, new byte[8] },
            { "WINDOW_UPDATE of 0 on the connection", protocolError, new int[] { WINDOW_UPDATE, 0, 0 }, new byte[4] },
            { "WINDOW_UPDATE of 3 bytes", frameSizeError, new int[] { WINDOW_UPDATE, 0, 0 }, new byte[3] },
            { "connection window beyond 2^31-1", flowControlError, new int[] { WINDOW_UPDATE, 0, 0 },
                new byte[] { 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff } },
            { "RST_STREAM on an idle stream", protocolError, new int[] { RST_STREAM, 0, 1 }, new byte[4] },
            { "CONTINUATION without HEADERS", protocolError, new int[] { CONTINUATION, END_HEADERS, 1 }, getBlock("/") },
            { "PUSH_PROMISE from a client", protocolError, new int[] { 5, END_HEADERS, 1 }, new byte[4] },
            { "an HPACK index beyond the tables", compressionError, new int[] { HEADERS, END_HEADERS | END_STREAM, 1 },
                new byte[] { (byte) 0xff, 0x10 } },
            { "a frame above SETTINGS_MAX_FRAME_SIZE", frameSizeError, new int[] { 0xfe, 0, 0 }, new byte[16_385] },
        };
        for (Object[] c : connectionCases) {
            int[] frame = (int[]) c[2];
            try (RawClient client = new RawClient()) {
                client.frame(frame[0], frame[1], frame[2], (byte[]) c[3]);
                Frame goaway = client.goaway();
                if (goaway == null || goaway.errorCode() != (int) c[1]) {
                    failures.add(c[0] + ": expected " + c[1] + ", got " + (goaway == null ? "no GOAWAY"
                            : goaway.errorCode()));
                }
            }
        }
        // Stream errors: the stream is reset, the connection goes on.
        Object[][] streamCases = {
            { "a pseudo-header after a regular field", protocolError, getBlock("/", "accept", "x", ":authority", "y") },
            { "an upper-case name", protocolError, getBlock("/", "Accept", "x") },
            { "a connection-specific field", protocolError, getBlock("/", "connection", "close") },
            { "te other than trailers", protocolError, getBlock("/", "te", "gzip") },
            { "an unknown pseudo-header", protocolError, getBlock("/", ":protocol", "websocket") },
            { "a value with a trailing space", protocolError, getBlock("/", "accept", "x ") },
            { "two different content-lengths", protocolError, getBlock("/", "content-length", "1", "content-length", "2") },
            { "a content-length with END_STREAM", protocolError, getBlock("/", "content-length", "5") },
        };
        try (RawClient client = new RawClient()) {
            int stream = 1;
            for (Object[] c : streamCases) {
                client.frame(HEADERS, END_HEADERS | END_STREAM, stream, (byte[]) c[2]);
                Frame reset = client.await(RST_STREAM, stream);
                if (reset == null || reset.errorCode() != (int) c[1]) {
                    failures.add(c[0] + ": expected RST " + c[1] + ", got " + (reset == null ? "none"
                            : reset.errorCode()));
                }
                stream += 2;
            }
            // DATA after END_STREAM: STREAM_CLOSED, still a stream error.
            client.frame(HEADERS, END_HEADERS | END_STREAM, stream, getBlock("/"));
            client.frame(DATA, 0, stream, new byte[1]);
            Frame reset = client.await(RST_STREAM, stream);
            if (reset == null || reset.errorCode() != streamClosed) {
                failures.add("DATA after END_STREAM: " + (reset == null ? "none" : reset.errorCode()));
            }
            stream += 2;
            // More data than content-length: PROTOCOL_ERROR.
            client.frame(HEADERS, END_HEADERS, stream, getBlock("/", "content-length", "1"));
            client.frame(DATA, END_STREAM, stream, new byte[2]);
            reset = client.await(RST_STREAM, stream);
            if (reset == null || reset.errorCode() != protocolError) {
                failures.add("DATA beyond content-length: " + (reset == null ? "none" : reset.errorCode()));
            }
            stream += 2;
            // PRIORITY depending on itself: PROTOCOL_ERROR on that stream.
            client.frame(PRIORITY, 0, stream, new byte[] { 0, 0, 0, (byte) stream, 16 });
            reset = client.await(RST_STREAM, stream);
            if (reset == null || reset.errorCode() != protocolError) {
                failures.add("PRIORITY on itself: " + (reset == null ? "none" : reset.errorCode()));
            }
        }
        assertEquals(List.of(), failures);
        assertServed();
    }

    @Test
    public void aDecreasingStreamIdIsAConnectionError() throws Exception {
        startH2Proxy(backend());
        try (RawClient client = new RawClient()) {
            client.frame(HEADERS, END_HEADERS | END_STREAM, 5, getBlock("/"));
            client.await(DATA, 5);
            client.frame(HEADERS, END_HEADERS | END_STREAM, 3, getBlock("/"));
            // Stream 3 is below the last opened: closed, not idle, so a stream error STREAM_CLOSED.
            assertStreamError(0x5, 3, client);
        }
        assertServed();
    }

    @Test
    public void rapidResetGetsEnhanceYourCalm() throws Exception {
        // The server answers /slow only at the end: every stream stays held by the proxy after its reset.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        HttpTestBackend silent = backend((request, index, socket) -> {
            if (request.target().equals("/check")) {
                return HttpTestBackend.OK.getBytes(ISO_8859_1);
            }
            try {
                release.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HttpTestBackend.OK.getBytes(ISO_8859_1);
        });
        // One slot on the server, held by the first stream: the others wait in the queue,
        // where the proxy holds them whatever the client does, so the count is not a race.
        startHttpProxy(defaults("timeout queue 1m") + "frontend fe\n  bind \"127.0.0.1:${FE}\" proto h2\n"
                + "  default_backend be\nbackend be\n  server s1 \"127.0.0.1:${S1}\" maxconn 1\n", silent.port());
        registry.register(new H2MuxProto(scheduler));
        try (RawClient client = new RawClient()) {
            // 100 streams opened and reset, then a 101st: all in one write, so that the proxy
            // has read everything when it closes (unread bytes would make the close a reset).
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            byte[] block = getBlock("/slow");
            for (int i = 0; i <= 100; i++) {
                int stream = 1 + 2 * i;
                burst.writeBytes(frameBytes(HEADERS, END_HEADERS | END_STREAM, stream, block));
                if (i < 100) {
                    burst.writeBytes(frameBytes(RST_STREAM, 0, stream, new byte[] { 0, 0, 0, 8 }));
                }
            }
            client.out.write(burst.toByteArray());
            client.out.flush();
            assertConnectionError(0xb, client);
        }
        release.countDown();
        assertServed();
    }

    /**
     * A client that opens no window (SETTINGS_INITIAL_WINDOW_SIZE 0) and asks for a
     * huge response: the proxy stops reading the server once its buffer for the
     * stream is full, so what the server could write is bounded by the socket
     * buffers, not the response; other clients are served meanwhile; and {@code
     * timeout client} ends the stream.
     */
    @Test
    public void aZeroWindowReaderHoldsBoundedMemoryAndTimesOut() throws Exception {
        long total = 256L << 20;
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        HttpTestBackend server = backend((request, index, socket) -> {
            if (request.target().equals("/check")) {
                return HttpTestBackend.OK.getBytes(ISO_8859_1);
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\ncontent-length: " + total + "\r\n\r\n").getBytes(ISO_8859_1));
            byte[] chunk = new byte[64 << 10];
            try {
                for (long n = 0; n < total; n += chunk.length) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException closedByTheProxy) {
                // The stream timed out.
            }
            return null;
        });
        startHttpProxy(defaults("timeout client 2s") + "frontend fe\n  bind \"127.0.0.1:${FE}\" proto h2\n"
                + "  default_backend be\n" + httpBackend(), server.port());
        registry.register(new H2MuxProto(scheduler));
        try (RawClient client = new RawClient()) {
            client.frame(SETTINGS, 0, 0, new byte[] { 0, 4, 0, 0, 0, 0 });
            client.frame(HEADERS, END_STREAM | END_HEADERS, 1, getBlock("/huge"));
            Frame head = client.await(HEADERS, 1);
            assertTrue("no response head", head != null);
            assertEquals((byte) STATUS_200, head.payload()[0]);
            assertServed();
            Frame reset = client.await(RST_STREAM, 1);
            assertTrue("the stream did not end at timeout client", reset != null);
            long atTimeout = written.get();
            assertTrue("the server wrote " + atTimeout + " bytes", atTimeout < 64L << 20);
        }
        assertServed();
    }

    /**
     * {@code tune.h2.initial-window-size}: advertised in our SETTINGS, with a
     * WINDOW_UPDATE opening the connection as wide, so a client uploads that much on
     * a stream without waiting (with the default window, 64 KiB would be a
     * FLOW_CONTROL_ERROR).
     */
    @Test
    public void aLargerInitialWindowLetsAnUploadGoWithoutWaiting() throws Exception {
        HttpTestBackend server = backend((request, index, socket) -> {
            String body = "received " + request.body.length;
            return ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(ISO_8859_1);
        });
        int window = 1 << 20;
        startHttpProxy("global\n  tune.h2.initial-window-size " + window + "\n" + defaults()
                + "frontend fe\n  bind \"127.0.0.1:${FE}\" proto h2\n  default_backend be\n" + httpBackend(),
                server.port());
        registry.register(new H2MuxProto(scheduler));
        try (RawClient client = new RawClient()) {
            Frame settings = client.await(SETTINGS, 0);
            ByteBuffer entries = ByteBuffer.wrap(settings.payload());
            int advertised = -1;
            while (entries.hasRemaining()) {
                int id = entries.getShort();
                int value = entries.getInt();
                if (id == 4) {
                    advertised = value;
                }
            }
            assertEquals("SETTINGS_INITIAL_WINDOW_SIZE", window, advertised);
            Frame update = client.await(WINDOW_UPDATE, 0);
            assertEquals("connection window increment", window - 65_535, ByteBuffer.wrap(update.payload()).getInt());
            int size = 512 << 10;
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.write(0x83); // :method POST
            block.write(0x86); // :scheme http
            literal(block, ":path", "/upload");
            literal(block, ":authority", "test");
            literal(block, "content-length", Integer.toString(size));
            request.writeBytes(frameBytes(HEADERS, END_HEADERS, 1, block.toByteArray()));
            byte[] chunk = new byte[16_384];
            for (int sent = 0; sent < size; sent += chunk.length) {
                request.writeBytes(frameBytes(DATA, sent + chunk.length == size ? END_STREAM : 0, 1, chunk));
            }
            client.out.write(request.toByteArray());
            client.out.flush();
            Frame head = client.await(HEADERS, 1);
            assertTrue("no response", head != null);
            assertEquals((byte) STATUS_200, head.payload()[0]);
            Frame data = client.await(DATA, 1);
            assertEquals("received " + size, new String(data.payload(), ISO_8859_1));
        }
    }

    /** A request ended by an empty DATA frame sent on its own: the frame is the whole input, no byte follows it. */
    @Test
    public void anEmptyDataFrameEndingTheInputEndsTheRequest() throws Exception {
        startH2Proxy(backend());
        try (RawClient client = new RawClient()) {
            client.frame(HEADERS, END_HEADERS, 1, getBlock("/ends-later"));
            Thread.sleep(100);
            client.frame(DATA, END_STREAM, 1, new byte[0]);
            Frame head = client.await(HEADERS, 1);
            assertTrue("no response", head != null);
            assertEquals((byte) STATUS_200, head.payload()[0]);
        }
    }

    @Test
    public void aContinuationFloodIsAProtocolError() throws Exception {
        startH2Proxy(backend());
        // Each flood in one write, ending at the frame that breaks the limit: the proxy has
        // read everything when it closes (unread bytes would make the close a reset).
        try (RawClient client = new RawClient()) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            flood.writeBytes(frameBytes(HEADERS, 0, 1, getBlock("/")));
            for (int i = 0; i < 32; i++) {
                flood.writeBytes(frameBytes(CONTINUATION, 0, 1, new byte[0]));
            }
            client.out.write(flood.toByteArray());
            client.out.flush();
            assertConnectionError(0x1, client);
        }
        try (RawClient client = new RawClient()) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            flood.writeBytes(frameBytes(HEADERS, 0, 1, getBlock("/")));
            flood.writeBytes(frameBytes(CONTINUATION, 0, 1, new byte[8200]));
            flood.writeBytes(frameBytes(CONTINUATION, 0, 1, new byte[8200]));
            client.out.write(flood.toByteArray());
            client.out.flush();
            assertConnectionError(0x1, client);
        }
        assertServed();
    }


    @Test
    public void pingSettingsAndEmptyDataFloodsGetEnhanceYourCalm() throws Exception {
        startH2Proxy(backend());
        byte[] ping = frameBytes(PING, 0, 0, new byte[8]);
        byte[] settings = frameBytes(SETTINGS, 0, 0, new byte[0]);
        byte[] emptyData = frameBytes(DATA, 0, 1, new byte[0]);
        for (byte[] frame : List.of(ping, settings, emptyData)) {
            try (RawClient client = new RawClient()) {
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                if (frame == emptyData) {
                    // A request whose body never comes: the stream stays open for the DATA frames.
                    burst.writeBytes(frameBytes(HEADERS, END_HEADERS, 1, getBlock("/upload")));
                }
                // One more than the limit, in one write, the last one breaking it: an empty
                // SETTINGS or DATA frame at the very end of the input must be taken too.
                for (int i = 0; i < 1001; i++) {
                    burst.writeBytes(frame);
                }
                client.out.write(burst.toByteArray());
                client.out.flush();
                assertConnectionError(0xb, client);
            }
            assertServed();
        }
    }

    @Test
    public void anHpackBombIsRefusedWithoutHarmingTheConnection() throws Exception {
        startH2Proxy(backend());
        try (RawClient client = new RawClient()) {
            // One 4000-byte value into the dynamic table, then 1000 references to it: 4 MB decoded.
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.write(0x82);
            block.write(0x86);
            literal(block, ":path", "/");
            block.write(0x40);
            string(block, "x-big");
            string(block, "v".repeat(4000));
            for (int i = 0; i < 1000; i++) {
                block.write(0x80 | 62);
            }
            byte[] bytes = block.toByteArray();
            int half = bytes.length / 2;
            client.frame(HEADERS, END_STREAM, 1, java.util.Arrays.copyOf(bytes, half));
            client.frame(CONTINUATION, END_HEADERS, 1, java.util.Arrays.copyOfRange(bytes, half, bytes.length));
            Frame answer = client.await(HEADERS, 1);
            // 431 is not in the static table: a literal :status (index 8) with value 431.
            assertTrue("a 431 response", answer != null && (answer.payload()[0] & 0xff) == 0x48);
            // The same connection serves the next request: the table stayed in step.
            client.frame(HEADERS, END_STREAM | END_HEADERS, 3, getBlock("/next"));
            Frame next = client.await(HEADERS, 3);
            assertEquals((byte) STATUS_200, next.payload()[0]);
        }
    }
}
