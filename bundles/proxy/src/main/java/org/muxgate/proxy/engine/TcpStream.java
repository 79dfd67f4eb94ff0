package org.muxgate.proxy.engine;

import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;
import java.net.InetAddress;
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
import org.muxgate.transport.BufferPool;
import org.muxgate.transport.NioConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP stream: joins a client's endpoint to a server's, picked by the backend's
 * balancer, and forwards bytes both ways until both directions have ended.
 *
 * <p>Life: get a server connection ({@link ServerConnector}: balancing, queue,
 * retries), then forward. Each direction holds at most one pooled buffer, and only while it holds
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

    private final ServerConnector connector;
    private StreamEndpoint serverEndpoint;
    private long clientActive;
    private long serverActive;

    private TcpStream(FrontendRuntime frontend, BackendRuntime backend, StreamEndpoint client, InetAddress peer) {
        this.frontend = frontend;
        this.backend = backend;
        this.scheduler = frontend.transport.scheduler();
        this.buffers = frontend.transport.buffers();
        this.client = client;
        this.thread = client.connection().thread();
        this.task = scheduler.newTask(1L << thread, this, this);
        this.connector = ServerConnector.forTcp(backend, frontend.transport, task,
                BalanceKey.of(backend.config.balance(), null, peer, null));
    }

    /**
     * Creates the stream of a new client endpoint, to the backend the frontend's
     * {@code use_backend} rules choose; on the endpoint's thread.
     *
     * @return false if no backend takes the connection
     */
    static boolean start(FrontendRuntime frontend, StreamEndpoint client) {
        InetSocketAddress address = client.connection().peer();
        InetAddress peer = address == null ? null : address.getAddress();
        BackendRuntime backend = frontend.analyzers.route(new MessageSample().of(null, peer));
        if (backend == null) {
            return false;
        }
        new TcpStream(frontend, backend, client, peer).task.wakeup(WOKEN_INIT);
        return true;
    }

    @Override
    public Schedulable process(Schedulable self, Object context, int state) {
        long now = scheduler.now();
        if (connector.isShutDown()) {
            // on-marked-down shutdown-sessions (or shutdown-backup-sessions).
            return close();
        }
        if (serverEndpoint == null) {
            ServerConnector.Progress progress;
            if ((state & WOKEN_INIT) != 0) {
                clientActive = now;
                progress = connector.start(now, null);
            } else {
                progress = connector.step(now, state);
            }
            if (progress == ServerConnector.Progress.FAILED) {
                return close();
            }
            if (progress == ServerConnector.Progress.WAITING) {
                return now >= clientDeadline() ? close() : armTimer(now);
            }
            if (!attachServer(now)) {
                return close();
            }
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

    /** Installs a tcp mux on the new server connection and opens the stream's endpoint there. */
    private boolean attachServer(long now) {
        NioConnection connection = connector.connection();
        String proto = connector.server().config().proto();
        Mux mux = frontend.transport.registry().install(connection, proto, ProtoMode.TCP, ProtoSide.BACKEND, null);
        serverEndpoint = mux == null ? null : mux.attach();
        if (serverEndpoint == null) {
            backend.missingMux(now, proto);
            return false;
        }
        connection.setOwner(this);
        connector.handOver();
        serverActive = now;
        return true;
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
        if (serverEndpoint == null) {
            return connector.deadline();
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
        }
        connector.release();
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
