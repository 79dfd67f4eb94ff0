package org.muxgate.proxy.engine;

import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.proxy.config.HttpCheck;
import org.muxgate.proxy.config.ServerCheck;
import org.muxgate.proxy.config.ServerCheck.OnError;
import org.muxgate.proxy.lb.ServerState;
import org.muxgate.transport.NioConnection;
import org.muxgate.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checks of one server, as HAProxy runs them: every interval a
 * connect (a Layer4 check) and, with {@code option httpchk}, a request whose
 * response must pass {@code http-check expect} (a Layer7 check). The result
 * moves HAProxy's health counter, from 0 to {@code rise + fall - 1}: the server
 * is up from {@code rise}; {@code fall} failures in a row take a healthy server
 * down, {@code rise} successes bring a down one up. It starts up with a health of
 * {@code rise}, so a server that fails its first check goes down at once. The
 * interval is {@code inter} when healthy, {@code fastinter} while the health
 * moves, {@code downinter} when down. The UP and DOWN transitions are logged in
 * HAProxy's words and counted in the {@link ServerState}.
 *
 * <p>A check must connect within min({@code timeout connect}, {@code inter}) and
 * answer within {@code timeout check} when that is set; otherwise the whole check
 * has {@code inter}, as HAProxy's manual says.
 *
 * <p>Threads: the check is a task bound to one worker thread, which alone runs it
 * and alone writes the health, the phase, the connection and the server's up
 * state. Traffic on any thread reports to {@link #observe}, which touches only
 * the atomic error count, the pending action and the requested check date, then
 * requeues the task's timer earlier with {@link Task#schedule}: the task carries
 * {@link TaskState#SHARED_WQ}, so that other threads may requeue it while it runs
 * on its own (the case of HAProxy's commit in seed 003).
 */
final class HealthCheck implements TaskProcess {

    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);

    /** No {@code on-error} action is waiting to be applied. */
    private static final int NO_ACTION = -1;

    private enum Phase {
        /** Waiting for the next check, at {@link #nextCheck}. */
        IDLE,
        CONNECTING,
        /** Writing the httpchk request. */
        SENDING,
        /** Reading the httpchk response. */
        RECEIVING
    }

    private final BackendRuntime backend;
    private final ServerState server;
    private final ServerCheck settings;
    /** Null for connect-only checks. */
    private final HttpCheck http;
    private final Transport transport;
    private final Scheduler scheduler;
    private final Task task;
    private final InetSocketAddress target;
    private final long inter;
    private final long fastInter;
    private final long downInter;
    private final long connectTimeout;
    /** {@code timeout check}, 0 when unset. */
    private final long checkTimeout;
    /** The httpchk request, whole; each check sends a duplicate of it. Null for connect checks. */
    private final ByteBuffer request;
    /** Where the httpchk response is read, a buffer's size: what a check judges must fit. Null for connect checks. */
    private final ByteBuffer response;

    /** Consecutive errors observed in traffic; any thread. */
    private final AtomicInteger consecutiveErrors = new AtomicInteger();
    /** The strongest {@link OnError} ordinal posted by traffic and not applied yet, or {@link #NO_ACTION}. */
    private final AtomicInteger pendingAction = new AtomicInteger(NO_ACTION);
    /** The earliest date traffic asked the next check for ({@code fastinter}), or ETERNITY. */
    private final AtomicLong requestedCheck = new AtomicLong(Task.ETERNITY);
    private volatile boolean stopped;

    // Owned by the task's thread.
    private int health;
    private Phase phase = Phase.IDLE;
    private long nextCheck;
    /** Traffic asked for a fast check while one was running: the next interval is {@code fastinter}. */
    private boolean fastNext;
    private NioConnection connection;
    private ByteBuffer requestView;
    private long started;
    private long deadline;

    /**
     * Creates the check, not started.
     *
     * @param thread   the worker thread that runs it
     * @param firstDue the date of its first check: spreading the first checks of a
     *                 backend over {@code inter} keeps them from all running at once
     */
    HealthCheck(BackendRuntime backend, ServerState server, Transport transport, int thread, long firstDue) {
        this.backend = backend;
        this.server = server;
        this.settings = server.config().check();
        this.http = backend.config.httpCheck();
        this.transport = transport;
        this.scheduler = transport.scheduler();
        InetSocketAddress address = server.address();
        this.target = new InetSocketAddress(settings.address() != null ? settings.address() : address.getAddress(),
                settings.port() != 0 ? settings.port() : address.getPort());
        this.inter = settings.inter().toMillis();
        this.fastInter = settings.fastInter().toMillis();
        this.downInter = settings.downInter().toMillis();
        this.connectTimeout = backend.connectTimeout;
        this.checkTimeout = backend.checkTimeout;
        this.request = http == null ? null : requestBytes(http, target);
        this.response = http == null ? null : ByteBuffer.allocate(transport.buffers().bufferSize());
        this.health = settings.rise();
        this.nextCheck = firstDue;
        this.task = scheduler.newTask(1L << thread, TaskState.SHARED_WQ, this, this);
    }

    private static ByteBuffer requestBytes(HttpCheck http, InetSocketAddress target) {
        StringBuilder text = new StringBuilder(http.method()).append(' ').append(http.uri()).append(' ')
                .append(http.version()).append("\r\n");
        if (http.version().equals("HTTP/1.1")) {
            // HTTP/1.1 servers must reject a request without Host (RFC 9112 section 3.2).
            String host = target.getAddress().getHostAddress();
            text.append("Host: ").append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':')
                    .append(target.getPort()).append("\r\n");
        }
        text.append("Connection: close\r\n\r\n");
        return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer();
    }

    /** Arms the first check. Any thread, once. */
    void start() {
        task.schedule(nextCheck);
    }

    /** Stops the checks soon, on the task's thread, closing a check in progress. Any thread. */
    void stop() {
        stopped = true;
        task.wakeup(WOKEN_MSG);
    }

    /**
     * Counts a traffic result of the server ({@code observe}). Any worker thread,
     * without a lock: {@code error-limit} consecutive errors post the
     * {@code on-error} action and requeue the check task, to run after
     * {@code fastinter}, or at once to apply an action that changes the health.
     */
    void observe(boolean error) {
        if (!error) {
            if (consecutiveErrors.get() != 0) {
                consecutiveErrors.set(0);
            }
            return;
        }
        int errors = consecutiveErrors.incrementAndGet();
        if (errors < settings.errorLimit() || !consecutiveErrors.compareAndSet(errors, 0)) {
            return;
        }
        OnError action = settings.onError();
        long now = scheduler.now();
        requestedCheck.accumulateAndGet(now + fastInter, Math::min);
        if (action == OnError.FASTINTER) {
            task.schedule(now + fastInter);
        } else {
            pendingAction.accumulateAndGet(action.ordinal(), Math::max);
            task.schedule(now);
        }
    }

    /** The task's thread only. */
    @Override
    public Schedulable process(Schedulable self, Object context, int state) {
        long now = scheduler.now();
        if (stopped) {
            closeConnection();
            task.free();
            return null;
        }
        applyTraffic(now);
        switch (phase) {
            case IDLE -> {
                if (now >= nextCheck) {
                    startCheck(now);
                }
            }
            case CONNECTING -> stepConnecting(now);
            case SENDING -> stepSending(now);
            case RECEIVING -> stepReceiving(now);
        }
        task.setExpire(phase == Phase.IDLE ? nextCheck : deadline);
        return task;
    }

    /** Applies what traffic posted since the last run: an {@code on-error} action, a fast check. */
    private void applyTraffic(long now) {
        long requested = requestedCheck.getAndSet(Task.ETERNITY);
        if (requested != Task.ETERNITY) {
            if (phase == Phase.IDLE) {
                nextCheck = Math.min(nextCheck, requested);
            } else {
                fastNext = true;
            }
        }
        int action = pendingAction.getAndSet(NO_ACTION);
        if (action == NO_ACTION) {
            return;
        }
        String reason = "Health analyze";
        String info = "Detected " + settings.errorLimit() + " consecutive errors";
        switch (OnError.values()[action]) {
            case FASTINTER -> {
            }
            case FAIL_CHECK -> failed(now, reason, 0, info);
            case SUDDEN_DEATH -> {
                if (server.isUp()) {
                    // One more failure, observed or checked, takes it down.
                    health = Math.min(health, settings.rise());
                }
            }
            case MARK_DOWN -> {
                health = settings.rise();
                failed(now, reason, 0, info);
            }
        }
    }

    private void startCheck(long now) {
        started = now;
        deadline = now + (checkTimeout > 0 && connectTimeout > 0 ? Math.min(connectTimeout, inter) : inter);
        try {
            connection = transport.connect(target, server.config().checkTls());
        } catch (IOException e) {
            finish(now, false, "Layer4 connection problem", 0, e.getMessage());
            return;
        }
        phase = Phase.CONNECTING;
        stepConnecting(now);
    }

    private void stepConnecting(long now) {
        if (connection.isError()) {
            finish(now, false, "Layer4 connection problem", 0, "Connection refused or reset");
        } else if (connection.isConnecting()) {
            if (now >= deadline) {
                finish(now, false, "Layer4 timeout", 0, null);
            } else {
                connection.subscribe(IoEvent.SEND, task);
            }
        } else if (http == null) {
            finish(now, true, "Layer4 check passed", 0, null);
        } else {
            if (checkTimeout > 0) {
                deadline = now + checkTimeout;
            }
            requestView = request.duplicate();
            response.clear();
            phase = Phase.SENDING;
            stepSending(now);
        }
    }

    private void stepSending(long now) {
        if (connection.write(requestView) < 0) {
            finish(now, false, "Layer4 connection problem", 0, "Connection reset while sending the request");
        } else if (requestView.hasRemaining()) {
            if (now >= deadline) {
                finish(now, false, "Layer7 timeout", 0, null);
            } else {
                connection.subscribe(IoEvent.SEND, task);
            }
        } else {
            phase = Phase.RECEIVING;
            stepReceiving(now);
        }
    }

    /**
     * Reads until the status line is in (the body too, for {@code expect string},
     * until the server closes or the buffer is full), then judges the response.
     */
    private void stepReceiving(long now) {
        int n;
        while ((n = connection.read(response)) > 0 && response.hasRemaining()) {
            // Keep reading what is there.
        }
        boolean ended = n < 0 || !response.hasRemaining();
        int lineEnd = indexOf(response, (byte) '\n', 0);
        if (lineEnd >= 0 && (!http.expect().needsBody() || ended || bodyComplete())) {
            judge(now, lineEnd);
        } else if (ended) {
            finish(now, false, "Layer7 invalid response", 0,
                    response.position() == 0 ? "Connection closed without a response" : "Truncated status line");
        } else if (now >= deadline) {
            finish(now, false, "Layer7 timeout", 0, null);
        } else {
            connection.subscribe(IoEvent.RECV, task);
        }
    }

    /**
     * Whether the response's head and its content-length body are in: a server may
     * keep the connection open despite our {@code Connection: close}. Without a
     * content-length the body ends when the server closes.
     */
    private boolean bodyComplete() {
        String text = new String(response.array(), 0, response.position(), StandardCharsets.ISO_8859_1);
        int head = text.indexOf("\r\n\r\n");
        if (head < 0) {
            return false;
        }
        for (String line : text.substring(0, head).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                try {
                    return response.position() - (head + 4) >= Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** {@code HTTP/1.x SSS REASON}, then the expect rule on the status, or on the body after the head. */
    private void judge(long now, int lineEnd) {
        String text = new String(response.array(), 0, response.position(), StandardCharsets.ISO_8859_1);
        String line = text.substring(0, lineEnd).stripTrailing();
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' '
                || !isDigits(line, 9, 12) || (line.length() > 12 && line.charAt(12) != ' ')) {
            finish(now, false, "Layer7 invalid response", 0, "Invalid status line");
            return;
        }
        int status = Integer.parseInt(line, 9, 12, 10);
        String reasonPhrase = line.length() > 13 ? line.substring(13) : "";
        int head = text.indexOf("\r\n\r\n");
        String body = head < 0 ? "" : text.substring(head + 4);
        HttpCheck.Expect expect = http.expect();
        if (expect.passes(status, body)) {
            finish(now, true, "Layer7 check passed", status, null);
        } else if (expect.needsBody()) {
            finish(now, false, "Layer7 content mismatch", status, null);
        } else {
            finish(now, false, "Layer7 wrong status", status, reasonPhrase);
        }
    }

    private static boolean isDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ByteBuffer buffer, byte b, int from) {
        byte[] bytes = buffer.array();
        for (int i = from; i < buffer.position(); i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** A check ended: counts it, moves the health, and plans the next one. */
    private void finish(long now, boolean passed, String reason, int code, String info) {
        closeConnection();
        server.countCheck(passed);
        if (passed) {
            passed(now, reason, code);
        } else {
            failed(now, reason, code, info);
        }
        long interval = fastNext ? fastInter : health == 0 ? downInter
                : health < settings.rise() + settings.fall() - 1 ? fastInter : inter;
        fastNext = false;
        phase = Phase.IDLE;
        nextCheck = now + interval;
    }

    private void passed(long now, String reason, int code) {
        int full = settings.rise() + settings.fall() - 1;
        if (health < full) {
            health++;
        }
        if (!server.isUp() && health >= settings.rise()) {
            health = full;
            int requeued = backend.mark(server, true, now);
            int[] online = onlineServers();
            LOG.info("Server {}/{} is UP, reason: {}{}, check duration: {}ms. {} active and {} backup servers online."
                    + " {} sessions requeued, {} total in queue.", backend.name(), server.name(), reason,
                    code != 0 ? ", code: " + code : "", now - started, online[0], online[1], requeued,
                    backend.queueLength());
        }
    }

    private void failed(long now, String reason, int code, String info) {
        if (health > settings.rise()) {
            health--;
            return;
        }
        health = 0;
        if (!server.isUp()) {
            return;
        }
        int requeued = backend.mark(server, false, now);
        int[] left = onlineServers();
        LOG.warn("Server {}/{} is DOWN, reason: {}{}{}, check duration: {}ms. {} active and {} backup servers left."
                + " {} sessions active, {} requeued, {} remaining in queue.", backend.name(), server.name(), reason,
                code != 0 ? ", code: " + code : "", info != null ? ", info: \"" + info + "\"" : "",
                phase == Phase.IDLE ? 0 : now - started, left[0], left[1], server.currentConnections(), requeued,
                backend.queueLength());
        if (left[0] + left[1] == 0) {
            LOG.error("backend {} has no server available!", backend.name());
        }
    }

    /** @return the active and the backup servers up and not in maintenance */
    private int[] onlineServers() {
        int[] counts = new int[2];
        for (ServerState candidate : backend.balancer.servers()) {
            if (candidate.isUp() && !candidate.isInMaintenance()) {
                counts[candidate.isBackup() ? 1 : 0]++;
            }
        }
        return counts;
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    @Override
    public String toString() {
        return "health check of server " + backend.name() + "/" + server.name();
    }
}
