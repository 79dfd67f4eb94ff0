package org.muxgate.proxy.engine;

import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;
import static org.muxgate.api.scheduler.TaskState.WOKEN_RES;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.api.transport.StreamEndpoint;
import org.muxgate.proxy.lb.ServerState;
import org.muxgate.transport.BufferPool;
import org.muxgate.transport.NioConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP stream: joins a client's endpoint to a server's, picked by the backend's
 * balancer, and forwards bytes both ways until both directions have ended.
 *
 * <p>Life: pick a server, or wait in the backend's queue while every server is at
 * its {@code maxconn} (at most {@code timeout queue}, else {@code timeout connect});
 * connect, each attempt bounded by {@code timeout connect}, retrying {@code retries}
 * times as HAProxy does: on the same server, after a turn-around of min(timeout
 * connect, 1 s) when it refused; with {@code option redispatch}, the last retry goes
 * to another server instead; then
 * forward. Each direction holds at most one pooled buffer, and only while it holds
 * data: a destination that does not take the data stops reads from the source,
 * so a slow reader costs one buffer, never more. A source's end of stream is
 * passed on as a write shutdown of the destination (half-close) once its data is
 * sent. An error on either side, or a timeout, closes both.
 *
 * <p>Timeouts, as HAProxy's in tcp mode: inactivity of the client side is bounded
 * by {@code timeout client}, of the server side by {@code timeout server}; once
 * connected, {@code timeout tunnel} replaces both if set; once a side was shut
 * by us (it got our FIN), {@code timeout client-fin} or {@code timeout server-fin}
 * applies to it if set.
 *
 * <p>Threads: the stream is a task bound to its client connection's thread, where
 * the server connection is opened too; everything here runs on it, without locks.
 * The endpoints wake the task when they become ready.
 */
final class TcpStream implements TaskProcess {

    private static final Logger LOG = LoggerFactory.getLogger(TcpStream.class);

    /** Read-and-send rounds per direction in one run, before letting other tasks run. */
    private static final int ROUNDS_PER_RUN = 8;

    /** What a direction did in a call to {@link #forward}. */
    private static final int ACTIVE_SOURCE = 1;
    private static final int ACTIVE_DESTINATION = 2;
    private static final int FAILED = 4;
    private static final int YIELDED = 8;

    /** One direction of the stream: the data read from its source and not yet sent. */
    private static final class Direction {
        /** Null when empty; else the unsent bytes between position and limit. */
        ByteBuffer pending;
        /** The source sent its end of stream. */
        boolean sourceEnded;
        /** The end of stream was passed on: the destination is shut for writes. */
        boolean shutSent;
    }

    private final FrontendRuntime frontend;
    private final BackendRuntime backend;
    private final Scheduler scheduler;
    private final BufferPool buffers;
    private final int thread;
    private final Task task;
    private final StreamEndpoint client;
    private final Direction request = new Direction();
    private final Direction response = new Direction();

    private ServerState server;
    private NioConnection serverConnection;
    private StreamEndpoint serverEndpoint;
    private int retriesLeft;
    private long connectDeadline;
    /** In the backend's queue, waiting for a server slot, until {@link #queueDeadline}. */
    private boolean queued;
    private long queueDeadline;
    private long clientActive;
    private long serverActive;

    private TcpStream(FrontendRuntime frontend, StreamEndpoint client) {
        this.frontend = frontend;
        this.backend = frontend.backend;
        this.scheduler = frontend.transport.scheduler();
        this.buffers = frontend.transport.buffers();
        this.client = client;
        this.thread = client.connection().thread();
        this.retriesLeft = backend.config.retries();
        this.task = scheduler.newTask(1L << thread, this, this);
    }

    /** Creates the stream of a new client endpoint; on the endpoint's thread. */
    static void start(FrontendRuntime frontend, StreamEndpoint client) {
        new TcpStream(frontend, client).task.wakeup(WOKEN_INIT);
    }

