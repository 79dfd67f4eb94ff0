package org.muxgate.mux.h1;

import org.muxgate.api.http.HttpStreamOpener;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.api.transport.StreamOpener;

/**
 * The HTTP/1.x protocol: token {@code h1}, mode http, both sides. Plain Java; the
 * bundle's component registers it as a {@link MuxProto} service. Any thread. Not
 * final only so that the component can extend it.
 */
public class H1MuxProto implements MuxProto {

    /** The token of {@code proto h1}. */
    public static final String TOKEN = "h1";

    private final Scheduler scheduler;

    /** @param scheduler where the connections' tasks are created */
    public H1MuxProto(Scheduler scheduler) {
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

    /**
     * @return the mux; null for a frontend connection whose opener is not an
     *         {@link HttpStreamOpener} (it has no HTTP settings to give)
     */
    @Override
    public Mux create(Connection connection, StreamOpener opener) {
        if (opener == null) {
            return H1Mux.backend(connection, scheduler);
        }
        return opener instanceof HttpStreamOpener
                ? H1Mux.frontend(connection, scheduler, (HttpStreamOpener) opener) : null;
    }
}
