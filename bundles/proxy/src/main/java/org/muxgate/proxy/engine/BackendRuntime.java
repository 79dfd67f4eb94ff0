package org.muxgate.proxy.engine;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.muxgate.proxy.config.Backend;
import org.muxgate.proxy.config.HttpReuse;
import org.muxgate.proxy.config.Mode;
import org.muxgate.proxy.config.ServerCheck;
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
    /** {@code timeout check}, 0 when unset. */
    final long checkTimeout;
    /** {@code timeout queue}, else {@code timeout connect}, as in HAProxy. */
    final long queueTimeout;
    private final OncePerSecond missingMuxLog = new OncePerSecond();
    /** Empty when connections are not shared; never changes after construction. */
    private final Map<ServerState, SharedConnections> shared = new IdentityHashMap<>();
    /** The health checks of the servers with {@code check}; filled by {@link #startChecks}, before any traffic. */
    private final Map<ServerState, HealthCheck> checks = new IdentityHashMap<>();
    /**
     * The sessions of the servers that may have them shut down: with {@code on-marked-down
     * shutdown-sessions}, and the backups when a server has {@code on-marked-up
     * shutdown-backup-sessions}. Never changes after construction.
     */
    private final Map<ServerState, ServerSessions> sessions = new IdentityHashMap<>();

    BackendRuntime(Backend config, Transport transport) {
        this.config = config;
        List<ServerState> servers = config.servers().stream().map(ServerState::new).toList();
        this.balancer = LoadBalancer.create(config.balance(), servers);
        boolean backupsShutDown = servers.stream().anyMatch(s -> s.config().limits().shutdownBackupsOnUp());
        for (ServerState server : servers) {
            if (server.config().limits().shutdownOnDown() || (server.isBackup() && backupsShutDown)) {
                sessions.put(server, new ServerSessions(transport.scheduler()));
            }
        }
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
        this.checkTimeout = millis(config, TimeoutKind.CHECK);
        long queue = millis(config, TimeoutKind.QUEUE);
        this.queueTimeout = queue > 0 ? queue : connectTimeout;
    }

    private static long millis(Backend backend, TimeoutKind kind) {
        return backend.timeouts().get(kind).map(d -> d.toMillis()).orElse(0L);
    }

    /** @return the connections the backend's servers have now (for logs); any thread */
    int activeConnections() {
        int total = 0;
        for (ServerState server : balancer.servers()) {
            total += server.currentConnections();
        }
        return total;
    }

    /** @return the streams waiting for a server slot (for logs); any thread */
    int queueLength() {
        return balancer.queued();
    }

    /** @return the sessions of {@code server} if they may be shut down, else null; any thread */
    ServerSessions sessions(ServerState server) {
        return sessions.isEmpty() ? null : sessions.get(server);
    }

    /**
     * A health check marks {@code server} up or down; its thread. The balancer
     * redistributes the server's queue (down) or gives it queued requests (up), and
     * the server's {@code on-marked-down} or {@code on-marked-up} action runs.
     *
     * @return the requests taken out of the server's queue to pick again
     */
    int mark(ServerState server, boolean up, long now) {
        server.setUp(up, now);
        int requeued = balancer.stateChanged(server, now);
        if (!up && server.config().limits().shutdownOnDown()) {
            sessions.get(server).shutdown();
        }
        if (up && server.config().limits().shutdownBackupsOnUp() && !server.isBackup()) {
            for (ServerState other : balancer.servers()) {
                ServerSessions backup = other.isBackup() ? sessions.get(other) : null;
                if (backup != null) {
                    backup.shutdown();
                }
            }
        }
        return requeued;
    }

    String name() {
        return config.name();
    }

    /** @return the shared connections of {@code server}, or null when they are private ({@code http-reuse never}) */
    SharedConnections shared(ServerState server) {
        return shared.get(server);
    }

    /**
     * Creates and arms the health checks of the servers with {@code check}, each on a
     * thread of its own in turn, the first checks spread over each server's
     * {@code inter}. Called once by the engine as it starts, before any traffic.
     *
     * @param firstThread the thread of the first check: the engine spreads checks
     *                    of every backend over the threads
     * @return the thread the next backend's first check goes to
     */
    int startChecks(Transport transport, int firstThread) {
        List<ServerState> checked = balancer.servers().stream().filter(s -> s.config().check().enabled()).toList();
        int threads = transport.scheduler().threadCount();
        int thread = firstThread;
        long now = transport.scheduler().now();
        for (int i = 0; i < checked.size(); i++) {
            ServerState server = checked.get(i);
            long inter = server.config().check().inter().toMillis();
            HealthCheck check = new HealthCheck(this, server, transport, thread,
                    now + inter * i / checked.size());
            checks.put(server, check);
            thread = (thread + 1) % threads;
        }
        checks.values().forEach(HealthCheck::start);
        return thread;
    }

    /** Stops the health checks and the session shutdowns; any thread. */
    void stopChecks() {
        checks.values().forEach(HealthCheck::stop);
        sessions.values().forEach(ServerSessions::stop);
    }

    /**
     * A connection attempt to {@code server} succeeded or failed. A failure counts
     * for {@code observe layer4} and {@code layer7}; a success clears the count of
     * {@code layer4} only, since under {@code layer7} only a good response does (as
     * HAProxy's table of analyzed statuses). Any worker thread, no lock.
     */
    void observeConnect(ServerState server, boolean failed) {
        HealthCheck check = checks.isEmpty() ? null : checks.get(server);
        ServerCheck.Observe observe = server.config().check().observe();
        if (check != null && (failed ? observe != ServerCheck.Observe.NONE : observe == ServerCheck.Observe.LAYER4)) {
            check.observe(failed);
        }
    }

    /**
     * A response from {@code server} (its status), or 502 or 504 for an invalid or
     * missing one: counted by {@code observe layer7}, where as in HAProxy a 5xx but
     * 501 and 505 is an error. Any worker thread, no lock.
     */
    void observeResponse(ServerState server, int status) {
        HealthCheck check = checks.isEmpty() ? null : checks.get(server);
        if (check != null && server.config().check().observe() == ServerCheck.Observe.LAYER7) {
            check.observe(status >= 500 && status != 501 && status != 505);
        }
    }

    /** A server connection was closed because no mux could drive it. Any thread. */
    void missingMux(long now, String proto) {
        if (missingMuxLog.allow(now)) {
            LOG.warn("backend {}: no mux for mode {}{} on the server side: streams are closed until one is installed",
                    name(), config.mode().token(), proto == null ? "" : " and proto " + proto);
        }
    }
}