    @Override
    public Schedulable process(Schedulable self, Object context, int state) {
        long now = scheduler.now();
        if (serverEndpoint == null) {
            if ((state & WOKEN_INIT) != 0) {
                clientActive = now;
                return connectOrGiveUp(now, null) ? armTimer(now) : close();
            }
            if (queued) {
                return waitInQueue(now, state);
            }
            if (serverConnection == null) {
                return retryWhenDue(now);
            }
            return waitForConnect(now);
        }
        int req = forward(request, client, serverEndpoint);
        int res = forward(response, serverEndpoint, client);
        if (((req | res) & FAILED) != 0) {
            return close();
        }
        if ((req & ACTIVE_SOURCE) != 0 || (res & ACTIVE_DESTINATION) != 0) {
            clientActive = now;
        }
        if ((res & ACTIVE_SOURCE) != 0 || (req & ACTIVE_DESTINATION) != 0) {
            serverActive = now;
        }
        if (request.shutSent && response.shutSent) {
            return close();
        }
        if (((req | res) & YIELDED) != 0) {
            task.wakeup(WOKEN_OTHER);
        }
        if (now >= clientDeadline() || now >= serverDeadline()) {
            LOG.debug("frontend {}: stream from {} timed out", frontend.config.name(), client.connection().peer());
            return close();
        }
        return armTimer(now);
    }

    /**
     * Picks a server and starts a connect to it.
     *
     * @param failed the server of the attempt that just failed, or null for the first
     * @return whether a connect is in progress; false once no attempt is left
     */
    private boolean connectOrGiveUp(long now, ServerState failed) {
        while (true) {
            if (failed == null || redispatchesNow()) {
                if (failed != null) {
                    backend.release(failed);
                    server = null;
                }
                InetSocketAddress peer = client.connection().peer();
                server = backend.balancer.pick(peer == null ? null : peer.getAddress(), failed);
                if (server == null) {
                    LOG.debug("backend {}: no server available", backend.name());
                    return false;
                }
                if (server.maxconn() > 0 && server.currentConnections() > server.maxconn()) {
                    // Every server is full: wait in the backend's queue for a slot.
                    // Not backend.release(): this slot was never really free, and waking
                    // another queued stream for it would only make it queue again.
                    backend.balancer.release(server);
                    boolean backup = server.isBackup();
                    server = null;
                    enterQueue(now, backup);
                    return true;
                }
            }
            // A retry on the same server keeps its slot there.
            try {
                serverConnection = frontend.transport.connect(server.address());
                serverConnection.setOwner(this);
                serverConnection.setTarget(server);
                connectDeadline = backend.connectTimeout > 0 ? now + backend.connectTimeout : Task.ETERNITY;
                serverConnection.subscribe(IoEvent.SEND, task);
                return true;
            } catch (IOException e) {
                LOG.debug("backend {}: connect to server {} failed at once: {}", backend.name(), server.name(), e);
            }
            if (retriesLeft-- <= 0) {
                return false;
            }
            failed = server;
        }
    }

