package org.muxgate.proxy.engine;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.proxy.lb.ServerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timings and outcome of one HTTP exchange, written at its end as HAProxy's
 * {@code option httplog} line through SLF4J (logger {@code org.muxgate.proxy.httplog},
 * level INFO), when the frontend has the option:
 *
 * <pre>
 * %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %{+Q}r
 * 127.0.0.1:40312 [23/Nov/2026:19:40:01.123] fe be/s1 0/0/1/2/3 200 145 - - ---- 1/1/0/1/0 0/0 "GET / HTTP/1.1"
 * </pre>
 *
 * {@code %TR} is 0: the stream starts once the mux has the whole request head.
 * {@code %Tc} and {@code %Tr} are -1 when that step was not reached, as in HAProxy.
 * The termination state's first letter is who ended the exchange abnormally
 * (C client, S server, P proxy, - none), the second in which step (R request, Q
 * queue, C connect, H response headers, D data, - none); persistence is not
 * supported, so the last two are {@code --}.
 *
 * <p>Without the option, only cheap field stores happen: nothing is formatted.
 * Threads: the stream's.
 */
final class HttpLog {

    private static final Logger LOG = LoggerFactory.getLogger("org.muxgate.proxy.httplog");
    private static final DateTimeFormatter DATE = DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final FrontendRuntime frontend;
    // The exchange's, set by begin: one log serves every exchange of its stream.
    private InetSocketAddress client;
    private long start;
    private long wallStart;
    /** The request line, copied only when the line will be logged. */
    private String requestLine;
    private BackendRuntime backend;
    private ServerState server;
    private long connectStart;
    private long connected;
    private long responseHead;
    private long bytes;
    private char cause;
    private char step;

    HttpLog(FrontendRuntime frontend) {
        this.frontend = frontend;
    }

    /** Starts the record of a new exchange, from {@code client}, at {@code now}. */
    void begin(InetSocketAddress client, long now) {
        this.client = client;
        this.start = now;
        this.wallStart = frontend.httplog ? System.currentTimeMillis() : 0;
        requestLine = null;
        backend = null;
        server = null;
        connectStart = -1;
        connected = -1;
        responseHead = -1;
        bytes = 0;
        cause = '-';
        step = '-';
    }

    void requestReceived(HttpMessage request, long now) {
        if (!frontend.httplog) {
            return;
        }
        int line = request.startLine();
        AsciiSequence view = new AsciiSequence();
        String method = request.method(line, view).toString();
        String target = request.target(line, view).toString();
        requestLine = method + " " + target + (request.version() == HttpMessage.HTTP_1_0 ? " HTTP/1.0" : " HTTP/1.1");
    }

    void backend(BackendRuntime chosen) {
        backend = chosen;
    }

    void connectStarted(long now) {
        connectStart = now;
    }

    void connected(ServerState chosen, long now) {
        server = chosen;
        connected = now;
    }

    void responseReceived(long now) {
        responseHead = now;
    }

    /** Counts response bytes sent to the client. */
    void sent(int payload) {
        bytes += payload;
    }

    /**
     * Records an abnormal end: who ended it ({@code C}, {@code S} or {@code P}); the
     * step follows from what was reached. The first call wins.
     */
    void terminated(char who) {
        if (cause != '-') {
            return;
        }
        cause = who;
        step = responseHead >= 0 ? 'D' : connected >= 0 ? 'H' : connectStart >= 0 ? 'C' : 'R';
    }

    /** Writes the line, if the frontend logs. */
    void ended(long now, int status) {
        if (!frontend.httplog || !LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(192);
        String host = client == null ? "-" : client.getAddress().getHostAddress();
        line.append(host).append(':').append(client == null ? 0 : client.getPort())
                .append(" [").append(DATE.format(Instant.ofEpochMilli(wallStart))).append("] ")
                .append(frontend.config.name()).append(' ')
                .append(backend == null ? frontend.config.name() : backend.name()).append('/')
                .append(server == null ? "<NOSRV>" : server.name()).append(' ')
                .append(0).append('/')
                .append(0).append('/')
                .append(connected >= 0 ? connected - connectStart : -1).append('/')
                .append(responseHead >= 0 ? responseHead - connected : -1).append('/')
                .append(now - start).append(' ')
                .append(status == 0 ? -1 : status).append(' ')
                .append(bytes).append(" - - ")
                .append(cause).append(step).append("--").append(' ')
                .append(frontend.transport.globalLimit().current()).append('/')
                .append(frontend.group.limit().current()).append('/')
                .append(backend == null ? 0 : backend.activeConnections()).append('/')
                .append(server == null ? 0 : server.currentConnections()).append('/')
                .append(0).append(' ')
                .append(0).append('/').append(backend == null ? 0 : backend.queueLength()).append(' ')
                .append('"').append(requestLine == null ? "<BADREQ>" : requestLine).append('"');
        LOG.info(line.toString());
    }
}
