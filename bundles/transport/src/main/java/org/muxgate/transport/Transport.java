package org.muxgate.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.transport.tls.ClientTlsContext;
import org.muxgate.transport.tls.ServerTlsContext;

/**
 * The transport of one running configuration: listeners, connections to servers,
 * buffers and limits, on a scheduler whose worker threads poll with
 * {@link SelectorPoller}s. Plain Java: the proxy builds one with {@code new}.
 *
 * <p>Threads: {@link #listen} and {@link #stop()} from any thread; {@link #connect}
 * on a worker thread, which the connection then belongs to.
 */
public final class Transport {

    private final Scheduler scheduler;
    private final MuxRegistry registry;
    private final BufferPool buffers;
    private final ConnectionLimit globalLimit;
    private final ThreadLoads loads;
    private final IdleConnLocks idleLocks;
    /** The sockets the process may open: what the reuse of server connections must not exhaust. */
    private final long maxSockets;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<ServerPool> pools = new CopyOnWriteArrayList<>();
    /** The thread of the next listener, to spread them over the worker threads; guarded by {@code this}. */
    private int nextListenerThread;

    /**
     * @param bufsize {@code tune.bufsize}
     * @param maxconn the global {@code maxconn}, 0 for none
     */
    public Transport(Scheduler scheduler, MuxRegistry registry, int bufsize, int maxconn) {
        this.scheduler = scheduler;
        this.registry = registry;
        this.buffers = new BufferPool(bufsize, scheduler.threadCount());
        this.globalLimit = new ConnectionLimit(maxconn);
        this.loads = new ThreadLoads(scheduler.threadCount());
        this.idleLocks = new IdleConnLocks(scheduler.threadCount());
        // HAProxy's maxsock: two sockets per connection under a global maxconn, else the descriptor limit.
        this.maxSockets = maxconn > 0 ? 2L * maxconn : openFilesLimit();
    }

    /** @return the soft limit of open files from /proc/self/limits, or a large number where there is none */
    private static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE / 100 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or unreadable: no limit the proxy can see.
        }
        return Long.MAX_VALUE / 100;
    }

    /**
     * Creates the pool of shared connections of one server: see {@link ServerPool}.
     * Any thread; the pool lives until {@link #stop()}.
     */
    public ServerPool newServerPool(String server, int maxIdle, long purgeDelayMillis, int lowIdle) {
        ServerPool pool = new ServerPool(this, server, maxIdle, purgeDelayMillis, lowIdle);
        pools.add(pool);
        return pool;
    }

    /**
     * Binds {@code address} and accepts plain TCP on it for {@code group}: see
     * {@link #listen(ListenerGroup, InetSocketAddress, String, ServerTlsContext)}.
     */
    public Listener listen(ListenerGroup group, InetSocketAddress address, String proto) throws IOException {
        return listen(group, address, proto, null);
    }

    /**
     * Binds {@code address} and accepts on it for {@code group}.
     *
     * @param proto the {@code proto} of the bind line, or null
     * @param tls   the TLS of a {@code bind ... ssl} line, or null
     * @throws IOException if the address cannot be bound
     */
    public synchronized Listener listen(ListenerGroup group, InetSocketAddress address, String proto,
            ServerTlsContext tls) throws IOException {
        Listener listener = new Listener(this, group, address, proto, tls, nextListenerThread);
        nextListenerThread = (nextListenerThread + 1) % scheduler.threadCount();
        listeners.add(listener);
        return listener;
    }

    /**
     * Starts a connection to a server from the calling worker thread: see
     * {@link NioConnection#connect}.
     *
     * @throws IllegalStateException when not called on a worker thread polling with a {@link SelectorPoller}
     */
    public NioConnection connect(InetSocketAddress address) throws IOException {
        return connect(address, null);
    }

    /**
     * Starts a connection to a server from the calling worker thread, in TLS when
     * {@code tls} is not null: see {@link NioConnection#connect}.
     *
     * @throws IllegalStateException when not called on a worker thread polling with a {@link SelectorPoller}
     */
    public NioConnection connect(InetSocketAddress address, ClientTlsContext tls) throws IOException {
        SelectorPoller poller = SelectorPoller.current();
        if (poller == null) {
            throw new IllegalStateException("connect() called outside a worker thread with a selector");
        }
        return NioConnection.connect(this, poller, address, tls);
    }

    /** Stops with no grace: see {@link #stop(long)}. */
    public void stop() {
        stop(0);
    }

    /**
     * Stops the listeners, gives the client connections up to {@code graceMillis} to
     * finish their streams (HAProxy's soft stop, bounded as by {@code hard-stop-after}),
     * then closes every connection of this transport, each on its thread, and waits for
     * it unless called on a worker thread. With a grace of 0 the muxes are still told
     * first: an h2 client gets its GOAWAY.
     */
    public void stop(long graceMillis) {
        for (Listener listener : listeners) {
            listener.stop();
        }
        listeners.clear();
        registry.stopConnections(connection -> connection.transport() == this && connection.listener() != null,
                graceMillis);
        for (ServerPool pool : pools) {
            pool.stop();
        }
        pools.clear();
        registry.closeConnections(connection -> connection.transport() == this);
    }

    /** @return the scheduler whose threads run the connections */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** @return the registry choosing the muxes and tracking the connections */
    public MuxRegistry registry() {
        return registry;
    }

    /** @return the pool of {@code tune.bufsize} buffers the streams use */
    public BufferPool buffers() {
        return buffers;
    }

    /** @return the process's {@code maxconn} */
    public ConnectionLimit globalLimit() {
        return globalLimit;
    }

    ThreadLoads loads() {
        return loads;
    }

    /** @return the idle-connections locks of the worker threads, with their counts */
    public IdleConnLocks idleLocks() {
        return idleLocks;
    }

    /** @return the connections of this transport's registry open now; any thread */
    int openConnections() {
        return registry.connectionCount();
    }

    /** @return the sockets the process may have open */
    long maxSockets() {
        return maxSockets;
    }
}
