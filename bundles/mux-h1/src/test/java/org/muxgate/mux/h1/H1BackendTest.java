package org.muxgate.mux.h1;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Before;
import org.junit.Test;
import org.muxgate.api.http.HttpEndpoint;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.transport.NioConnection;

/** The backend mux on a real connection to a raw server socket. */
public class H1BackendTest extends H1TestSupport {

    private ServerSocket server;
    private Mux mux;

    @Before
    public void startServer() throws Exception {
        start();
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @org.junit.After
    public void stopServer() throws Exception {
        server.close();
    }

    /** Connects from the worker thread, waits for the connect, installs the mux and attaches. */
    private HttpEndpoint connect() throws Exception {
        NioConnection connection = onWorker(() -> {
            try {
                return transport.connect(loopback(server.getLocalPort()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await("the connect completes", () -> {
            try {
                return !onWorker(connection::isConnecting);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        mux = onWorker(() -> registry.install(connection, null, ProtoMode.HTTP, ProtoSide.BACKEND, null));
        return onWorker(() -> (HttpEndpoint) mux.attach());
    }

    private static HttpMessage request(String method, String target, String... headers) {
        HttpMessage m = new HttpMessage(101);
        m.attach(buffer());
        m.addRequestLine(HttpMessage.HTTP_1_1, method, target);
        for (int i = 0; i < headers.length; i += 2) {
            m.addField(HttpMessage.HEADER, headers[i], headers[i + 1]);
        }
        m.addMarker(HttpMessage.END_OF_HEADERS);
        return m;
    }

    private static void body(HttpMessage m, String text) {
        ByteBuffer b = Messages.bytes(text);
        m.addData(b, 0, b.remaining());
        m.setContentLength(text.length());
    }

    /**
     * Sends a request and receives its response(s) on the worker thread: the result
     * describes each response ({@code " / "} between them), or the error.
     */
    private final class Exchange implements TaskProcess {
        private final HttpEndpoint endpoint;
        private final HttpMessage request;
        private final HttpMessage response = new HttpMessage(101);
        private final StringBuilder description = new StringBuilder();
        private final StringBuilder body = new StringBuilder();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private int status;

        Exchange(HttpEndpoint endpoint, HttpMessage request) {
            this.endpoint = endpoint;
            this.request = request;
            response.attach(buffer());
        }

        String run() throws Exception {
            scheduler.newTasklet(0, this, this).wakeup(TaskState.WOKEN_INIT);
            return result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }

        @Override
        public Schedulable process(Schedulable task, Object context, int state) {
            while (!request.isEmpty()) {
                int n = endpoint.sendMessage(request);
                if (n < 0) {
                    result.complete("send error");
                    return null;
                }
                if (n == 0) {
                    endpoint.subscribe(IoEvent.SEND, task);
                    return task;
                }
            }
            for (;;) {
                int n = endpoint.receiveMessage(response);
                int line = response.startLine();
                if (line >= 0) {
                    status = response.status(line);
                }
                description.append(Messages.describe(response, body));
                if (response.isEnded()) {
                    Messages.flushBody(description, body);
                    description.append(Messages.flags(response));
                    if (status >= 200 || status == 101) {
                        result.complete(description.toString());
                        return null;
                    }
                    description.append(" / ");
                    response.reset();
                } else if (n < 0) {
                    result.complete("error " + endpoint.errorStatus() + (endpoint.isError() ? " isError" : ""));
                    return null;
                } else if (n == 0) {
                    endpoint.subscribe(IoEvent.RECV, task);
                    return task;
                }
            }
        }
    }

    private String exchange(HttpEndpoint endpoint, HttpMessage request) throws Exception {
        return new Exchange(endpoint, request).run();
    }

    private static String read(InputStream in, int n) throws java.io.IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    @Test
    public void theServerGetsTheExactRequestAndTheConnectionIsReused() throws Exception {
        HttpEndpoint endpoint = connect();
        HttpMessage get = request("GET", "/x", "host", "s", "X-A", "1");
        get.setFlags(HttpMessage.F_BODYLESS);
        get.end();
        Exchange first = new Exchange(endpoint, get);
        scheduler.newTasklet(0, first, first).wakeup(TaskState.WOKEN_INIT);
        try (Socket accepted = track(server.accept())) {
            InputStream in = accepted.getInputStream();
            OutputStream out = accepted.getOutputStream();
            assertEquals("GET /x HTTP/1.1\r\nhost: s\r\nx-a: 1\r\n\r\n", readHead(in));
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-B: 2\r\n\r\nhello"));
            assertEquals("RES 200 OK 11|x-b: 2|--|body=hello|flags=CL:5,END",
                    first.result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));

            onWorker(() -> {
                endpoint.detach(true);
                return null;
            });
            assertEquals(0, (int) onWorker(mux::streams));
            HttpEndpoint again = onWorker(() -> (HttpEndpoint) mux.attach());
            assertNotNull("the connection was not kept for reuse", again);
            HttpMessage post = request("POST", "/y", "host", "s");
            body(post, "abc");
            post.end();
            Exchange second = new Exchange(again, post);
            scheduler.newTasklet(0, second, second).wakeup(TaskState.WOKEN_INIT);
            String expected = "POST /y HTTP/1.1\r\nhost: s\r\ncontent-length: 3\r\n\r\nabc";
            assertEquals(expected, read(in, expected.length()));
            out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n"));
            assertEquals("RES 200 OK 11|--|body=xyz|==|flags=CHUNKED,END",
                    second.result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    public void aMalformedResponseGives502AndTheConnectionIsNeverReused() throws Exception {
        HttpEndpoint endpoint = connect();
        HttpMessage get = request("GET", "/", "host", "s");
        get.setFlags(HttpMessage.F_BODYLESS);
        get.end();
        Exchange exchange = new Exchange(endpoint, get);
        scheduler.newTasklet(0, exchange, exchange).wakeup(TaskState.WOKEN_INIT);
        try (Socket accepted = track(server.accept())) {
            readHead(accepted.getInputStream());
            accepted.getOutputStream().write(ascii(
                    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
            assertEquals("error 502 isError", exchange.result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            onWorker(() -> {
                endpoint.detach(true);
                return null;
            });
            assertNull(onWorker(mux::attach));
            // The server answered all it was sent: the close is a reset, as HAProxy's.
            try {
                int read = accepted.getInputStream().read();
                fail("an orderly close: read " + read);
            } catch (java.net.SocketException e) {
                assertEquals("Connection reset", e.getMessage());
            }
            assertEquals(0, registry.connectionCount());
        }
    }

    @Test
    public void aResponseWithoutLengthEndsWithTheCloseAndIsNotReused() throws Exception {
        HttpEndpoint endpoint = connect();
        HttpMessage get = request("GET", "/", "host", "s");
        get.setFlags(HttpMessage.F_BODYLESS);
        get.end();
        Exchange exchange = new Exchange(endpoint, get);
        scheduler.newTasklet(0, exchange, exchange).wakeup(TaskState.WOKEN_INIT);
        try (Socket accepted = track(server.accept())) {
            readHead(accepted.getInputStream());
            accepted.getOutputStream().write(ascii("HTTP/1.1 200 OK\r\n\r\nabc"));
            accepted.shutdownOutput();
            assertEquals("RES 200 OK 11|--|body=abc|flags=END", exchange.result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            onWorker(() -> {
                endpoint.detach(true);
                return null;
            });
            assertNull(onWorker(mux::attach));
            assertEquals(0, registry.connectionCount());
        }
    }

    @Test
    public void aContinueComesBeforeTheFinalResponse() throws Exception {
        HttpEndpoint endpoint = connect();
        HttpMessage post = request("POST", "/", "host", "s", "expect", "100-continue");
        post.setFlags(HttpMessage.F_EXPECT_CONTINUE);
        body(post, "hi");
        post.end();
        Exchange exchange = new Exchange(endpoint, post);
        scheduler.newTasklet(0, exchange, exchange).wakeup(TaskState.WOKEN_INIT);
        try (Socket accepted = track(server.accept())) {
            String expected = "POST / HTTP/1.1\r\nhost: s\r\nexpect: 100-continue\r\ncontent-length: 2\r\n\r\nhi";
            assertEquals(expected, read(accepted.getInputStream(), expected.length()));
            accepted.getOutputStream().write(ascii(
                    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n"));
            assertEquals("RES 100 Continue 11|--|flags=BODYLESS,END / RES 201 Created 11|--|flags=CL:0,END",
                    exchange.result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            onWorker(() -> {
                endpoint.detach(true);
                return null;
            });
            assertNotNull(onWorker(mux::attach));
        }
    }

    @Test
    public void anIdleConnectionIsClosedWhenTheServerClosesIt() throws Exception {
        HttpEndpoint endpoint = connect();
        HttpMessage get = request("GET", "/", "host", "s");
        get.setFlags(HttpMessage.F_BODYLESS);
        get.end();
        Exchange exchange = new Exchange(endpoint, get);
        scheduler.newTasklet(0, exchange, exchange).wakeup(TaskState.WOKEN_INIT);
        try (Socket accepted = track(server.accept())) {
            readHead(accepted.getInputStream());
            accepted.getOutputStream().write(ascii("HTTP/1.1 204 No Content\r\n\r\n"));
            assertEquals("RES 204 No Content 11|--|flags=BODYLESS,END",
                    exchange.result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            onWorker(() -> {
                endpoint.detach(true);
                return null;
            });
            assertEquals(1, registry.connectionCount());
            accepted.shutdownOutput();
            await("the idle connection is closed", () -> registry.connectionCount() == 0);
        }
    }

    @Test
    public void anUpgradeTunnelsRawBytesBothWays() throws Exception {
        HttpEndpoint endpoint = connect();
        HttpMessage get = request("GET", "/ws", "host", "s", "upgrade", "websocket");
        get.setFlags(HttpMessage.F_BODYLESS | HttpMessage.F_UPGRADE);
        get.end();
        Exchange exchange = new Exchange(endpoint, get);
        scheduler.newTasklet(0, exchange, exchange).wakeup(TaskState.WOKEN_INIT);
        try (Socket accepted = track(server.accept())) {
            InputStream in = accepted.getInputStream();
            assertEquals("GET /ws HTTP/1.1\r\nhost: s\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n",
                    readHead(in));
            accepted.getOutputStream().write(ascii(
                    "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nping"));
            assertEquals("RES 101 Switching Protocols 11|upgrade: websocket|--|flags=BODYLESS,UPGRADE,END",
                    exchange.result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            ByteBuffer received = ByteBuffer.allocate(16);
            await("the tunnelled bytes arrive", () -> {
                try {
                    onWorker(() -> endpoint.receive(received));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return received.position() >= 4;
            });
            assertEquals("ping", new String(received.array(), 0, 4, StandardCharsets.ISO_8859_1));
            assertEquals(4, (int) onWorker(() -> endpoint.send(Messages.bytes("pong"))));
            assertEquals("pong", read(in, 4));
            HttpMessage data = new HttpMessage(101);
            data.attach(buffer());
            ByteBuffer raw = Messages.bytes("GET / HTTP/1.1\r\n");
            data.addData(raw, 0, raw.remaining());
            onWorker(() -> endpoint.sendMessage(data));
            assertEquals("GET / HTTP/1.1\r\n", read(in, 16));
            accepted.shutdownOutput();
            HttpMessage into = new HttpMessage(101);
            into.attach(buffer());
            int[] last = new int[1];
            await("the end of the tunnel is seen", () -> {
                try {
                    last[0] = onWorker(() -> endpoint.receiveMessage(into));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return last[0] < 0;
            });
            assertTrue(onWorker(endpoint::isReadShut));
            assertFalse(onWorker(endpoint::isError));
        }
    }

    @Test(expected = IllegalStateException.class)
    public void rawBytesAreRefusedOutsideATunnel() throws Throwable {
        HttpEndpoint endpoint = connect();
        try {
            onWorker(() -> endpoint.receive(ByteBuffer.allocate(16)));
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause();
        }
    }
}
