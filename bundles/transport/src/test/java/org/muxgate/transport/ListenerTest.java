package org.muxgate.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.StreamEndpoint;

/** Listeners, connections and limits, with the echo mux, on loopback. */
public class ListenerTest extends TransportTestSupport {

    private ListenerGroup group(String name, int maxconn) {
        return new ListenerGroup(name, ProtoMode.TCP, maxconn, endpoint -> false);
    }

    @Test
    public void echoesThroughSeveralBindsOfOneFrontend() throws Exception {
        start(2, 0);
        registry.register(EchoMux.proto(scheduler));
        ListenerGroup group = group("fe", 0);
        Listener first = transport.listen(group, loopback(0), null);
        Listener second = transport.listen(group, loopback(0), null);
        assertNotEquals(first.address().getPort(), second.address().getPort());
        assertEcho(connect(first.address()), "hello");
        assertEcho(connect(second.address()), "world");
    }

    @Test
    public void bindsTheWildcardAndIpv6() throws Exception {
        start(1, 0);
        registry.register(EchoMux.proto(scheduler));
        ListenerGroup group = group("fe", 0);
        Listener wildcard = transport.listen(group, new InetSocketAddress(0), null);
        assertEcho(connect(loopback(wildcard.address().getPort())), "any");
        InetAddress v6 = InetAddress.getByName("::1");
        boolean hasIpv6;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, v6)) {
            hasIpv6 = probe.getInetAddress() instanceof Inet6Address;
        } catch (IOException e) {
            hasIpv6 = false;
        }
        assumeTrue("no IPv6 loopback here", hasIpv6);
        Listener ipv6 = transport.listen(group, new InetSocketAddress(v6, 0), null);
        assertEcho(connect(ipv6.address()), "six");
    }

    /**
     * An accepted socket enters its poller only when it first waits for readiness, as
     * HAProxy polls a descriptor only once speculative I/O failed; the wait then works
     * as for any socket.
     */
    @Test
    public void anAcceptedSocketIsPolledOnlyOnceItWaits() throws Exception {
        start(1, 0);
        CompletableFuture<NioConnection> started = new CompletableFuture<>();
        registry.register(tcpFrontendProto("idle", connection -> {
            started.complete((NioConnection) connection);
            return new Mux() {
                @Override
                public StreamEndpoint attach() {
                    return null;
                }

                @Override
                public void connectionClosed() {
                }

                @Override
                public int streams() {
                    return 0;
                }
            };
        }));
        Listener listener = transport.listen(group("fe", 0), loopback(0), null);
        Socket client = connect(listener.address());
        NioConnection connection = started.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        CompletableFuture<Boolean> polledBeforeWaiting = new CompletableFuture<>();
        CompletableFuture<Integer> readAfterWaiting = new CompletableFuture<>();
        ByteBuffer received = ByteBuffer.allocate(1);
        scheduler.newTasklet(connection.thread(), (task, context, state) -> {
            if (!polledBeforeWaiting.isDone()) {
                polledBeforeWaiting.complete(connection.isPolled());
                connection.subscribe(IoEvent.RECV, task);
                return task;
            }
            int n = connection.read(received);
            if (n == 0) {
                connection.subscribe(IoEvent.RECV, task);
                return task;
            }
            readAfterWaiting.complete(connection.isPolled() ? n : -2);
            connection.close();
            return null;
        }, null).wakeup(TaskState.WOKEN_INIT);
        assertEquals(false, polledBeforeWaiting.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        client.getOutputStream().write('x');
        assertEquals(1, (int) readAfterWaiting.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertClosedByPeer(client);
    }

    @Test
    public void spreadsConnectionsOverThreadsFewestFirst() throws Exception {
        start(2, 0);
        registry.register(EchoMux.proto(scheduler));
        Listener listener = transport.listen(group("fe", 0), loopback(0), null);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Socket socket = connect(listener.address());
            assertEcho(socket, "x" + i);
            sockets.add(socket);
        }
        assertEquals(3, transport.loads().get(0));
        assertEquals(3, transport.loads().get(1));
        for (Socket socket : sockets) {
            socket.close();
        }
        await("the connections are released", () -> transport.loads().get(0) + transport.loads().get(1) == 0);
    }

    @Test
    public void frontendMaxconnPausesAcceptingAndResumesBelowIt() throws Exception {
        start(2, 0);
        pausesAndResumes(group("fe", 2));
    }

    @Test
    public void globalMaxconnPausesAcceptingAndResumesBelowIt() throws Exception {
        start(2, 2);
        pausesAndResumes(group("fe", 0));
    }

    private void pausesAndResumes(ListenerGroup group) throws Exception {
        registry.register(EchoMux.proto(scheduler));
        Listener listener = transport.listen(group, loopback(0), null);
        Socket first = connect(listener.address());
        assertEcho(first, "one");
        assertEcho(connect(listener.address()), "two");
        // The kernel completes the third handshake in the backlog; the listener does not accept it.
        Socket third = connect(listener.address());
        third.getOutputStream().write("three".getBytes());
        await("the listener pauses", listener::isPaused);
        assertEquals(2, registry.connectionCount());
        first.close();
        byte[] echoed = third.getInputStream().readNBytes(5);
        assertEquals("three", new String(echoed));
        assertTrue(registry.connectionCount() <= 2);
    }

    @Test
    public void missingMuxClosesNewConnectionsUntilOneIsRegistered() throws Exception {
        start(1, 0);
        Listener listener = transport.listen(group("fe", 0), loopback(0), null);
        for (int i = 0; i < 3; i++) {
            assertClosedByPeer(connect(listener.address()));
        }
        await("closed connections are released", () -> registry.connectionCount() == 0
                && transport.globalLimit().current() == 0);
        registry.register(EchoMux.proto(scheduler));
        assertEcho(connect(listener.address()), "back");
    }

    @Test
    public void explicitProtoThatIsMissingClosesConnections() throws Exception {
        start(1, 0);
        registry.register(EchoMux.proto(scheduler));
        Listener listener = transport.listen(group("fe", 0), loopback(0), "h2");
        assertClosedByPeer(connect(listener.address()));
    }

    @Test
    public void unregisteringAMuxClosesItsConnectionsAndWaits() throws Exception {
        start(2, 0);
        var proto = EchoMux.proto(scheduler);
        registry.register(proto);
        Listener listener = transport.listen(group("fe", 0), loopback(0), null);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket socket = connect(listener.address());
            assertEcho(socket, "s" + i);
            sockets.add(socket);
        }
        registry.unregister(proto);
        assertEquals("unregister returns once the connections are closed", 0, registry.connectionCount());
        for (Socket socket : sockets) {
            assertClosedByPeer(socket);
        }
        assertEquals(0, transport.globalLimit().current());
        registry.register(proto);
        assertEcho(connect(listener.address()), "again");
    }

    @Test
    public void stoppingTheTransportReleasesThePort() throws Exception {
        start(1, 0);
        registry.register(EchoMux.proto(scheduler));
        Listener listener = transport.listen(group("fe", 0), loopback(0), null);
        Socket client = connect(listener.address());
        assertEcho(client, "bye");
        transport.stop();
        assertClosedByPeer(client);
        assertEquals(0, registry.connectionCount());
        Transport again = new Transport(scheduler, registry, BufferPool.DEFAULT_SIZE, 0);
        Listener rebound = again.listen(group("fe", 0), listener.address(), null);
        assertEcho(connect(rebound.address()), "hi");
        again.stop();
    }
}
