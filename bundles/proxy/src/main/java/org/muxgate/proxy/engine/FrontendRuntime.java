package org.muxgate.proxy.engine;

import org.muxgate.api.transport.StreamEndpoint;
import org.muxgate.api.transport.StreamOpener;
import org.muxgate.proxy.config.Frontend;
import org.muxgate.proxy.config.TimeoutKind;
import org.muxgate.transport.Transport;

/**
 * A frontend of the running configuration: where its streams go (one backend, as
 * {@code use_backend} has no condition yet) and its timeouts in milliseconds.
 * Opens a {@link TcpStream} for each stream its connections' muxes bring.
 * Immutable; its opener runs on the connection's thread.
 */
final class FrontendRuntime implements StreamOpener {

    final Frontend config;
    final BackendRuntime backend;
    final Transport transport;
    final long clientTimeout;
    final long clientFinTimeout;

    FrontendRuntime(Frontend config, BackendRuntime backend, Transport transport) {
        this.config = config;
        this.backend = backend;
        this.transport = transport;
        this.clientTimeout = config.timeouts().get(TimeoutKind.CLIENT).map(d -> d.toMillis()).orElse(0L);
        this.clientFinTimeout = config.timeouts().get(TimeoutKind.CLIENT_FIN).map(d -> d.toMillis()).orElse(0L);
    }

    @Override
    public boolean openStream(StreamEndpoint endpoint) {
        if (backend == null) {
            return false;
        }
        TcpStream.start(this, endpoint);
        return true;
    }
}
