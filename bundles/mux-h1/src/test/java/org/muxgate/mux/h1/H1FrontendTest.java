package org.muxgate.mux.h1;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpEndpoint;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.api.http.HttpSettings;
import org.muxgate.api.http.HttpStreamOpener;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.StreamEndpoint;
import org.muxgate.transport.Listener;
import org.muxgate.transport.ListenerGroup;

/**
 * The frontend mux on a real listener, driven by a raw client socket: a tiny stream
 * answers each request with what it received (method, target, body length and sum).
 */
public class H1FrontendTest extends H1TestSupport {

    private final List<String> served = new CopyOnWriteArrayList<>();
    private final AtomicInteger ended = new AtomicInteger();
    private InetSocketAddress address;

    private void listen(HttpSettings settings) throws Exception {
        start();
        HttpStreamOpener opener = new HttpStreamOpener() {
            @Override
            public boolean openStream(StreamEndpoint endpoint) {
                new AnsweringStream((HttpEndpoint) endpoint);
                return true;
            }

            @Override
            public void connectionEnded(Connection connection) {
                ended.incrementAndGet();
            }

            @Override
            public HttpSettings httpSettings() {
                return settings;
            }
        };
        Listener listener = transport.listen(new ListenerGroup("fe", ProtoMode.HTTP, 0, opener), loopback(0), null);
        address = listener.address();
    }

    /** Receives a request whole (consuming its body as it comes), then answers it and detaches keeping the connection. */
    private final class AnsweringStream implements TaskProcess {
        private final HttpEndpoint endpoint;
        private final HttpMessage request = new HttpMessage(101);
        private final HttpMessage response = new HttpMessage(101);
        private final AsciiSequence view = new AsciiSequence();
        private final StringBuilder line = new StringBuilder();
        private long length;
        private long sum;
        private boolean answering;

        AnsweringStream(HttpEndpoint endpoint) {
            this.endpoint = endpoint;
            request.attach(buffer());
            response.attach(buffer());
            scheduler.newTasklet(endpoint.connection().thread(), this, this).wakeup(TaskState.WOKEN_INIT);
        }

        @Override
        public Schedulable process(Schedulable task, Object context, int state) {
            while (!answering) {
                int n = endpoint.receiveMessage(request);
                consume();
                if (request.isEnded()) {
                    answer();
                } else if (n < 0) {
                    endpoint.detach(false);
                    return null;
                } else if (n == 0) {
                    endpoint.subscribe(IoEvent.RECV, task);
                    return task;
                }
            }
            while (!response.isEmpty()) {
                int n = endpoint.sendMessage(response);
                if (n < 0) {
                    endpoint.detach(false);
                    return null;
                }
                if (n == 0) {
                    endpoint.subscribe(IoEvent.SEND, task);
                    return task;
                }
            }
            endpoint.detach(true);
            return null;
        }

        private void consume() {
            for (int p = request.first(); p >= 0; p = request.first()) {
                switch (request.type(p)) {
                    case HttpMessage.REQUEST_LINE:
                        line.append(request.method(p, view)).append(' ').append(request.target(p, view));
                        break;
                    case HttpMessage.DATA:
                        request.data(p, view);
                        length += view.length();
                        for (int i = 0; i < view.length(); i++) {
                            sum += view.charAt(i);
                        }
                        break;
                    default:
                        break;
                }
                request.removeFirst();
            }
        }

