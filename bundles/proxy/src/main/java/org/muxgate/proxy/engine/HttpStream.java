package org.muxgate.proxy.engine;

import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpEndpoint;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.api.transport.StreamEndpoint;
import org.muxgate.proxy.config.HttpConnectionMode;
import org.muxgate.transport.NioConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP exchange: a request from a client's endpoint and its response, as
 * HAProxy's stream with its HTTP analyzers. The frontend HTTP mux opens one when a
 * request head is complete.
 *
 * <p>Life: take the request head, analyze it ({@link HttpAnalyzers}: rules, routing,
 * {@code option forwardfor}), which either answers at once (deny, return, redirect)
 * or names a backend; get a server connection ({@link ServerConnector}), or reuse
 * the one the client's {@link HttpSession} kept; then forward the request and the
 * response, each message flowing through one pooled buffer with back-pressure (a
 * body is never held whole); analyze the response head ({@code http-response}
 * rules); forward interim responses (1xx); after a {@code 101} both sides carry
 * the new protocol as a tunnel. At the end, log ({@code option httplog}) and give
 * both connections back for keep-alive when the connection mode and both peers
 * allow: a shared server connection to its server's idle lists, a private one to
 * the client's session.
 *
 * <p>A request sent on a reused server connection may meet a server that closed
 * it just then. An idempotent request held whole in its buffer is copied before
 * it goes; if the server fails before anything of a response came, the copy goes
 * again on a new connection, and the client sees nothing of it.
 *
 * <p>Errors, as HAProxy answers them while the response has not started: 400 for
 * a malformed request body, 503 when no server can be reached, 502 for a malformed
 * or missing response, 504 when the server does not answer within {@code timeout
 * server}. Once the response has started, an error closes both sides.
 *
 * <p>Timeouts: {@code timeout client} bounds the client's inactivity, {@code
 * timeout server} the server's while the exchange needs it, {@code timeout tunnel}
 * both once tunnelled.
 *
 * <p>Reuse: a stream that ends with the client connection kept alive becomes its
 * session's spare, and serves the connection's next request, so that a keep-alive
 * request allocates no stream, task, messages or log ({@link #begin} resets what
 * belongs to one exchange). The spare's task sleeps meanwhile, without timer, and
 * ignores stale wakeups; the session kills it when the client connection ends.
 *
 * <p>Threads: a task bound to the client connection's thread, where the server
 * connection is opened too; everything here runs there, without locks.
 */
final class HttpStream implements TaskProcess {

    private static final Logger LOG = LoggerFactory.getLogger(HttpStream.class);

    /** Send-and-receive rounds per direction in one run, before letting other tasks run. */
    private static final int ROUNDS_PER_RUN = 8;

    /** What a direction did in a call to {@link #forward}. */
    private static final int ACTIVE_SOURCE = 1;
    private static final int ACTIVE_DESTINATION = 2;
    private static final int SOURCE_FAILED = 4;
    private static final int DESTINATION_FAILED = 8;
    private static final int YIELDED = 16;
    /** The response head arrived and waits for {@link #analyzeResponse}. */
    private static final int HEAD_RECEIVED = 32;

    /** Waiting for the request head (the mux normally has it complete at once). */
    private static final int WAIT_REQUEST = 0;
    /** Getting a server connection. */
    private static final int CONNECTING = 1;
    /** Forwarding the request and the response. */
    private static final int EXCHANGING = 2;
    /** Sending a response of our own (a rule's or an error's): nothing goes to a server. */
    private static final int REPLYING = 3;
    /** The session's spare, between two requests of its client connection. */
    private static final int IDLE = 4;

    /** One direction: its message and how far it went. */
    private static final class Direction {
        final HttpMessage message;
        /** The message was sent whole (or, tunnelled, the source ended and the end was passed on). */
        boolean done;
        /** The source endpoint will send no more (tunnel only). */
        boolean sourceEnded;

        Direction(int maxHeaders) {
            message = new HttpMessage(maxHeaders);
        }

        /** Ready for a new exchange; the message holds no buffer. */
        void reset() {
            message.reset();
            done = false;
            sourceEnded = false;
        }
    }

    private final FrontendRuntime frontend;
    private final Scheduler scheduler;
    /** The endpoint of the current request; null while {@link #IDLE}. */
    private HttpEndpoint client;
    private final HttpSession session;
    private final Task task;
    private final Direction request;
    private final Direction response;
    private final HttpLog log;
    private final MessageSample sample = new MessageSample();

    private int phase;
    private BackendRuntime backend;
    private ServerConnector connector;
    private NioConnection serverConnection;
    private HttpEndpoint server;
    /** The response head was analyzed and may go to the client. */
    private boolean responseHeadAnalyzed;
    /** Part of the final response went to the client: an error can no longer be answered. */
    private boolean responseStarted;
    private boolean tunnel;
    /** The client connection closes after this exchange. */
    private boolean closeClient;
    /** The server announced it closes after its response: its connection is not kept. */
    private boolean serverAskedClose;
    /** The status of the response being forwarded or sent, 0 before its head. */
    private int status;
    private long clientActive;
    private long serverActive;
    /** The request as it was before going on a reused connection, or null: see the class comment. */
    private HttpMessage retryCopy;

    private HttpStream(FrontendRuntime frontend, HttpSession session, int thread) {
        this.frontend = frontend;
        this.scheduler = frontend.transport.scheduler();
        this.session = session;
        int maxHeaders = frontend.maxHeaders;
        this.request = new Direction(maxHeaders);
        this.response = new Direction(maxHeaders);
        this.task = scheduler.newTask(1L << thread, this, this);
        this.log = new HttpLog(frontend);
    }

    /** Starts the stream of a new request, the session's spare if it has one; on the endpoint's thread. */
    static void start(FrontendRuntime frontend, HttpEndpoint client) {
        Connection connection = client.connection();
        HttpSession session;
        if (connection.owner() instanceof HttpSession existing) {
            session = existing;
        } else {
            session = new HttpSession();
            connection.setOwner(session);
        }
        HttpStream stream = session.takeSpare();
        if (stream == null) {
            stream = new HttpStream(frontend, session, connection.thread());
        }
        stream.begin(client);
        stream.task.wakeup(WOKEN_INIT);
    }

    /** Resets what belongs to one exchange, for the request of {@code client}. */
    private void begin(HttpEndpoint client) {
        this.client = client;
        phase = WAIT_REQUEST;
        backend = null;
        responseHeadAnalyzed = false;
        responseStarted = false;
        tunnel = false;
        closeClient = false;
        serverAskedClose = false;
        status = 0;
        request.reset();
        response.reset();
        log.begin(client.connection().peer(), scheduler.now());
    }

    /** The session's client connection ended while this stream was its spare: the task goes. */
    void discard() {
        task.kill();
    }

    @Override
    public Schedulable process(Schedulable self, Object context, int state) {
        if (phase == IDLE) {
            // A wakeup from the last exchange, late: nothing to do until the next request.
            return task;
        }
        long now = scheduler.now();
        if ((state & WOKEN_INIT) != 0) {
            clientActive = now;
            request.message.attach(client.connection().acquireBuffer());
        }
        if (connector != null && connector.isShutDown()) {
            // on-marked-down shutdown-sessions (or shutdown-backup-sessions): HAProxy's 'D'.
            log.terminated('D');
            return close();
        }
        switch (phase) {
            case WAIT_REQUEST:
                return waitForRequest(now);
            case CONNECTING:
                return connect(now, connector.step(now, state));
            default:
                return exchange(now);
        }
    }

    private Schedulable waitForRequest(long now) {
        HttpMessage message = request.message;
        int received = client.receiveMessage(message);
        if (received < 0) {
            // The head may have come with the start of a malformed body.
            return clientFailed(now);
        }
        if (message.startLine() < 0) {
            client.subscribe(IoEvent.RECV, task);
            return now >= clientDeadline() ? close() : armTimer();
        }
        log.requestReceived(message, now);
        closeClient = message.has(HttpMessage.F_CLOSE);
        response.message.attach(client.connection().acquireBuffer());
        InetSocketAddress peer = client.connection().peer();
        InetAddress address = peer == null ? null : peer.getAddress();
        backend = frontend.analyzers.analyzeRequest(message, sample, address, session.clientText(address),
                response.message);
        if (backend == null) {
            return reply(now);
        }
        log.backend(backend);
        HttpConnectionMode mode = frontend.connectionMode(backend);
        if (mode != HttpConnectionMode.KEEP_ALIVE) {
            // Server-close and close: the server closes after its response.
            message.setFlags(HttpMessage.F_CLOSE);
        } else {
            // The client's wish to close concerns its own connection, not the server's.
            message.clearFlags(HttpMessage.F_CLOSE);
        }
        if (mode == HttpConnectionMode.CLOSE) {
            closeClient = true;
        }
        long key = BalanceKey.of(backend.config.balance(), message, address, sample.view());
        connector = ServerConnector.forHttp(backend, frontend.transport, task, key, session.startRequest());
        phase = CONNECTING;
        log.connectStarted(now);
        NioConnection kept = session.kept();
        ServerConnector.Progress progress = connector.start(now, kept);
        if (kept != null) {
            session.forget();
            if (connector.connection() != kept) {
                kept.requestClose();
            }
        }
        return connect(now, progress);
    }

    /** Sends the response the analyzers built in {@link #response} (a rule's answer or an error page). */
    private Schedulable reply(long now) {
        phase = REPLYING;
        responseHeadAnalyzed = true;
        status = response.message.status(response.message.startLine());
        if (!request.message.isEnded()) {
            // The rest of the request will not be read: the connection cannot serve another.
            closeClient = true;
        }
        return exchange(now);
    }

    /** Answers with the error page of {@code errorStatus}, unless the response has started: then closes. */
    private Schedulable replyError(long now, int errorStatus, char termination) {
        log.terminated(termination);
        if (termination == 'S' && connector != null && connector.server() != null) {
            // An invalid or missing response counts against the server ({@code observe layer7}).
            backend.observeResponse(connector.server(), errorStatus);
        }
        if (responseStarted || phase == REPLYING) {
            return close();
        }
        detachServer(false);
        releaseConnector();
        closeClient = true;
        response.message.reset();
        if (!response.message.hasBuffer()) {
            response.message.attach(client.connection().acquireBuffer());
        }
        frontend.analyzers.errorResponse(errorStatus, backend, response.message, sample.view());
        return reply(now);
    }

    private Schedulable connect(long now, ServerConnector.Progress progress) {
        switch (progress) {
            case FAILED:
                return replyError(now, 503, connector.server() == null ? 'Q' : 'C');
            case WAITING:
                if (now >= clientDeadline()) {
                    log.terminated('C');
                    return close();
                }
                return armTimer();
            default:
                break;
        }
        NioConnection connection = connector.connection();
        Mux mux = connection.mux();
        if (mux == null) {
            String proto = connector.server().config().proto();
            mux = frontend.transport.registry().install(connection, proto, ProtoMode.HTTP, ProtoSide.BACKEND, null);
            if (mux == null) {
                backend.missingMux(now, proto);
            }
        }
        StreamEndpoint endpoint = mux == null ? null : mux.attach();
        if (endpoint != null && !(endpoint instanceof HttpEndpoint)) {
            // A tcp mux named by the server's proto: it cannot carry HTTP messages.
            endpoint.detach(false);
            backend.missingMux(now, connector.server().config().proto());
            endpoint = null;
        }
        if (endpoint == null) {
            return replyError(now, 503, 'C');
        }
        server = (HttpEndpoint) endpoint;
        connection.setOwner(this);
        if (connector.reused() && retryCopy == null) {
            keepRetryCopy();
        }
        connector.handOver();
        serverConnection = connection;
        phase = EXCHANGING;
        serverActive = now;
        log.connected(connector.server(), now);
        return exchange(now);
    }

    /** Copies the request before it goes on a reused connection, if it is whole and idempotent. */
    private void keepRetryCopy() {
        HttpMessage message = request.message;
        if (!message.isEnded() || !isIdempotent(message)) {
            return;
        }
        HttpMessage copy = session.retryCopy(message.maxHeaders());
        copy.attach(client.connection().acquireBuffer());
        copy.copyFrom(message);
        retryCopy = copy;
    }

    private boolean isIdempotent(HttpMessage message) {
        AsciiSequence method = message.method(message.startLine(), sample.view());
        return method.contentEquals("GET", false) || method.contentEquals("HEAD", false)
                || method.contentEquals("OPTIONS", false) || method.contentEquals("PUT", false)
                || method.contentEquals("DELETE", false) || method.contentEquals("TRACE", false);
    }

    /**
     * The reused connection died before any response came: the request goes again,
     * from its copy, on a new connection to the same server.
     */
    private Schedulable retryOnNewConnection(long now) {
        LOG.debug("{}: reused server connection closed by the server; sending again on a new one", this);
        detachServer(false);
        request.message.reset();
        request.message.moveFrom(retryCopy);
        dropRetryCopy();
        request.done = false;
        response.message.reset();
        response.done = false;
        phase = CONNECTING;
        return connect(now, connector.reconnect(now));
    }

    private void dropRetryCopy() {
        if (retryCopy != null) {
            release(retryCopy);
            retryCopy = null;
        }
    }

    /** Forwards both directions, then checks for the end of the exchange and the timeouts. */
    private Schedulable exchange(long now) {
        int req = phase == EXCHANGING ? forward(request, client, server) : 0;
        int res = phase == EXCHANGING ? forward(response, server, client) : forward(response, null, client);
        if ((res & HEAD_RECEIVED) != 0) {
            int error = analyzeResponse(now);
            if (error != 0) {
                return replyError(now, error, error == 500 ? 'P' : 'S');
            }
            res |= forward(response, server, client);
        }
        if (retryCopy != null && (res & ACTIVE_SOURCE) != 0) {
            // The server answers: the connection was alive, no retry will be needed.
            dropRetryCopy();
        }
        if (((req | res) & (SOURCE_FAILED | DESTINATION_FAILED)) != 0) {
            boolean serverFailed = (req & DESTINATION_FAILED) != 0 || (res & SOURCE_FAILED) != 0;
            if (serverFailed && retryCopy != null && phase == EXCHANGING) {
                return retryOnNewConnection(now);
            }
            return failed(now, req, res);
        }
        if ((req & ACTIVE_SOURCE) != 0 || (res & ACTIVE_DESTINATION) != 0) {
            clientActive = now;
        }
        if ((res & ACTIVE_SOURCE) != 0 || (req & ACTIVE_DESTINATION) != 0) {
            serverActive = now;
        }
        if (response.done && !tunnel && isInterim()) {
            // The final response follows on the same connection.
            response.done = false;
            responseHeadAnalyzed = false;
            response.message.reset();
            task.wakeup(WOKEN_OTHER);
            return armTimer();
        }
        if (response.done && (request.done || phase == REPLYING)) {
            if (!tunnel && status == 101) {
                return startTunnel(now);
            }
            return finish(now);
        }
        if (((req | res) & YIELDED) != 0) {
            task.wakeup(WOKEN_OTHER);
        }
        if (now >= clientDeadline()) {
            log.terminated('C');
            return responseStarted ? close() : replyError(now, 408, 'C');
        }
        if (now >= serverDeadline()) {
            return replyError(now, 504, 'S');
        }
        return armTimer();
    }

    /** An endpoint failed: answer what can be answered (400 for the client's body, 502 for the server). */
    private Schedulable failed(long now, int req, int res) {
        boolean byClient = (req & SOURCE_FAILED) != 0 || (res & DESTINATION_FAILED) != 0;
        return byClient ? clientFailed(now) : replyError(now, 502, 'S');
    }

    /** The client's endpoint failed: a malformed request gets its error page, a client gone is closed. */
    private Schedulable clientFailed(long now) {
        int clientError = client.errorStatus();
        if (clientError != 0) {
            return replyError(now, clientError, 'P');
        }
        log.terminated('C');
        return close();
    }

    /**
     * Moves one direction's message from its source to its destination: sends what
     * the message holds, receives more once it is empty, until the message was sent
     * whole, an endpoint cannot go on, or the rounds are spent. Subscribes to what it
     * waits for; the source is not read while the destination has not taken what
     * the message holds (back-pressure).
     *
     * @param source null when the message is our own response, complete already
     * @return {@code ACTIVE_*}, {@code *_FAILED}, {@code YIELDED} and {@code HEAD_RECEIVED} bits
     */
    private int forward(Direction direction, HttpEndpoint source, HttpEndpoint destination) {
        HttpMessage message = direction.message;
        int result = 0;
        for (int round = 0; round < ROUNDS_PER_RUN && !direction.done; round++) {
            boolean isResponse = direction == response;
            if (!message.isEmpty() || message.isEnded() || direction.sourceEnded) {
                if (isResponse && !responseHeadAnalyzed) {
                    return result | HEAD_RECEIVED;
                }
                if (destination.isSubscribed(IoEvent.SEND, task)) {
                    return result;
                }
                int sent = destination.sendMessage(message);
                if (sent < 0) {
                    return result | DESTINATION_FAILED;
                }
                if (sent > 0) {
                    result |= ACTIVE_DESTINATION;
                    if (isResponse) {
                        responseStarted |= !isInterim();
                        log.sent(sent);
                    }
                }
                if (message.isEmpty() && (message.isEnded() || direction.sourceEnded)) {
                    if (direction.sourceEnded) {
                        destination.shutdownWrite();
                    }
                    direction.done = true;
                    return result;
                }
                if (!message.isEmpty()) {
                    destination.subscribe(IoEvent.SEND, task);
                    return result;
                }
            }
            if (source.isSubscribed(IoEvent.RECV, task)) {
                return result;
            }
            int received = source.receiveMessage(message);
            if (received < 0) {
                if (tunnel && !source.isError()) {
                    direction.sourceEnded = true;
                    continue;
                }
                return result | SOURCE_FAILED;
            }
            if (message.isEmpty() && !message.isEnded()) {
                source.subscribe(IoEvent.RECV, task);
                return result;
            }
            result |= ACTIVE_SOURCE;
        }
        return direction.done ? result : result | YIELDED;
    }

    /**
     * Analyzes the response head: interim responses pass as they are; a final one
     * goes through the {@code http-response} rules and learns whether the client
     * connection stays open.
     *
     * @return 0, or the status of the error that replaces the response: 502 for a 101
     *         to a request that did not ask for one, 500 when a rule could not add a header
     */
    private int analyzeResponse(long now) {
        HttpMessage message = response.message;
        responseHeadAnalyzed = true;
        status = message.status(message.startLine());
        if (status == 101) {
            return request.message.has(HttpMessage.F_UPGRADE) ? 0 : 502;
        }
        if (isInterim()) {
            return 0;
        }
        log.responseReceived(now);
        backend.observeResponse(connector.server(), status);
        serverAskedClose = message.has(HttpMessage.F_CLOSE);
        InetSocketAddress peer = client.connection().peer();
        if (!frontend.analyzers.analyzeResponse(backend, request.message, sample,
                peer == null ? null : peer.getAddress(), message)) {
            return 500;
        }
        if (closeClient) {
            message.setFlags(HttpMessage.F_CLOSE);
        } else {
            // The server's wish to close concerns its own connection, not the client's.
            message.clearFlags(HttpMessage.F_CLOSE);
        }
        return 0;
    }

    /** @return whether the response being forwarded is an interim one (1xx but 101): the final one follows */
    private boolean isInterim() {
        return status < 200 && status != 101;
    }

    /** After a 101: both directions carry the new protocol's bytes until each side ends. */
    private Schedulable startTunnel(long now) {
        tunnel = true;
        closeClient = true;
        request.message.reset();
        response.message.reset();
        request.done = false;
        response.done = false;
        clientActive = now;
        serverActive = now;
        task.wakeup(WOKEN_OTHER);
        return armTimer();
    }

    /** The exchange is complete: log, then give back the connections, kept alive when allowed. */
    private Schedulable finish(long now) {
        log.ended(now, status);
        boolean keepServer = server != null && !tunnel && !serverAskedClose
                && !request.message.has(HttpMessage.F_CLOSE) && server.errorStatus() == 0;
        NioConnection keptConnection = keepServer && !serverConnection.isShared() ? serverConnection : null;
        if (serverConnection != null && serverConnection.isShared()) {
            // Its pool holds it now: the stream must not stay reachable from it.
            serverConnection.setOwner(null);
        }
        detachServer(keepServer);
        if (keptConnection != null && !keptConnection.isClosed()) {
            keptConnection.setOwner(session);
            session.keep(keptConnection);
        }
        return end(!closeClient);
    }

    /** Ends the stream at once: both connections closed (an error, a timeout, a tunnel's end). */
    private Schedulable close() {
        log.ended(scheduler.now(), status);
        detachServer(false);
        return end(false);
    }

    private Schedulable end(boolean keepClient) {
        dropRetryCopy();
        releaseConnector();
        release(request.message);
        release(response.message);
        client.unsubscribe(IoEvent.RECV | IoEvent.SEND, task);
        // Detached first: the mux may open the next stream right away, which then finds no spare.
        client.detach(keepClient);
        client = null;
        if (keepClient && session.offerSpare(this)) {
            phase = IDLE;
            task.setExpire(Task.ETERNITY);
            return task;
        }
        task.free();
        return null;
    }

    private void detachServer(boolean keep) {
        if (server != null) {
            server.unsubscribe(IoEvent.RECV | IoEvent.SEND, task);
            server.detach(keep);
            server = null;
            serverConnection = null;
        }
    }

    private void releaseConnector() {
        if (connector != null) {
            connector.release();
            connector = null;
        }
    }

    private void release(HttpMessage message) {
        if (message.hasBuffer()) {
            message.reset();
            client.connection().releaseBuffer(message.detach());
        }
    }

    private long clientDeadline() {
        long timeout = tunnel && backend.tunnelTimeout > 0 ? backend.tunnelTimeout : frontend.clientTimeout;
        return timeout > 0 ? clientActive + timeout : Task.ETERNITY;
    }

    private long serverDeadline() {
        if (phase == CONNECTING) {
            return connector.deadline();
        }
        if (phase != EXCHANGING || response.done) {
            return Task.ETERNITY;
        }
        long timeout = tunnel && backend.tunnelTimeout > 0 ? backend.tunnelTimeout : backend.serverTimeout;
        return timeout > 0 ? serverActive + timeout : Task.ETERNITY;
    }

    private Schedulable armTimer() {
        task.setExpire(Math.min(clientDeadline(), serverDeadline()));
        return task;
    }

    @Override
    public String toString() {
        return "http stream of frontend " + frontend.config.name()
                + (client == null ? ", spare" : " from " + client.connection().peer());
    }
}
