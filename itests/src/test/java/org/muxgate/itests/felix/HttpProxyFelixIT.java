package org.muxgate.itests.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.muxgate.api.scheduler.Scheduler;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * HTTP traffic through Muxgate's bundles in an embedded Felix: a mode http
 * configuration, the h1 mux found through the registry's whiteboard, a raw HTTP
 * backend in the test. Then the hot-deploy path: the h1 mux bundle stopped (new
 * HTTP connections are closed without an answer) and started again (service is back).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpProxyFelixIT {

    private static final String[] MUXGATE_BUNDLES = {
        "muxgate-api",
        "muxgate-scheduler",
        "muxgate-transport",
        "muxgate-mux-pt",
        "muxgate-mux-h1",
        "muxgate-proxy",
    };

    /** Generous: the build machine has 2 cores and may be running other builds. */
    private static final int TIMEOUT_MILLIS = 60_000;

    private static final String BODY = "hello from the backend";

    @Inject
    private BundleContext context;

    @Inject
    private Scheduler scheduler;

    private LoopbackBackend backend;
    private final List<Socket> sockets = new ArrayList<>();

    /** Runs in the test driver: picks the ports and writes the configuration file. */
    @Configuration
    public Option[] configuration() throws IOException {
        return FelixRuntime.proxyTest(TIMEOUT_MILLIS, MUXGATE_BUNDLES,
                "mode http",
                "timeout connect 10s",
                "timeout client 1m",
                "timeout server 1m",
                "timeout http-request 1m",
                "timeout http-keep-alive 1m");
    }

    /** A raw HTTP/1.1 server answering every request head with BODY, keeping connections alive. */
    @Before
    public void startBackend() throws IOException {
        backend = LoopbackBackend.start(socket -> {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
            while (readHead(in) != null) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        });
    }

    @After
    public void stopBackend() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        backend.close();
    }

    /** @return the head up to its empty line, or null if the stream ended first */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private InetSocketAddress frontend() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.getInteger("itest.frontend.port"));
    }

    /** Sends a GET and reads its response: the status line and the body. */
    private static String[] get(Socket socket, InputStream in, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: itest\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(in);
        if (head == null) {
            throw new IOException("the connection ended without a response");
        }
        String statusLine = head.substring(0, head.indexOf("\r\n"));
        int length = -1;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        if (length < 0) {
            throw new IOException("no content-length in " + head);
        }
        byte[] body = in.readNBytes(length);
        return new String[] {statusLine, new String(body, StandardCharsets.ISO_8859_1)};
    }

    /** A kept-alive client that got the backend's page: retries while the proxy or its mux is not there yet. */
    private Socket servedClient() throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (true) {
            Socket socket = new Socket();
            try {
                socket.connect(frontend(), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                String[] response = get(socket, socket.getInputStream(), "/first");
                assertEquals("HTTP/1.1 200 OK", response[0]);
                assertEquals(BODY, response[1]);
                sockets.add(socket);
                return socket;
            } catch (IOException | AssertionError notYet) {
                socket.close();
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the proxy never answered through " + frontend(), notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    private static void assertEnded(InputStream in) throws IOException {
        try {
            assertEquals("expected the end of the connection", -1, in.read());
        } catch (SocketTimeoutException e) {
            fail("the connection was not closed");
        } catch (IOException reset) {
            // Closed with a reset: closed all the same.
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    @Test
    public void aGetThroughTheProxyReturnsTheBackendsBody() throws Exception {
        Socket client = servedClient();
        // The same client connection carries more requests (keep-alive).
        InputStream in = client.getInputStream();
        for (int i = 0; i < 5; i++) {
            String[] response = get(client, in, "/page" + i);
            assertEquals("HTTP/1.1 200 OK", response[0]);
            assertEquals(BODY, response[1]);
        }
    }

    @Test
    public void stoppingTheH1MuxClosesNewHttpConnectionsAndStartingItRestoresService() throws Exception {
        Socket kept = servedClient();
        Bundle h1 = bundle("org.muxgate.mux.h1");
        h1.stop();
        try {
            // Its connections are closed as the bundle stops.
            assertEnded(kept.getInputStream());
            // A new connection has no mux: it is accepted and closed without an answer.
            try (Socket refused = new Socket()) {
                refused.connect(frontend(), TIMEOUT_MILLIS);
                refused.setSoTimeout(TIMEOUT_MILLIS);
                try {
                    refused.getOutputStream().write("GET / HTTP/1.1\r\nHost: itest\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closedAlready) {
                    // The proxy may have closed it before the write.
                }
                assertEnded(refused.getInputStream());
            }
            for (String name : new String[] {"org.muxgate.transport", "org.muxgate.proxy", "org.muxgate.scheduler",
                "org.muxgate.mux.pt"}) {
                assertEquals(name + " state", Bundle.ACTIVE, bundle(name).getState());
            }
        } finally {
            h1.start();
        }
        Socket again = servedClient();
        String[] response = get(again, again.getInputStream(), "/after-restart");
        assertEquals(BODY, response[1]);
    }
}
