package org.muxgate.proxy.engine;

import static org.muxgate.api.scheduler.TaskState.WOKEN_RES;

import java.io.IOException;

import org.muxgate.api.scheduler.Task;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.proxy.lb.ServerState;
import org.muxgate.proxy.lb.Waiter;
import org.muxgate.transport.NioConnection;
import org.muxgate.transport.ServerPool;
import org.muxgate.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a stream a connection to a server of its backend, by HAProxy's rules: pick
 * a server with the backend's balancer, or wait in a queue while the servers are at
 * their {@code maxconn} (at most {@code timeout queue}, else {@code timeout connect}):
 * the balancer hands a freed slot to the oldest request waiting; connect, each attempt
 * bounded by {@code timeout
 * connect}, retrying {@code retries} times: on the same server, after a turn-around
 * of min(timeout connect, 1 s) when it refused; with {@code option redispatch}, the
 * last retry goes to another server instead. TCP and HTTP streams both use it.
 *
 * <p>Reuse, by the backend's {@code http-reuse} (HAProxy's table): a stream
 * first takes the server connection its client's session kept ({@code never}),
 * else a multiplexed one of its thread with a free stream ({@link
 * ServerPool#takeAvailable}, any mode but {@code never}), else an idle one of the
 * server's pool ({@link ServerPool#take}): for the first
 * request of a client connection, none with {@code safe}, only those the server
 * kept alive once already with {@code aggressive}, any with {@code always}; for
 * later requests any. A new connection to a server whose connections are shared
 * joins the pool.
 *
 * <p>The server slot taken by the balancer is held until {@link #release()}, which
 * the stream calls as it ends. Meanwhile the connector is listed among its server's
 * sessions, for {@code on-marked-down shutdown-sessions} ({@link ServerSessions}).
 *
 * <p>Threads: owned by one stream, on its thread; the stream's task is woken by the
 * connection (SEND: connected or failed), by the balancer (its queue gave a slot, or
 * its server went down), by a session shutdown and by its timer at {@link #deadline()}.
 */
final class ServerConnector extends Waiter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConnector.class);

    /** What {@link #start} and {@link #step} report. */
    enum Progress {
        /** {@link #connection()} is established (or was kept from an earlier request). */
        CONNECTED,
        /** Waiting for a connect, a turn-around or a queue slot, until {@link #deadline()}. */
        WAITING,
        /** No server could be reached: no server usable, queue timeout, or every attempt failed. */
        FAILED
    }

    private final BackendRuntime backend;
    private final Transport transport;
    private final Task task;
    /** The request's key for a hashed algorithm, or {@link LoadBalancer#NO_KEY}. */
    private final long key;
    /** Which idle connections of the pool the stream may take: {@link #NO_IDLE}, {@link #SAFE_IDLE}, {@link #ANY_IDLE}. */
    private int reusable;
    /** An HTTP stream's connections are shared with the server's pool; a TCP stream's never are. */
    private final boolean http;
    /** The connection came from the pool: the server may have closed it as we reused it. */
    private boolean reused;

    static final int NO_IDLE = 0;
    static final int SAFE_IDLE = 1;
    static final int ANY_IDLE = 2;

    private ServerState server;
    private NioConnection connection;
    private int retriesLeft;
    /** The end of the current wait: connect timeout, turn-around or queue timeout. */
    private long deadline = Task.ETERNITY;
    /** The server's sessions, which list this connector while it holds its slot; null when not tracked. */
    private ServerSessions sessions;
    /** The neighbours in the list of {@link #sessions} on this thread. Threads: the stream's. */
    ServerConnector previousSession;
    ServerConnector nextSession;
    /** Set on the stream's thread by a shutdown of the server's sessions: the stream must end. */
    private boolean shutDown;

    /**
     * A connector for an HTTP stream, which may reuse idle connections and share its own.
     *
     * @param task         the stream's task, woken as the connect progresses
     * @param key          the request's key for a hashed algorithm ({@link BalanceKey})
     * @param firstRequest whether this is the first request of its client
     *                     connection, which {@code http-reuse} protects
     */
    static ServerConnector forHttp(BackendRuntime backend, Transport transport, Task task, long key,
            boolean firstRequest) {
        return new ServerConnector(backend, transport, task, key, true, firstRequest);
    }

    /** A connector for a TCP stream: its connection carries one client's bytes, never shared. */
    static ServerConnector forTcp(BackendRuntime backend, Transport transport, Task task, long key) {
        return new ServerConnector(backend, transport, task, key, false, true);
    }

    private ServerConnector(BackendRuntime backend, Transport transport, Task task, long key,
            boolean http, boolean firstRequest) {
        this.backend = backend;
        this.transport = transport;
        this.task = task;
        this.key = key;
        this.http = http;
        this.retriesLeft = backend.config.retries();
        this.reusable = !http ? NO_IDLE : switch (backend.config.reuse()) {
            case NEVER -> NO_IDLE;
            case SAFE -> firstRequest ? NO_IDLE : ANY_IDLE;
            case AGGRESSIVE -> firstRequest ? SAFE_IDLE : ANY_IDLE;
            case ALWAYS -> ANY_IDLE;
        };
    }

    /**
     * Picks a server and starts connecting to it.
     *
     * @param kept a connection the stream's session kept from an earlier request, or
     *             null: it is used if it goes to the server picked. The caller closes
     *             it when {@link #connection()} is not it.
     */
    Progress start(long now, Connection kept) {
        return connectOrGiveUp(now, null, kept);
    }

    /** Continues after the stream's task was woken. */
    Progress step(long now, int state) {
        if (server == null && connection == null) {
            return waitInQueue(now);
        }
        if (connection == null) {
            return now < deadline ? Progress.WAITING : connectOrGiveUp(now, server, null);
        }
        return waitForConnect(now);
    }

    /** @return when the current wait ends: the stream's timer must fire by then */
    long deadline() {
        return deadline;
    }

    /** @return the connection once {@link Progress#CONNECTED} */
    NioConnection connection() {
        return connection;
    }

    /** @return the server picked, or null */
    ServerState server() {
        return server;
    }

    /** @return whether the server's sessions were shut down: the stream must end, logging 'D' */
    boolean isShutDown() {
        return shutDown;
    }

    /** The server's sessions are shut down ({@link ServerSessions}); the stream's thread. */
    void shutDown() {
        shutDown = true;
        task.wakeup(WOKEN_RES);
    }

    /** The balancer handed a slot or asks for a new pick; any thread, under its lock. */
    @Override
    protected void wake() {
        task.wakeup(WOKEN_RES);
    }

    /** @return whether {@link #connection()} came from the server's idle connections */
    boolean reused() {
        return reused;
    }

    /**
     * Connects anew to the same server after a reused connection turned out dead
     * (the server closed it as the request went): never reusing again, and
     * counting as a retry.
     */
    Progress reconnect(long now) {
        reusable = NO_IDLE;
        reused = false;
        connection = null;
        if (retriesLeft-- <= 0) {
            return Progress.FAILED;
        }
        return connectOrGiveUp(now, server, null);
    }

    /** Forgets the connection: the stream has taken it (its mux closes it in the end). */
    void handOver() {
        connection = null;
    }

    /**
     * The stream ends: a connect in progress is abandoned, the queue left and the
     * server slot given back.
     */
    void release() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (isQueued() && backend.balancer.leave(this)) {
            return;
        }
        // Handed a slot while queued, and not connected yet: the slot goes back.
        ServerState handed = takeAssigned();
        if (handed != null) {
            backend.balancer.release(handed);
        }
        releaseServer();
    }

    /** Gives back the slot of {@link #server}, if any, and leaves its sessions. */
    private void releaseServer() {
        if (server != null) {
            if (sessions != null) {
                sessions.remove(this);
                sessions = null;
            }
            backend.balancer.release(server);
            server = null;
        }
    }

    /** Takes {@link #server}, whose slot this connector now holds, and joins its sessions. */
    private void holdServer(ServerState picked) {
        server = picked;
        sessions = backend.sessions(picked);
        if (sessions != null) {
            sessions.add(this);
        }
    }

    /**
     * @param failed the server of the attempt that just failed, or null for the first
     */
    private Progress connectOrGiveUp(long now, ServerState failed, Connection kept) {
        while (true) {
            if (failed == null || redispatchesNow()) {
                releaseServer();
                ServerState picked = backend.balancer.pick(now, key, failed, this);
                if (picked == null) {
                    if (isPending()) {
                        deadline = backend.queueTimeout > 0 ? now + backend.queueTimeout : Task.ETERNITY;
                        return Progress.WAITING;
                    }
                    LOG.debug("backend {}: no server available", backend.name());
                    return Progress.FAILED;
                }
                holdServer(picked);
                if (reuseKeptOrIdle(kept)) {
                    return Progress.CONNECTED;
                }
            }
            // A retry on the same server keeps its slot there.
            if (connectNew(now)) {
                return Progress.WAITING;
            }
            if (retriesLeft-- <= 0) {
                return Progress.FAILED;
            }
            failed = server;
        }
    }

    /**
     * Starts a new connection to {@link #server}.
     *
     * @return false if it failed at once (counted by {@code observe}), true if it is in progress
     */
    private boolean connectNew(long now) {
        try {
            connection = transport.connect(server.address(), server.config().tls());
            connection.setTarget(server);
            BackendRuntime.SharedConnections shared = http ? backend.shared(server) : null;
            if (shared != null) {
                connection.joinPool(shared.pool(), shared.key());
            }
            deadline = backend.connectTimeout > 0 ? now + backend.connectTimeout : Task.ETERNITY;
            connection.subscribe(IoEvent.SEND, task);
            return true;
        } catch (IOException e) {
            LOG.debug("backend {}: connect to server {} failed at once: {}", backend.name(), server.name(), e);
            backend.observeConnect(server, true);
            return false;
        }
    }

    /**
     * Takes, for {@link #server}, the connection the stream's session kept if it goes
     * there and is free, else an idle one of the server's pool if the reuse mode allows.
     */
    private boolean reuseKeptOrIdle(Connection kept) {
        if (kept instanceof NioConnection own && own.target() == server && !own.isClosed()
                && own.mux() != null && own.mux().streams() == 0) {
            connection = own;
            return true;
        }
        BackendRuntime.SharedConnections shared = http ? backend.shared(server) : null;
        if (shared == null) {
            return false;
        }
        // A multiplexed connection with a free stream first, whatever the mode: HAProxy holds them safe.
        NioConnection found = shared.pool().takeAvailable(shared.key());
        if (found == null && reusable != NO_IDLE) {
            found = shared.pool().take(shared.key(), reusable == SAFE_IDLE);
        }
        if (found == null) {
            return false;
        }
        connection = found;
        reused = true;
        return true;
    }

    /**
     * Woken in a queue: the balancer handed a slot (connect), or took the request out
     * to pick again (its server went down), or the queue timeout struck.
     */
    private Progress waitInQueue(long now) {
        if (isQueued()) {
            if (now < deadline) {
                return Progress.WAITING;
            }
            if (backend.balancer.leave(this)) {
                LOG.debug("backend {}: no server slot within the queue timeout", backend.name());
                return Progress.FAILED;
            }
            // Handed a slot or put out of the queue as the timeout struck.
        }
        ServerState handed = takeAssigned();
        if (handed == null) {
            return connectOrGiveUp(now, null, null);
        }
        holdServer(handed);
        if (reuseKeptOrIdle(null)) {
            return Progress.CONNECTED;
        }
        if (connectNew(now)) {
            return Progress.WAITING;
        }
        return retriesLeft-- <= 0 ? Progress.FAILED : connectOrGiveUp(now, server, null);
    }

    /**
     * Whether the retry being made goes to another server: as HAProxy's {@code option
     * redispatch} without an interval, only the last retry does. Call after counting
     * the retry in {@link #retriesLeft}.
     */
    private boolean redispatchesNow() {
        return backend.config.redispatch() && retriesLeft == 0;
    }

    private Progress waitForConnect(long now) {
        boolean timedOut = connection.isConnecting() && now >= deadline;
        if (connection.isError() || timedOut) {
            backend.observeConnect(server, true);
            connection.close();
            connection = null;
            if (retriesLeft-- <= 0) {
                LOG.debug("backend {}: cannot connect to server {}", backend.name(), server.name());
                return Progress.FAILED;
            }
            if (!timedOut && !redispatchesNow()) {
                // HAProxy's turn-around: a server that refused is likely restarting, and
                // retrying it at once would most likely fail the same way. A connect
                // timeout has waited already.
                deadline = now + Math.min(backend.connectTimeout > 0 ? backend.connectTimeout : 1000, 1000);
                return Progress.WAITING;
            }
            return connectOrGiveUp(now, server, null);
        }
        if (connection.isConnecting()) {
            connection.subscribe(IoEvent.SEND, task);
            return Progress.WAITING;
        }
        deadline = Task.ETERNITY;
        backend.observeConnect(server, false);
        return Progress.CONNECTED;
    }
}
