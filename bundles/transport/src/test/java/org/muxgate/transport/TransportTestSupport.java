package org.muxgate.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.junit.After;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.api.transport.StreamOpener;
import org.muxgate.scheduler.core.TaskScheduler;

/**
 * Real sockets on 127.0.0.1: a scheduler polling with selectors, a transport on it,
 * clients closed and everything stopped after each test. Waits are generous and
 * never measure time.
 */
public abstract class TransportTestSupport {

    static final int TIMEOUT_MS = 20_000;

    protected TaskScheduler scheduler;
    protected MuxRegistry registry = new MuxRegistry();
    protected Transport transport;
    private final List<Socket> clients = new ArrayList<>();

    protected void start(int threads, int maxconn) {
        scheduler = new TaskScheduler("test", threads, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false,
                new SelectorPollers());
        scheduler.start();
        transport = new Transport(scheduler, registry, BufferPool.DEFAULT_SIZE, maxconn);
    }

    @After
    public void stopAll() throws IOException {
        for (Socket socket : clients) {
            socket.close();
        }
        if (transport != null) {
            transport.stop();
        }
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    protected Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        clients.add(socket);
        socket.connect(address, TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    static void assertEcho(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes());
        out.flush();
        byte[] got = socket.getInputStream().readNBytes(text.length());
        assertEquals(text, new String(got));
    }

    /** Asserts that the peer closed the socket: read ends (or is reset) within the timeout. */
    static void assertClosedByPeer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertEquals(-1, in.read());
        } catch (SocketTimeoutException e) {
            fail("the connection was not closed");
        } catch (IOException reset) {
            // Closed with a reset: closed all the same.
        }
    }

    /** Asserts that the peer reset the connection, rather than closing it in order. */
    static void assertResetByPeer(Socket socket) throws IOException {
        try {
            int read = socket.getInputStream().read();
            fail("an orderly close: read " + read);
        } catch (SocketException e) {
            assertEquals("Connection reset", e.getMessage());
        }
    }

    /** A frontend protocol of mode tcp, token {@code token}, whose muxes {@code create} makes. */
    static MuxProto tcpFrontendProto(String token, Function<Connection, Mux> create) {
        return new MuxProto() {
            @Override
            public String token() {
                return token;
            }

            @Override
            public ProtoMode mode() {
                return ProtoMode.TCP;
            }

            @Override
            public ProtoSide side() {
                return ProtoSide.FRONTEND;
            }

            @Override
            public Mux create(Connection connection, StreamOpener opener) {
                return create.apply(connection);
            }
        };
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