        private void answer() {
            answering = true;
            String body = line + " len=" + length + " sum=" + sum;
            served.add(body);
            response.addStatusLine(HttpMessage.HTTP_1_1, 200, "OK");
            response.addField(HttpMessage.HEADER, "X-Test", "yes");
            response.addMarker(HttpMessage.END_OF_HEADERS);
            response.setContentLength(body.length());
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(ascii(body));
            response.addData(bytes, 0, bytes.remaining());
            response.end();
        }
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nx-test: yes\r\ncontent-length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    public void threeRequestsOnOneConnection() throws Exception {
        listen(new Settings(0, 0));
        Socket client = connect(address);
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        for (int i = 0; i < 3; i++) {
            out.write(ascii("GET /r" + i + " HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals(ok("GET /r" + i + " len=0 sum=0"), readResponse(in));
        }
        out.write(ascii("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"));
        assertEquals("HTTP/1.1 200 OK\r\nx-test: yes\r\ncontent-length: 21\r\nconnection: close\r\n\r\n"
                + "POST /p len=3 sum=294", readToEnd(in));
        await("the opener is told the connection ended", () -> ended.get() == 1);
        assertEquals(4, served.size());
    }

    @Test
    public void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        listen(new Settings(0, 0));
        Socket client = connect(address);
        client.getOutputStream().write(ascii("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
                + "GET /c HTTP/1.0\r\n\r\n"));
        InputStream in = client.getInputStream();
        assertEquals(ok("GET /a len=0 sum=0"), readResponse(in));
        assertEquals(ok("POST /b len=2 sum=209"), readResponse(in));
        // HTTP/1.0 without keep-alive: answered, then closed.
        assertEquals("HTTP/1.1 200 OK\r\nx-test: yes\r\ncontent-length: 18\r\nconnection: close\r\n\r\n"
                + "GET /c len=0 sum=0", readToEnd(in));
        assertEquals(List.of("GET /a len=0 sum=0", "POST /b len=2 sum=209", "GET /c len=0 sum=0"), served);
    }

    @Test
    public void aMalformedRequestGetsTheErrorPageThenTheClose() throws Exception {
        listen(new Settings(0, 0));
        Socket client = connect(address);
        client.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost : x\r\n\r\n"));
        assertEquals(Settings.page(400), readToEnd(client.getInputStream()));
        await("the opener is told the connection ended", () -> ended.get() == 1);
        assertTrue(served.isEmpty());
    }

    @Test
    public void anUnsupportedCodingGets501() throws Exception {
        listen(new Settings(0, 0));
        Socket client = connect(address);
        client.getOutputStream().write(ascii("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"));
        assertEquals(Settings.page(501), readToEnd(client.getInputStream()));
    }

    @Test
    public void aSmugglingAttemptClosesAfterTheErrorWithoutServingTheHiddenRequest() throws Exception {
        listen(new Settings(0, 0));
        Socket client = connect(address);
        client.getOutputStream().write(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /hidden HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(Settings.page(400), readToEnd(client.getInputStream()));
        assertTrue(served.isEmpty());
    }

    @Test
    public void aMalformedChunkFailsTheStreamWhichClosesTheConnection() throws Exception {
        listen(new Settings(0, 0));
        Socket client = connect(address);
        client.getOutputStream().write(ascii(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0x5\r\n"));
        assertEquals("", readToEnd(client.getInputStream()));
        await("the opener is told the connection ended", () -> ended.get() == 1);
        assertTrue(served.isEmpty());
    }

    @Test
    public void aSlowHeadGets408() throws Exception {
        listen(new Settings(200, 0));
        Socket client = connect(address);
        client.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n"));
        assertEquals(Settings.page(408), readToEnd(client.getInputStream()));
        await("the opener is told the connection ended", () -> ended.get() == 1);
        assertTrue(served.isEmpty());
    }

    @Test
    public void anIdleKeptAliveConnectionIsClosedSilently() throws Exception {
        listen(new Settings(0, 200));
        Socket client = connect(address);
        client.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        InputStream in = client.getInputStream();
        assertEquals(ok("GET / len=0 sum=0"), readResponse(in));
        assertEquals("", readToEnd(in));
        await("the opener is told the connection ended", () -> ended.get() == 1);
        assertEquals(0, registry.connectionCount());
    }

    @Test
    public void aConnectionWithoutRequestIsClosedAfterTheRequestTimeout() throws Exception {
        listen(new Settings(200, 0));
        Socket client = connect(address);
        assertEquals("", readToEnd(client.getInputStream()));
        await("the opener is told the connection ended", () -> ended.get() == 1);
    }

    @Test
    public void aLargeChunkedBodyStreamsThroughSmallerBuffers() throws Exception {
        listen(new Settings(0, 0));
        Socket client = connect(address);
        OutputStream out = client.getOutputStream();
        out.write(ascii("PUT /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
        long sum = 0;
        int total = 0;
        byte[] chunk = new byte[1000];
        for (int i = 0; i < 400; i++) {
            for (int j = 0; j < chunk.length; j++) {
                chunk[j] = (byte) ('a' + (i + j) % 26);
                sum += chunk[j];
            }
            out.write(ascii(Integer.toHexString(chunk.length) + ";i=" + i + "\r\n"));
            out.write(chunk);
            out.write(ascii("\r\n"));
            total += chunk.length;
        }
        out.write(ascii("0\r\nx-trailer: t\r\n\r\n"));
        assertEquals(ok("PUT /big len=" + total + " sum=" + sum), readResponse(client.getInputStream()));
        // The connection is still usable.
        out.write(ascii("GET /after HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(ok("GET /after len=0 sum=0"), readResponse(client.getInputStream()));
    }

    @Test
    public void aLargeResponseIsFlushedAfterTheStreamDetached() throws Exception {
        start();
        byte[] body = new byte[8_000_000];
        java.util.Arrays.fill(body, (byte) 'z');
        // A keep-alive timeout far shorter than the client takes to read: it only starts once all is written.
        HttpSettings settings = new Settings(0, 50);
        HttpStreamOpener opener = new HttpStreamOpener() {
            @Override
            public boolean openStream(StreamEndpoint endpoint) {
                new BigAnswer((HttpEndpoint) endpoint, body);
                return true;
            }

            @Override
            public HttpSettings httpSettings() {
                return settings;
            }
        };
        Listener listener = transport.listen(new ListenerGroup("fe", ProtoMode.HTTP, 0, opener), loopback(0), null);
        Socket client = connect(listener.address());
        client.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        InputStream in = client.getInputStream();
        // A slow reader (not a synchronization): the output waits in the socket and the mux's buffer.
        Thread.sleep(300);
        for (int i = 0; i < 2; i++) {
            String head = readHead(in);
            assertEquals("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n", head);
            assertEquals(body.length, readChunked(in));
        }
    }

    /** Reads a chunked body. @return its length */
    private static int readChunked(InputStream in) throws java.io.IOException {
        int total = 0;
        for (;;) {
            StringBuilder size = new StringBuilder();
            for (int b = in.read(); b != '\r'; b = in.read()) {
                size.append((char) b);
            }
            assertEquals('\n', in.read());
            int n = Integer.parseInt(size.toString(), 16);
            byte[] data = in.readNBytes(n);
            assertEquals(n, data.length);
            total += n;
            assertEquals('\r', in.read());
            assertEquals('\n', in.read());
            if (n == 0) {
                return total;
            }
        }
    }

    /** Answers with a body of unknown length, larger than the buffers, fed as the endpoint takes it. */
    private final class BigAnswer implements TaskProcess {
        private final HttpEndpoint endpoint;
        private final HttpMessage request = new HttpMessage(101);
        private final HttpMessage response = new HttpMessage(101);
        private final java.nio.ByteBuffer body;

        BigAnswer(HttpEndpoint endpoint, byte[] body) {
            this.endpoint = endpoint;
            this.body = java.nio.ByteBuffer.wrap(body);
            request.attach(buffer());
            response.attach(buffer());
            response.addStatusLine(HttpMessage.HTTP_1_1, 200, "OK");
            response.addMarker(HttpMessage.END_OF_HEADERS);
            scheduler.newTasklet(endpoint.connection().thread(), this, this).wakeup(TaskState.WOKEN_INIT);
        }

        @Override
        public Schedulable process(Schedulable task, Object context, int state) {
            while (!request.isEnded()) {
                int n = endpoint.receiveMessage(request);
                while (request.first() >= 0) {
                    request.removeFirst();
                }
                if (n < 0) {
                    endpoint.detach(false);
                    return null;
                }
                if (n == 0 && !request.isEnded()) {
                    endpoint.subscribe(IoEvent.RECV, task);
                    return task;
                }
            }
            for (;;) {
                if (body.hasRemaining()) {
                    int added = response.addData(body, body.position(), body.remaining());
                    body.position(body.position() + added);
                    if (!body.hasRemaining()) {
                        response.end();
                    }
                }
                int n = endpoint.sendMessage(response);
                if (n < 0) {
                    endpoint.detach(false);
                    return null;
                }
                if (response.isEmpty() && response.isEnded()) {
                    endpoint.detach(true);
                    return null;
                }
                if (n == 0) {
                    endpoint.subscribe(IoEvent.SEND, task);
                    return task;
                }
            }
        }
    }

    @Test
    public void anUpgradedConnectionTunnelsBytes() throws Exception {
        start();
        HttpSettings settings = new Settings(0, 0);
        HttpStreamOpener opener = new HttpStreamOpener() {
            @Override
            public boolean openStream(StreamEndpoint endpoint) {
                new EchoTunnel((HttpEndpoint) endpoint);
                return true;
            }

            @Override
            public void connectionEnded(Connection connection) {
                ended.incrementAndGet();
            }

            @Override
            public HttpSettings httpSettings() {
                return settings;
            }
        };
        Listener listener = transport.listen(new ListenerGroup("fe", ProtoMode.HTTP, 0, opener), loopback(0), null);
        Socket client = connect(listener.address());
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        out.write(ascii("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly "));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nupgrade: echo\r\nconnection: upgrade\r\n\r\n", readHead(in));
        out.write(ascii("GET / HTTP/1.1\r\n\r\n"));
        String expected = "early GET / HTTP/1.1\r\n\r\n";
        assertEquals(expected, new String(in.readNBytes(expected.length()), java.nio.charset.StandardCharsets.ISO_8859_1));
        client.shutdownOutput();
        assertEquals("", readToEnd(in));
        await("the opener is told the connection ended", () -> ended.get() == 1);
    }

    /** Answers an upgrade with 101, then echoes the tunnelled bytes until the client ends its side. */
    private final class EchoTunnel implements TaskProcess {
        private final HttpEndpoint endpoint;
        private final HttpMessage request = new HttpMessage(101);
        private final HttpMessage response = new HttpMessage(101);
        private boolean upgraded;

        EchoTunnel(HttpEndpoint endpoint) {
            this.endpoint = endpoint;
            request.attach(buffer());
            response.attach(buffer());
            scheduler.newTasklet(endpoint.connection().thread(), this, this).wakeup(TaskState.WOKEN_INIT);
        }

        @Override
        public Schedulable process(Schedulable task, Object context, int state) {
            for (;;) {
                if (!response.isEmpty()) {
                    int n = endpoint.sendMessage(response);
                    if (n < 0) {
                        endpoint.detach(false);
                        return null;
                    }
                    if (!response.isEmpty()) {
                        endpoint.subscribe(IoEvent.SEND, task);
                        return task;
                    }
                }
                if (request.isEnded()) {
                    request.reset();
                    response.reset();
                    if (!upgraded) {
                        upgraded = true;
                        response.addStatusLine(HttpMessage.HTTP_1_1, 101, "Switching Protocols");
                        response.addField(HttpMessage.HEADER, "upgrade", "echo");
                        response.addMarker(HttpMessage.END_OF_HEADERS);
                        response.setFlags(HttpMessage.F_BODYLESS);
                        response.end();
                        continue;
                    }
                }
                int n = endpoint.receiveMessage(request);
                if (!upgraded) {
                    while (request.first() >= 0) {
                        request.removeFirst();
                    }
                } else {
                    response.moveFrom(request);
                }
                if (n < 0) {
                    endpoint.shutdownWrite();
                    endpoint.detach(false);
                    return null;
                }
                if (n == 0 && response.isEmpty() && !request.isEnded()) {
                    endpoint.subscribe(IoEvent.RECV, task);
                    return task;
                }
            }
        }
    }
}
