package org.muxgate.itests.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

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
 * TCP traffic through Muxgate's bundles in an embedded Felix: the proxy component
 * reads a haproxy.cfg named by the framework property, the transport's selectors
 * drive the scheduler, the pt mux is found through the registry's whiteboard. Then
 * the hot-deploy path: the pt mux bundle stopped under live connections, and
 * started again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TcpProxyFelixIT {

    private static final String[] MUXGATE_BUNDLES = {
        "muxgate-api",
        "muxgate-scheduler",
        "muxgate-transport",
        "muxgate-mux-pt",
        "muxgate-proxy",
    };

    /** Generous: the build machine has 2 cores and may be running other builds. */
    private static final int TIMEOUT_MILLIS = 60_000;

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
                "mode tcp",
                "timeout connect 10s",
                "timeout client 1m",
                "timeout server 1m");
    }

    /** An echo server, one thread per connection, as the backend's only server. */
    @Before
    public void startBackend() throws IOException {
        backend = LoopbackBackend.start(socket -> socket.getInputStream().transferTo(socket.getOutputStream()));
    }

    @After
    public void stopBackend() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        backend.close();
    }

    private InetSocketAddress frontend() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.getInteger("itest.frontend.port"));
    }

    /** A client that got its echo: retries while the proxy is still starting or its mux is not there yet. */
    private Socket echoingClient() throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (true) {
            Socket socket = new Socket();
            try {
                socket.connect(frontend(), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                assertEcho(socket, "hello");
                sockets.add(socket);
                return socket;
            } catch (IOException | AssertionError notYet) {
                socket.close();
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the proxy never echoed through " + frontend(), notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    private static void assertEcho(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes());
        out.flush();
        byte[] got = socket.getInputStream().readNBytes(text.length());
        assertEquals(text, new String(got));
    }

    private static void assertEnded(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertEquals(-1, in.read());
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
    public void tcpTrafficFlowsThroughTheBundles() throws Exception {
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(echoingClient());
        }
        for (int round = 0; round < 10; round++) {
            for (Socket client : clients) {
                assertEcho(client, "round " + round);
            }
        }
    }

    @Test
    public void stoppingThePtMuxClosesItsConnectionsAndStartingItRestoresService() throws Exception {
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(echoingClient());
        }
        Bundle pt = bundle("org.muxgate.mux.pt");
        pt.stop();
        try {
            for (Socket client : clients) {
                assertEnded(client);
            }
            // A new connection has no mux: it is accepted and closed at once.
            try (Socket refused = new Socket()) {
                refused.connect(frontend(), TIMEOUT_MILLIS);
                refused.setSoTimeout(TIMEOUT_MILLIS);
                try {
                    refused.getOutputStream().write("x".getBytes());
                } catch (IOException closedAlready) {
                    // The proxy may have closed it before the write.
                }
                assertEnded(refused);
            }
            for (String name : new String[] {"org.muxgate.transport", "org.muxgate.proxy", "org.muxgate.scheduler"}) {
                assertEquals(name + " state", Bundle.ACTIVE, bundle(name).getState());
            }
            assertNotNull(context.getServiceReference(Scheduler.class));
        } finally {
            pt.start();
        }
        Socket again = echoingClient();
        assertEcho(again, "after restart");
    }

}
