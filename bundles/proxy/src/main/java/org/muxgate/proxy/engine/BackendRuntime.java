package org.muxgate.proxy.engine;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.proxy.config.Backend;
import org.muxgate.proxy.config.HttpReuse;
import org.muxgate.proxy.config.Mode;
import org.muxgate.proxy.config.ServerPoolSettings;
import org.muxgate.proxy.config.TimeoutKind;
import org.muxgate.proxy.lb.LoadBalancer;
import org.muxgate.proxy.lb.ServerState;
import org.muxgate.transport.OncePerSecond;
import org.muxgate.transport.ServerPool;
import org.muxgate.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend of the running configuration: its servers' live state, its load
 * balancer, its timeouts in milliseconds (0 for none), and in HTTP mode with
 * {@code http-reuse} other than {@code never} the pool of shared connections of
 * each server. Any thread: the balancer and the pools are thread-safe, the rest
 * immutable but for the log limit.
 */
final class BackendRuntime {

    /** A server's pool and the key of its connections (all alike for now: no source, SNI or PROXY header). */
    record SharedConnections(ServerPool pool, long key) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(BackendRuntime.class);

    final Backend config;
    final LoadBalancer balancer;
    final long connectTimeout;
    final long serverTimeout;
    final long tunnelTimeout;
    final long serverFinTimeout;
    /** {@code timeout queue}, else {@code timeout connect}, as in HAProxy. */
    final long queueTimeout;
    /**
     * The streams waiting for a server slot, oldest first. Any thread: a stream joins
     * it from its own thread; a slot given back on any thread wakes the oldest.
     */
    private final Queue<Task> queue = new ConcurrentLinkedQueue<>();
    private final OncePerSecond missingMuxLog = new OncePerSecond();
    /** Empty when connections are not shared; never changes after construction. */
    private final Map<ServerState, SharedConnections> shared = new IdentityHashMap<>();

    BackendRuntime(Backend config, Transport transport) {
        this.config = config;
        List<ServerState> servers = config.servers().stream().map(ServerState::new).toList();
        this.balancer = LoadBalancer.create(config.balance(), servers);
        if (config.mode() == Mode.HTTP && config.reuse() != HttpReuse.NEVER) {
            for (ServerState server : servers) {
                ServerPoolSettings settings = server.config().pool();
                ServerPool pool = transport.newServerPool(config.name() + "/" + server.name(), settings.maxConn(),
                        settings.purgeDelay().toMillis(), settings.lowConn());
                shared.put(server, new SharedConnections(pool,
                        ServerPool.keyOf(server.address(), null, null, null)));
            }
        }
        this.connectTimeout = millis(config, TimeoutKind.CONNECT);
        this.serverTimeout = millis(config, TimeoutKind.SERVER);
        this.tunnelTimeout = millis(config, TimeoutKind.TUNNEL);
        this.serverFinTimeout = millis(config, TimeoutKind.SERVER_FIN);
        long queue = millis(config, TimeoutKind.QUEUE);
        this.queueTimeout = queue > 0 ? queue : connectTimeout;
    }

    private static long millis(Backend backend, TimeoutKind kind) {
        return backend.timeouts().get(kind).map(d -> d.toMillis()).orElse(0L);
    }

    /**
     * Gives back a server slot taken by the balancer, and wakes the oldest queued
     * stream, which tries again. Any thread.
     */
    void release(ServerState server) {
        balancer.release(server);
        Task waiting = queue.poll();
        if (waiting != null) {
            waiting.wakeup(TaskState.WOKEN_RES);
        }
    }

    /**
     * Queues a stream's task until a slot is given back. Any thread. The stream then
     * checks once more for a free slot: one given back before it joined woke nobody.
     */
    void enqueue(Task stream) {
        queue.add(stream);
    }

    /** Takes a stream out of the queue, as it ends while waiting. Any thread. */
    void dequeue(Task stream) {
        queue.remove(stream);
    }

    /** @return the connections the backend's servers have now (for logs); any thread */
    int activeConnections() {
        int total = 0;
        for (ServerState server : balancer.servers()) {
            total += server.currentConnections();
        }
        return total;
    }

    /** @return the streams waiting for a server slot (for logs); any thread, O(n) */
    int queueLength() {
        return queue.size();
    }

    String name() {
        return config.name();
    }

    /** @return the shared connections of {@code server}, or null when they are private ({@code http-reuse never}) */
    SharedConnections shared(ServerState server) {
        return shared.get(server);
    }

    /** A server connection was closed because no mux could drive it. Any thread. */
    void missingMux(long now, String proto) {
        if (missingMuxLog.allow(now)) {
            LOG.warn("backend {}: no mux for mode {}{} on the server side: streams are closed until one is installed",
                    name(), config.mode().token(), proto == null ? "" : " and proto " + proto);
        }
    }
}
