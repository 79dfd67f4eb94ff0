package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.muxgate.mux.h1.H1MuxProto;

/**
 * {@link EngineTestSupport} for mode http: the h1 mux registered besides pt, a
 * configuration made of a {@code defaults} section in mode http, a frontend "fe"
 * and a backend "be", and raw HTTP clients.
 */
public abstract class HttpTestSupport extends EngineTestSupport {

    private final List<Closeable> httpCloseables = new ArrayList<>();

    /** Starts the proxy on {@code cfg} with the pt and h1 muxes. */
    protected void startHttpProxy(String cfg, int... serverPorts) throws Exception {
        startProxy(cfg, serverPorts);
        // The registry is a whiteboard: a mux registered now serves every connection accepted from now on.
        registry.register(new H1MuxProto(scheduler));
    }

    /** {@code defaults} in mode http with generous timeouts, then {@code lines}. */
    static String defaults(String... lines) {
        return "defaults\n" + indent("mode http", "timeout connect 10s", "timeout client 30s", "timeout server 30s",
                "timeout http-request 30s", "timeout http-keep-alive 30s") + indent(lines);
    }

    /** A frontend "fe" on an ephemeral port of 127.0.0.1, mode http, to backend "be". */
    static String httpFrontend(String... lines) {
        return "frontend fe\n  bind \"127.0.0.1:${FE}\"\n  default_backend be\n" + indent(lines);
    }

    /** Backend "be" with server s1 on ${S1}. */
    static String httpBackend(String... lines) {
        return "backend be\n  server s1 \"127.0.0.1:${S1}\"\n" + indent(lines);
    }

    protected HttpTestBackend backend(HttpTestBackend.Responder responder) throws IOException {
        return backend(responder, 0);
    }

    /** A backend on {@code port}, or an ephemeral port for 0; closed after the test. */
    protected HttpTestBackend backend(HttpTestBackend.Responder responder, int port) throws IOException {
        HttpTestBackend backend = new HttpTestBackend(responder, port);
        httpCloseables.add(backend);
        return backend;
    }

    protected HttpTestBackend backend() throws IOException {
        return backend(HttpTestBackend.fixed(HttpTestBackend.OK));
    }

    @org.junit.After
    public void closeHttp() throws IOException {
        for (Closeable closeable : httpCloseables) {
            closeable.close();
        }
    }

    static void send(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A buffered input on a client socket, to read several responses from it. */
    static InputStream input(Socket socket) throws IOException {
        return new BufferedInputStream(socket.getInputStream());
    }

    /** Reads one response; fails if the connection ends before. */
    static HttpWire.Message response(InputStream in) throws IOException {
        return response(in, false);
    }

    static HttpWire.Message response(InputStream in, boolean headRequest) throws IOException {
        HttpWire.Message response;
        try {
            response = HttpWire.read(in, true, headRequest);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response within " + TIMEOUT_MS + " ms", e);
        }
        if (response == null) {
            fail("the connection ended without a response");
        }
        return response;
    }

    /** Asserts that nothing more comes and the connection ends (EOF or reset) before the socket timeout. */
    static void assertEndsNow(InputStream in) throws IOException {
        try {
            int b = in.read();
            assertEquals("expected the end of the connection, got more bytes", -1, b);
        } catch (SocketTimeoutException e) {
            fail("the proxy did not close the connection");
        } catch (IOException reset) {
            // Ended with a reset.
        }
    }

    /** A GET through a new connection, whose response is read. */
    protected HttpWire.Message get(String target) throws IOException {
        try (Socket socket = client()) {
            send(socket, bytes("GET " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"));
            return response(input(socket));
        }
    }
}
