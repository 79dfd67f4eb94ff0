package org.muxgate.transport;

import static java.nio.channels.SelectionKey.OP_ACCEPT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;
import static org.muxgate.api.scheduler.TaskState.WOKEN_RES;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.Tasklet;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.transport.tls.ServerTlsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of a frontend ({@code bind ADDR:PORT}). Its accept loop
 * runs on one worker thread, without blocking; each accepted connection is given
 * to the thread holding the fewest, whose own tasklet registers it there.
 *
 * <p>Limits: before each accept the listener takes a slot of its frontend's and
 * of the global {@code maxconn}. With none left it pauses (no OP_ACCEPT interest)
 * until a connection ending wakes it ({@link ConnectionLimit#release()}).
 *
 * <p>Threads: the accept loop, pausing and resuming run on the listener's thread,
 * in its tasklet or its key's handler; {@link #stop()} and {@link #wakeToResume()}
 * may be called from any thread.
 */
public final class Listener implements IoHandler, TaskProcess {

    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    /** Connections accepted per readiness before other work runs. */
    private static final int ACCEPT_BATCH = 64;

    private final Transport transport;
    private final ListenerGroup group;
    private final ServerSocketChannel server;
    private final InetSocketAddress address;
    private final String proto;
    /** The TLS of a {@code bind ... ssl} line, or null. */
    private final ServerTlsContext tls;
    private final Tasklet tasklet;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private SelectionKey key;
    private volatile boolean paused;
    private volatile boolean stopping;

    /** Binds now, so that an address in use fails here; accepts once its thread runs it. */
    Listener(Transport transport, ListenerGroup group, InetSocketAddress address, String proto,
            ServerTlsContext tls, int thread) throws IOException {
        this.transport = transport;
        this.group = group;
        this.proto = proto;
        this.tls = tls;
        // The address's own family, as HAProxy binds: an IPv4 address (the wildcard too)
        // listens on IPv4 only, and its sockets take no IPv6 mapping.
        this.server = ServerSocketChannel.open(address.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            server.configureBlocking(false);
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, 1024);
            this.address = (InetSocketAddress) server.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            SelectorPoller.closeQuietly(server);
            throw e;
        }
        this.tasklet = transport.scheduler().newTasklet(thread, this, this);
        group.limit().add(this);
        transport.globalLimit().add(this);
        tasklet.wakeup(WOKEN_MSG);
    }

    /** @return the address bound, with the port chosen by the system for port 0 */
    public InetSocketAddress address() {
        return address;
    }

    /** @return the frontend the listener accepts for */
    public ListenerGroup group() {
        return group;
    }

    /** The listener's tasklet: registers the socket, resumes after a pause, or stops. */
    @Override
    public Schedulable process(Schedulable task, Object context, int state) {
        if (stopping) {
            closeOnThread();
            return null;
        }
        if (key == null) {
            try {
                key = SelectorPoller.current().register(server, this, OP_ACCEPT);
            } catch (IOException | RuntimeException e) {
                LOG.error("frontend {}: cannot poll {}", group.name(), address, e);
                closeOnThread();
                return null;
            }
        } else if (paused && hasRoom()) {
            resume();
        }
        return task;
    }

    @Override
    public void ready(int pollerThread, int readyOps) {
        for (int i = 0; i < ACCEPT_BATCH && !paused; i++) {
            if (!group.limit().tryAcquire()) {
                pause();
                return;
            }
            if (!transport.globalLimit().tryAcquire()) {
                group.limit().release();
                pause();
                return;
            }
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                releaseSlots();
                // Out of descriptors, most likely: the next readiness retries.
                LOG.warn("frontend {}: accept on {} failed: {}", group.name(), address, e.toString());
                return;
            }
            if (channel == null) {
                releaseSlots();
                return;
            }
            hand(channel);
        }
    }

    private void hand(SocketChannel channel) {
        int thread = transport.loads().takeLeastLoaded();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
            new NioConnection(transport, channel, thread, peer, this, tls == null ? null : tls.newEngine())
                    .startOnItsThread();
        } catch (IOException | RuntimeException e) {
            // The client left already: nothing to keep.
            SelectorPoller.closeQuietly(channel);
            transport.loads().release(thread);
            releaseSlots();
        }
    }

    private void releaseSlots() {
        transport.globalLimit().release();
        group.limit().release();
    }

    /**
     * On the connection's thread, once it is registered there and past its TLS
     * handshake: installs the frontend's mux, chosen by {@code proto}, ALPN and the
     * mode, or closes the connection at once if none is available.
     */
    void connectionStarted(NioConnection connection) {
        if (stopping) {
            connection.close();
            return;
        }
        if (transport.registry().install(connection, proto, group.mode(), ProtoSide.FRONTEND, group.opener()) == null) {
            group.missingMux(transport.scheduler().now(), proto);
            connection.close();
        }
    }

    /** Any thread, as an accepted connection closes: gives back its slots and its thread's count. */
    void connectionEnded(NioConnection connection) {
        transport.loads().release(connection.thread());
        releaseSlots();
    }

    private boolean hasRoom() {
        return group.limit().hasRoom() && transport.globalLimit().hasRoom();
    }

    private void pause() {
        paused = true;
        key.interestOps(0);
        // A connection that ended before "paused" was visible did not wake us: check again.
        if (hasRoom()) {
            resume();
        }
    }

    private void resume() {
        paused = false;
        if (key.isValid()) {
            key.interestOps(OP_ACCEPT);
        }
    }

    /** Any thread: whether accepting is paused by a limit. */
    boolean isPaused() {
        return paused;
    }

    /** Any thread: has the listener check its limits again, on its thread. */
    void wakeToResume() {
        tasklet.wakeup(WOKEN_RES);
    }

    /**
     * Any thread: stops accepting and closes the socket on the listener's thread.
     * Waits for it unless called on a worker thread.
     */
    public void stop() {
        stopping = true;
        tasklet.wakeup(WOKEN_MSG);
        if (SelectorPoller.current() == null) {
            try {
                if (!stopped.await(10, TimeUnit.SECONDS)) {
                    LOG.warn("frontend {}: listener {} did not stop within 10 s", group.name(), address);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeOnThread() {
        group.limit().remove(this);
        transport.globalLimit().remove(this);
        if (key != null) {
            key.cancel();
        }
        SelectorPoller.closeQuietly(server);
        // The descriptor is released when the selector drops the cancelled key, at its next select.
        stopped.countDown();
    }

    @Override
    public String toString() {
        return "listener " + address + " of frontend " + group.name();
    }
}
