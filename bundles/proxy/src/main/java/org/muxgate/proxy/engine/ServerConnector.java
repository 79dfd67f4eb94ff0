package org.muxgate.proxy.engine;

import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;
import static org.muxgate.api.scheduler.TaskState.WOKEN_RES;

import java.io.IOException;
import java.net.InetAddress;

import org.muxgate.api.scheduler.Task;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.proxy.lb.ServerState;
import org.muxgate.transport.NioConnection;
import org.muxgate.transport.ServerPool;
import org.muxgate.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a stream a connection to a server of its backend, by HAProxy's rules: pick
 * a server with the backend's balancer, or wait in the backend's queue while every
 * server is at its {@code maxconn} (at most {@code timeout queue}, else
 * {@code timeout connect}); connect, each attempt bounded by {@code timeout
 * connect}, retrying {@code retries} times: on the same server, after a turn-around
 * of min(timeout connect, 1 s) when it refused; with {@code option redispatch}, the
 * last retry goes to another server instead. TCP and HTTP streams both use it.
 *
 * <p>Reuse, by the backend's {@code http-reuse} (HAProxy's table): a stream
 * first takes the server connection its client's session kept ({@code never}),
 * or an idle one of the server's pool ({@link ServerPool#take}): for the first
 * request of a client connection, none with {@code safe}, only those the server
 * kept alive once already with {@code aggressive}, any with {@code always}; for
 * later requests any. A new connection to a server whose connections are shared
 * joins the pool.
 *
 * <p>The server slot taken by the balancer is held until {@link #release()}, which
 * the stream calls as it ends.
 *
 * <p>Threads: owned by one stream, on its thread; the stream's task is woken by the
 * connection (SEND: connected or failed), by the backend's queue (a slot freed) and
 * by its timer at {@link #deadline()}.
 */
final class ServerConnector {

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
    private final InetAddress client;
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
    /** In the backend's queue, waiting for a server slot. */
    private boolean queued;

    /**
     * A connector for an HTTP stream, which may reuse idle connections and share its own.
     *
     * @param task         the stream's task, woken as the connect progresses
     * @param client       the client's address, for {@code balance source}; may be null
     * @param firstRequest whether this is the first request of its client
     *                     connection, which {@code http-reuse} protects
     */
    static ServerConnector forHttp(BackendRuntime backend, Transport transport, Task task, InetAddress client,
            boolean firstRequest) {
        return new ServerConnector(backend, transport, task, client, true, firstRequest);
    }

    /** A connector for a TCP stream: its connection carries one client's bytes, never shared. */
    static ServerConnector forTcp(BackendRuntime backend, Transport transport, Task task, InetAddress client) {
        return new ServerConnector(backend, transport, task, client, false, true);
    }

    private ServerConnector(BackendRuntime backend, Transport transport, Task task, InetAddress client,
            boolean http, boolean firstRequest) {
        this.backend = backend;
        this.transport = transport;
        this.task = task;
        this.client = client;
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
        if (queued) {
            return waitInQueue(now, state);
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
        if (queued) {
            queued = false;
            backend.dequeue(task);
        }
        if (server != null) {
            backend.release(server);
            server = null;
        }
    }

    /**
     * @param failed the server of the attempt that just failed, or null for the first
     */
    private Progress connectOrGiveUp(long now, ServerState failed, Connection kept) {
        while (true) {
            if (failed == null || redispatchesNow()) {
                if (failed != null) {
                    backend.release(failed);
                    server = null;
                }
                server = backend.balancer.pick(client, failed);
                if (server == null) {
                    LOG.debug("backend {}: no server available", backend.name());
                    return Progress.FAILED;
                }
                if (server.maxconn() > 0 && server.currentConnections() > server.maxconn()) {
                    // Every server is full: wait in the backend's queue for a slot.
                    // Not backend.release(): this slot was never really free, and waking
                    // another queued stream for it would only make it queue again.
                    backend.balancer.release(server);
                    boolean backup = server.isBackup();
                    server = null;
                    enterQueue(now, backup);
                    return Progress.WAITING;
                }
                if (kept instanceof NioConnection own && own.target() == server && !own.isClosed()
                        && own.mux() != null && own.mux().streams() == 0) {
                    connection = own;
                    return Progress.CONNECTED;
                }
                if (takeIdle()) {
                    return Progress.CONNECTED;
                }
            }
            // A retry on the same server keeps its slot there.
            try {
                connection = transport.connect(server.address());
                connection.setTarget(server);
                BackendRuntime.SharedConnections shared = http ? backend.shared(server) : null;
                if (shared != null) {
                    connection.joinPool(shared.pool(), shared.key());
                }
                deadline = backend.connectTimeout > 0 ? now + backend.connectTimeout : Task.ETERNITY;
                connection.subscribe(IoEvent.SEND, task);
                return Progress.WAITING;
            } catch (IOException e) {
                LOG.debug("backend {}: connect to server {} failed at once: {}", backend.name(), server.name(), e);
                backend.observeConnect(server, true);
            }
            if (retriesLeft-- <= 0) {
                return Progress.FAILED;
            }
            failed = server;
        }
    }

    /** Takes an idle connection of the server picked, if the reuse mode allows one. */
    private boolean takeIdle() {
        BackendRuntime.SharedConnections shared = reusable == NO_IDLE ? null : backend.shared(server);
        NioConnection idle = shared == null ? null : shared.pool().take(shared.key(), reusable == SAFE_IDLE);
        if (idle == null) {
            return false;
        }
        connection = idle;
        reused = true;
        return true;
    }

    /**
     * @param backup whether the full servers were the backups: only a slot among
     *               the servers the balancer would pick from is worth trying again
     */
    private void enterQueue(long now, boolean backup) {
        queued = true;
        deadline = backend.queueTimeout > 0 ? now + backend.queueTimeout : Task.ETERNITY;
        backend.enqueue(task);
        for (ServerState candidate : backend.balancer.servers()) {
            if (candidate.isBackup() == backup && candidate.isUsable() && candidate.hasFreeSlot()) {
                // A slot was given back before we joined, and woke nobody: try now.
                task.wakeup(WOKEN_OTHER);
                return;
            }
        }
    }

    /** Woken in the queue: a slot was given back (try again), or the queue timeout struck. */
    private Progress waitInQueue(long now, int state) {
        if ((state & (WOKEN_RES | WOKEN_OTHER)) != 0) {
            queued = false;
            backend.dequeue(task);
            return connectOrGiveUp(now, null, null);
        }
        if (now >= deadline) {
            LOG.debug("backend {}: no server slot within the queue timeout", backend.name());
            queued = false;
            backend.dequeue(task);
            return Progress.FAILED;
        }
        return Progress.WAITING;
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
