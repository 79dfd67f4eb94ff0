package org.muxgate.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.transport.IoEvent;

/** Outgoing connections: non-blocking connect, its completion and its failure, then I/O. */
public class ConnectTest extends TransportTestSupport {

    /** Connects from worker thread 0 and reports the connection once the connect has settled. */
    private CompletableFuture<NioConnection> connectFromWorker(java.net.InetSocketAddress address) {
        CompletableFuture<NioConnection> settled = new CompletableFuture<>();
        scheduler.newTasklet(0, new org.muxgate.api.scheduler.TaskProcess() {
            private NioConnection connection;

            @Override
            public Schedulable process(Schedulable task, Object context, int state) {
                try {
                    if (connection == null) {
                        connection = transport.connect(address);
                    }
                } catch (java.io.IOException e) {
                    settled.completeExceptionally(e);
                    return null;
                }
                if (connection.isConnecting() && !connection.isError()) {
                    connection.subscribe(IoEvent.SEND, task);
                    return task;
                }
                settled.complete(connection);
                return null;
            }
        }, null).wakeup(TaskState.WOKEN_INIT);
        return settled;
    }

    @Test
    public void connectsWithoutBlockingAndWrites() throws Exception {
        start(1, 0);
        try (ServerSocket server = new ServerSocket(0, 1, loopback(0).getAddress())) {
            NioConnection connection = connectFromWorker(loopback(server.getLocalPort())).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertFalse(connection.isError());
            try (Socket accepted = server.accept()) {
                CompletableFuture<Integer> written = new CompletableFuture<>();
                scheduler.newTasklet(0, (t, c, s) -> {
                    written.complete(connection.write(ByteBuffer.wrap("ping".getBytes())));
                    connection.close();
                    return null;
                }, null).wakeup(TaskState.WOKEN_INIT);
                assertEquals(4, (int) written.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
                accepted.setSoTimeout(TIMEOUT_MS);
                assertEquals("ping", new String(accepted.getInputStream().readNBytes(4)));
            }
        }
        await("the connection leaves the registry", () -> registry.connectionCount() == 0);
    }

    /**
     * A gathering write larger than the socket takes at once: the connection goes on
     * from where it stopped, in the same two buffers, and the peer reads them joined.
     */
    @Test
    public void aGatheringWriteContinuesWhereTheSocketStopped() throws Exception {
        start(1, 0);
        byte[] first = pattern(6 << 20, 7);
        byte[] second = pattern(4 << 20, 13);
        try (ServerSocket server = new ServerSocket(0, 1, loopback(0).getAddress())) {
            NioConnection connection = connectFromWorker(loopback(server.getLocalPort())).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            try (Socket accepted = server.accept()) {
                ByteBuffer a = ByteBuffer.wrap(first);
                ByteBuffer b = ByteBuffer.wrap(second);
                CompletableFuture<Integer> firstWrite = new CompletableFuture<>();
                CompletableFuture<Long> written = new CompletableFuture<>();
                long[] total = {0};
                scheduler.newTasklet(0, (task, context, state) -> {
                    int n = connection.write(a, b);
                    firstWrite.complete(n);
                    if (n < 0) {
                        written.completeExceptionally(new AssertionError("the write failed"));
                        return null;
                    }
                    total[0] += n;
                    if (b.hasRemaining()) {
                        connection.subscribe(IoEvent.SEND, task);
                        return task;
                    }
                    connection.close();
                    written.complete(total[0]);
                    return null;
                }, null).wakeup(TaskState.WOKEN_INIT);
                // The peer reads only after the first write: the socket buffers cannot take 10 MiB.
                int taken = firstWrite.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                assertTrue("the first write took " + taken, taken > 0 && taken < first.length + second.length);
                accepted.setSoTimeout(TIMEOUT_MS);
                byte[] received = accepted.getInputStream().readNBytes(first.length + second.length);
                assertEquals(first.length + second.length, (long) written.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
                assertTrue(java.util.Arrays.equals(first, java.util.Arrays.copyOfRange(received, 0, first.length)));
                assertTrue(java.util.Arrays.equals(second,
                        java.util.Arrays.copyOfRange(received, first.length, received.length)));
            }
        }
        await("the connection leaves the registry", () -> registry.connectionCount() == 0);
    }

    /**
     * A server that answered all we wrote is owed nothing: our close resets the
     * connection rather than leave it in TIME_WAIT (connectsWithoutBlockingAndWrites
     * is the other side: bytes not answered yet are delivered before an orderly close).
     */
    @Test
    public void aServerConnectionClosedAfterTheAnswerIsReset() throws Exception {
        start(1, 0);
        try (ServerSocket server = new ServerSocket(0, 1, loopback(0).getAddress())) {
            NioConnection connection = connectFromWorker(loopback(server.getLocalPort())).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(TIMEOUT_MS);
                CompletableFuture<String> answer = new CompletableFuture<>();
                ByteBuffer request = ByteBuffer.wrap("ping".getBytes());
                ByteBuffer received = ByteBuffer.allocate(4);
                scheduler.newTasklet(0, (task, context, state) -> {
                    if (request.hasRemaining()) {
                        connection.write(request);
                    }
                    if (connection.read(received) < 0) {
                        answer.completeExceptionally(new AssertionError("the server closed"));
                        return null;
                    }
                    if (received.hasRemaining()) {
                        connection.subscribe(IoEvent.RECV, task);
                        return task;
                    }
                    connection.close();
                    answer.complete(new String(received.array()));
                    return null;
                }, null).wakeup(TaskState.WOKEN_INIT);
                assertEquals("ping", new String(accepted.getInputStream().readNBytes(4)));
                accepted.getOutputStream().write("pong".getBytes());
                assertEquals("pong", answer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
                assertResetByPeer(accepted);
            }
        }
        await("the connection leaves the registry", () -> registry.connectionCount() == 0);
    }

    private static byte[] pattern(int length, int step) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * step);
        }
        return bytes;
    }

    @Test
    public void aRefusedConnectSetsTheErrorFlag() throws Exception {
        start(1, 0);
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, loopback(0).getAddress())) {
            closedPort = probe.getLocalPort();
        }
        CompletableFuture<NioConnection> settled = connectFromWorker(loopback(closedPort));
        NioConnection connection;
        try {
            connection = settled.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException refusedAtOnce) {
            return;
        }
        assertTrue(connection.isError());
        assertEquals(-1, connection.write(ByteBuffer.allocate(1)));
    }
}
