package org.muxgate.mux.h2;

import org.muxgate.api.http.HttpStreamOpener;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.api.transport.StreamOpener;

/**
 * The HTTP/2 protocol: token {@code h2}, mode http, client and server connections
 * (h2c with prior knowledge, or ALPN {@code h2} over TLS). Plain Java; the bundle's component registers it
 * as a {@link MuxProto} service. Any thread. Not final only so that the component
 * can extend it.
 */
public class H2MuxProto implements MuxProto {

    /** The token of {@code proto h2}, and the ALPN name. */
    public static final String TOKEN = "h2";

    private final Scheduler scheduler;

    /** @param scheduler where the connections' tasks are created */
    public H2MuxProto(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public String token() {
        return TOKEN;
    }

    @Override
    public ProtoMode mode() {
        return ProtoMode.HTTP;
    }

    @Override
    public ProtoSide side() {
        return ProtoSide.BOTH;
    }

    /** Only {@code proto h2} (or ALPN h2) selects HTTP/2: an HTTP bind without proto speaks HTTP/1. */
    @Override
    public boolean servesByDefault() {
        return false;
    }

    /**
     * @return a server connection's mux without opener; a client connection's when the
     *         opener gives HTTP settings (a frontend in mode http), else null
     */
    @Override
    public Mux create(Connection connection, StreamOpener opener) {
        if (opener == null) {
            return H2Connection.backend(connection, scheduler);
        }
        return opener instanceof HttpStreamOpener http ? H2Connection.frontend(connection, scheduler, http) : null;
    }
}
