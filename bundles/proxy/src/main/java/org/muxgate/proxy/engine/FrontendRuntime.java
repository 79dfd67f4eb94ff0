package org.muxgate.proxy.engine;

import java.util.Map;

import org.muxgate.api.http.HttpEndpoint;
import org.muxgate.api.http.HttpSettings;
import org.muxgate.api.http.HttpStreamOpener;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.StreamEndpoint;
import org.muxgate.proxy.config.Frontend;
import org.muxgate.proxy.config.GlobalSettings;
import org.muxgate.proxy.config.HttpConnectionMode;
import org.muxgate.proxy.config.Mode;
import org.muxgate.proxy.config.TimeoutKind;
import org.muxgate.proxy.config.Timeouts;
import org.muxgate.transport.ListenerGroup;
import org.muxgate.transport.Transport;

/**
 * A frontend of the running configuration: its listener group, its analyzers
 * (routing, rules), its timeouts in milliseconds (0 for none) and its HTTP
 * settings for the muxes. Opens a {@link TcpStream} or an {@link HttpStream}, by
 * its mode, for each stream its connections' muxes bring.
 *
 * <p>Immutable; its opener methods run on the connection's thread.
 */
final class FrontendRuntime implements HttpStreamOpener, HttpSettings {

    final Frontend config;
    final Transport transport;
    final ListenerGroup group;
    final HttpAnalyzers analyzers;
    final long clientTimeout;
    final long clientFinTimeout;
    final long requestTimeout;
    final long keepAliveTimeout;
    final int maxHeaders;
    final int h2InitialWindow;
    final boolean httplog;

    FrontendRuntime(Frontend config, Map<String, BackendRuntime> backends, Transport transport,
            GlobalSettings global) {
        this.config = config;
        this.transport = transport;
        this.analyzers = new HttpAnalyzers(config, backends);
        Timeouts timeouts = config.timeouts();
        this.clientTimeout = millis(timeouts, TimeoutKind.CLIENT);
        // HAProxy bounds the TLS handshake with timeout client too.
        this.group = new ListenerGroup(config.name(), config.mode() == Mode.HTTP ? ProtoMode.HTTP : ProtoMode.TCP,
                config.maxconn(), this, clientTimeout);
        this.clientFinTimeout = millis(timeouts, TimeoutKind.CLIENT_FIN);
        this.requestTimeout = millis(timeouts, TimeoutKind.HTTP_REQUEST);
        this.keepAliveTimeout = millis(timeouts, TimeoutKind.HTTP_KEEP_ALIVE);
        this.maxHeaders = global.maxhdr();
        this.h2InitialWindow = global.h2InitialWindow();
        this.httplog = config.http().httplog();
    }

    private static long millis(Timeouts timeouts, TimeoutKind kind) {
        return timeouts.get(kind).map(d -> d.toMillis()).orElse(0L);
    }

    @Override
    public boolean openStream(StreamEndpoint endpoint) {
        if (config.mode() == Mode.HTTP) {
            if (!(endpoint instanceof HttpEndpoint http)) {
                return false;
            }
            HttpStream.start(this, http);
            return true;
        }
        return TcpStream.start(this, endpoint);
    }

    @Override
    public void connectionEnded(Connection connection) {
        if (connection.owner() instanceof HttpSession session) {
            session.end();
        }
    }

    /** @return the connection mode of an exchange through this frontend and {@code backend}: the stricter */
    HttpConnectionMode connectionMode(BackendRuntime backend) {
        return HttpConnectionMode.stricter(config.http().connectionMode(), backend.config.http().connectionMode());
    }

    @Override
    public HttpSettings httpSettings() {
        return this;
    }

    @Override
    public int maxHeaders() {
        return maxHeaders;
    }

    @Override
    public int h2InitialWindowSize() {
        return h2InitialWindow;
    }

    @Override
    public long requestTimeout() {
        return requestTimeout;
    }

    @Override
    public long keepAliveTimeout() {
        return keepAliveTimeout;
    }

    @Override
    public long clientTimeout() {
        return clientTimeout;
    }

    @Override
    public byte[] errorPage(int status) {
        return analyzers.errorPage(status);
    }
}