    /**
     * @param backup whether the full servers were the backups: only a slot among
     *               the servers the balancer would pick from is worth trying again
     */
    private void enterQueue(long now, boolean backup) {
        queued = true;
        queueDeadline = backend.queueTimeout > 0 ? now + backend.queueTimeout : Task.ETERNITY;
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
    private Schedulable waitInQueue(long now, int state) {
        if ((state & (WOKEN_RES | WOKEN_OTHER)) != 0) {
            queued = false;
            backend.dequeue(task);
            return connectOrGiveUp(now, null) ? armTimer(now) : close();
        }
        if (now >= queueDeadline || now >= clientDeadline()) {
            LOG.debug("backend {}: no server slot within the queue timeout", backend.name());
            return close();
        }
        return armTimer(now);
    }

    /**
     * Whether the retry being made goes to another server: as HAProxy's {@code option
     * redispatch} without an interval, only the last retry does. Call after counting
     * the retry in {@link #retriesLeft}.
     */
    private boolean redispatchesNow() {
        return backend.config.redispatch() && retriesLeft == 0;
    }

    private Schedulable waitForConnect(long now) {
        NioConnection connection = serverConnection;
        boolean timedOut = connection.isConnecting() && now >= connectDeadline;
        if (connection.isError() || timedOut) {
            connection.close();
            serverConnection = null;
            if (retriesLeft-- <= 0) {
                return cannotConnect();
            }
            if (!timedOut && !redispatchesNow()) {
                // HAProxy's turn-around: a server that refused is likely restarting, and
                // retrying it at once would most likely fail the same way. A connect
                // timeout has waited already.
                connectDeadline = now + Math.min(backend.connectTimeout > 0 ? backend.connectTimeout : 1000, 1000);
                return armTimer(now);
            }
            return connectOrGiveUp(now, server) ? armTimer(now) : cannotConnect();
        }
        if (connection.isConnecting()) {
            connection.subscribe(IoEvent.SEND, task);
            if (now >= clientDeadline()) {
                return close();
            }
            return armTimer(now);
        }
        String proto = server.config().proto();
        Mux mux = frontend.transport.registry().install(connection, proto, ProtoMode.TCP, ProtoSide.BACKEND, null);
        serverEndpoint = mux == null ? null : mux.attach();
        if (serverEndpoint == null) {
            backend.missingMux(now, proto);
            return close();
        }
        serverActive = now;
        return process(task, this, 0);
    }

    /** Between a refused attempt and its retry on the same server, until {@link #connectDeadline}. */
    private Schedulable retryWhenDue(long now) {
        if (now < connectDeadline) {
            return now >= clientDeadline() ? close() : armTimer(now);
        }
        return connectOrGiveUp(now, server) ? armTimer(now) : cannotConnect();
    }

    private Schedulable cannotConnect() {
        LOG.debug("backend {}: cannot connect to server {}", backend.name(), server == null ? "-" : server.name());
        return close();
    }

    /**
     * Sends what the direction holds, then reads and sends more until the source
     * has nothing, the destination is full or the rounds are spent. Subscribes to
     * what it waits for: the destination's SEND when data is left (and the source
     * is then not read: back-pressure), else the source's RECV.
     *
     * @return {@code ACTIVE_*}, {@code FAILED} and {@code YIELDED} bits
     */
    private int forward(Direction direction, StreamEndpoint source, StreamEndpoint destination) {
        int result = 0;
        for (int round = 0; round < ROUNDS_PER_RUN; round++) {
            ByteBuffer pending = direction.pending;
            if (pending != null) {
                if (destination.isSubscribed(IoEvent.SEND, task)) {
                    // Still full since the last try: sending now would find no room.
                    return result;
                }
                int sent = destination.send(pending);
                if (sent < 0) {
                    return result | FAILED;
                }
                if (sent > 0) {
                    result |= ACTIVE_DESTINATION;
                }
                if (pending.hasRemaining()) {
                    destination.subscribe(IoEvent.SEND, task);
                    return result;
                }
                direction.pending = null;
                buffers.release(thread, pending);
            }
            if (direction.sourceEnded) {
                if (!direction.shutSent) {
                    direction.shutSent = true;
                    destination.shutdownWrite();
                }
                return result;
            }
            if (source.isSubscribed(IoEvent.RECV, task)) {
                // Nothing arrived since the last try: a read now would find nothing.
                return result;
            }
            ByteBuffer buffer = buffers.acquire(thread);
            int received = source.receive(buffer);
            if (received > 0) {
                direction.pending = buffer.flip();
                result |= ACTIVE_SOURCE;
                continue;
            }
            buffers.release(thread, buffer);
            if (received == 0) {
                source.subscribe(IoEvent.RECV, task);
                return result;
            }
            if (source.isError()) {
                return result | FAILED;
            }
            direction.sourceEnded = true;
            result |= ACTIVE_SOURCE;
        }
        return result | YIELDED;
    }

    private long clientDeadline() {
        long timeout = response.shutSent && frontend.clientFinTimeout > 0 ? frontend.clientFinTimeout
                : serverEndpoint != null && backend.tunnelTimeout > 0 ? backend.tunnelTimeout
                : frontend.clientTimeout;
        return timeout > 0 ? clientActive + timeout : Task.ETERNITY;
    }

    private long serverDeadline() {
        if (queued) {
            return queueDeadline;
        }
        if (serverEndpoint == null) {
            return connectDeadline;
        }
        long timeout = request.shutSent && backend.serverFinTimeout > 0 ? backend.serverFinTimeout
                : backend.tunnelTimeout > 0 ? backend.tunnelTimeout
                : backend.serverTimeout;
        return timeout > 0 ? serverActive + timeout : Task.ETERNITY;
    }

    private Schedulable armTimer(long now) {
        task.setExpire(Math.min(clientDeadline(), serverDeadline()));
        return task;
    }

    /** Ends the stream: both endpoints closed, buffers and server slot given back. */
    private Schedulable close() {
        release(request);
        release(response);
        client.unsubscribe(IoEvent.RECV | IoEvent.SEND, task);
        client.detach(false);
        if (serverEndpoint != null) {
            serverEndpoint.unsubscribe(IoEvent.RECV | IoEvent.SEND, task);
            serverEndpoint.detach(false);
        } else if (serverConnection != null) {
            serverConnection.close();
        }
        if (queued) {
            backend.dequeue(task);
        }
        if (server != null) {
            backend.release(server);
            server = null;
        }
        task.free();
        return null;
    }

    private void release(Direction direction) {
        if (direction.pending != null) {
            buffers.release(thread, direction.pending);
            direction.pending = null;
        }
    }

    @Override
    public String toString() {
        return "tcp stream of frontend " + frontend.config.name() + " from " + client.connection().peer();
    }
}
