package org.muxgate.mux.pt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.api.transport.StreamEndpoint;
import org.muxgate.scheduler.core.TaskScheduler;
import org.muxgate.transport.MuxRegistry;
import org.muxgate.transport.NioConnection;
import org.muxgate.transport.SelectorPollers;
import org.muxgate.transport.Transport;

/**
 * The pt mux on a real backend connection (seed 004): a stream detaching from a
 * kept connection leaves the mux draining it, until the server closes it.
 */
public class PtMuxIdleTest {

    private static final int TIMEOUT_MS = 20_000;

    private TaskScheduler scheduler;
    private final MuxRegistry registry = new MuxRegistry();
    private Transport transport;
    private ServerSocket server;

    @Before
    public void start() throws Exception {
        scheduler = new TaskScheduler("pt", 1, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, new SelectorPollers());
        scheduler.start();
        registry.register(new PtMuxProto(scheduler));
        transport = new Transport(scheduler, registry, 16384, 0);
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @After
    public void stop() throws Exception {
        transport.stop();
        scheduler.stop();
        server.close();
    }

    /** Runs {@code action} on the worker thread and returns its result. */
    private <T> T onWorker(Function<Object, T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.newTasklet(0, (task, context, state) -> {
            try {
                result.complete(action.apply(null));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
            return null;
        }, null).wakeup(TaskState.WOKEN_INIT);
        return result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Connects to the server from the worker thread, waits for the connect, attaches a stream. */
    private StreamEndpoint connectedEndpoint() throws Exception {
        NioConnection connection = onWorker(x -> {
            try {
                return transport.connect((java.net.InetSocketAddress) server.getLocalSocketAddress());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (onWorker(x -> connection.isConnecting())) {
            assertTrue("connect did not complete", System.nanoTime() < deadline);
            Thread.sleep(5);
        }
        return onWorker(x -> {
            Mux mux = registry.install(connection, null, ProtoMode.TCP, ProtoSide.BACKEND, null);
            return mux.attach();
        });
    }

    @Test
    public void anIdleConnectionDrainsDataAndClosesWhenTheServerDoes() throws Exception {
        StreamEndpoint endpoint = connectedEndpoint();
        assertNotNull(endpoint);
        try (Socket accepted = server.accept()) {
            onWorker(x -> {
                endpoint.detach(true);
                return null;
            });
            assertEquals(0, (int) onWorker(x -> endpoint.connection().mux().streams()));
            accepted.getOutputStream().write("unexpected".getBytes());
            accepted.getOutputStream().flush();
            // Drained, not closed: the connection stays while the server keeps it open.
            Thread.sleep(100);
            assertFalse(onWorker(x -> endpoint.connection().isClosed()));
            assertEquals(1, registry.connectionCount());
            accepted.shutdownOutput();
            long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
            while (registry.connectionCount() != 0) {
                assertTrue("the idle connection was not closed", System.nanoTime() < deadline);
                Thread.sleep(5);
            }
            accepted.setSoTimeout(TIMEOUT_MS);
            assertEquals(-1, accepted.getInputStream().read());
        }
    }

    @Test
    public void aStreamAttachedAgainGetsTheBytesAndTheIdleTaskletStops() throws Exception {
        StreamEndpoint endpoint = connectedEndpoint();
        try (Socket accepted = server.accept()) {
            Mux mux = onWorker(x -> {
                endpoint.detach(true);
                return endpoint.connection().mux();
            });
            StreamEndpoint again = onWorker(x -> mux.attach());
            assertNotNull(again);
            assertEquals(1, (int) onWorker(x -> mux.streams()));
            accepted.getOutputStream().write("kept".getBytes());
            java.nio.ByteBuffer into = java.nio.ByteBuffer.allocate(16);
            long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
            while (into.position() < 4) {
                assertTrue("no data reached the attached stream", System.nanoTime() < deadline);
                onWorker(x -> again.receive(into));
                Thread.sleep(5);
            }
            assertEquals("kept", new String(into.array(), 0, 4));
        }
    }

    @Test
    public void detachingWithoutKeepingClosesAtOnce() throws Exception {
        StreamEndpoint endpoint = connectedEndpoint();
        try (Socket accepted = server.accept()) {
            onWorker(x -> {
                endpoint.unsubscribe(IoEvent.RECV, null);
                endpoint.detach(false);
                return null;
            });
            assertEquals(0, registry.connectionCount());
            accepted.setSoTimeout(TIMEOUT_MS);
            // Nothing was written to the server that it did not answer: the close is a reset.
            try {
                int read = accepted.getInputStream().read();
                fail("an orderly close: read " + read);
            } catch (java.net.SocketException e) {
                assertEquals("Connection reset", e.getMessage());
            }
        }
    }
}
