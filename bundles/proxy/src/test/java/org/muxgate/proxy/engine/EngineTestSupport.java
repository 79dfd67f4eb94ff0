package org.muxgate.proxy.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.muxgate.mux.pt.PtMuxProto;
import org.muxgate.proxy.config.ConfigParser;
import org.muxgate.scheduler.core.TaskScheduler;
import org.muxgate.transport.MuxRegistry;
import org.muxgate.transport.SelectorPollers;

/**
 * A proxy engine on loopback with real backend servers: a scheduler with
 * selectors, the pt mux registered by hand, a configuration written to a file and
 * parsed. Everything is closed after each test; waits are long and never measured.
 */
public abstract class EngineTestSupport {

    static final int TIMEOUT_MS = 30_000;

    /** The worker threads of the next {@link #startProxy}; a test may change it before. */
    protected int workerThreads = 2;
    protected TaskScheduler scheduler;
    protected MuxRegistry registry;
    protected ProxyEngine engine;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /**
     * Starts a proxy on {@code cfg}; "${S1}", "${S2}"... in it stand for the given
     * servers' ports and "${FE}" for a free port, as environment variables.
     */
    protected void startProxy(String cfg, int... serverPorts) throws Exception {
        Path file = Files.createTempFile("muxgate-test", ".cfg");
        Files.writeString(file, cfg);
        closeables.add(() -> Files.deleteIfExists(file));
        Map<String, String> env = new java.util.HashMap<>();
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            env.put("FE", Integer.toString(probe.getLocalPort()));
        }
        for (int i = 0; i < serverPorts.length; i++) {
            env.put("S" + (i + 1), Integer.toString(serverPorts[i]));
        }
        scheduler = new TaskScheduler("proxy", workerThreads, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, new SelectorPollers());
        scheduler.start();
        registry = new MuxRegistry();
        registry.register(new PtMuxProto(scheduler));
        engine = new ProxyEngine(ConfigParser.parse(file, env), scheduler, registry);
        engine.start();
    }

    /** A frontend "fe" on an ephemeral port of 127.0.0.1, in tcp mode, to backend "be". */
    static String frontend(String... lines) {
        return "frontend fe\n  mode tcp\n  bind \"127.0.0.1:${FE}\"\n  default_backend be\n" + indent(lines);
    }

    static String indent(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append("  ").append(line).append('\n');
        }
        return text.toString();
    }

    /** Closes {@code resource} after the test, once the proxy is stopped. */
    protected void closeAfter(AutoCloseable resource) {
        closeables.add(resource);
    }

    protected TestServer server(TestServer.Behaviour behaviour) throws IOException {
        TestServer server = new TestServer(behaviour);
        closeables.add(server);
        return server;
    }

    protected InetSocketAddress proxyAddress() {
        return engine.addresses("fe").get(0);
    }

    protected Socket client() throws IOException {
        Socket socket = new Socket();
        closeables.add(socket);
        socket.connect(proxyAddress(), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    @After
    public void stopAll() throws Exception {
        if (engine != null) {
            engine.stop();
        }
        if (scheduler != null) {
            scheduler.stop();
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes());
        out.flush();
    }

    static String receive(Socket socket, int length) throws IOException {
        return new String(socket.getInputStream().readNBytes(length));
    }

    /** Asserts that the proxy ends the connection (end of stream or reset) before the socket timeout. */
    static void assertEnded(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            int b = in.read();
            assertEquals("expected the end of the stream", -1, b);
        } catch (SocketTimeoutException e) {
            fail("the proxy did not close the connection");
        } catch (IOException reset) {
            // Ended with a reset.
        }
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
