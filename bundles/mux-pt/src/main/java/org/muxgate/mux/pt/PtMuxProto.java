package org.muxgate.mux.pt;

import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.api.transport.StreamOpener;

/**
 * The passthrough protocol: token {@code none}, mode tcp, both sides. Plain Java;
 * the bundle's component registers it as a {@link MuxProto} service. Any thread.
 * Not final only so that the component can extend it.
 */
public class PtMuxProto implements MuxProto {

    /** The token of {@code proto none}. */
    public static final String TOKEN = "none";

    private final Scheduler scheduler;

    /** @param scheduler where idle connections' tasklets are created */
    public PtMuxProto(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public String token() {
        return TOKEN;
    }

    @Override
    public ProtoMode mode() {
        return ProtoMode.TCP;
    }

    @Override
    public ProtoSide side() {
        return ProtoSide.BOTH;
    }

    @Override
    public Mux create(Connection connection, StreamOpener opener) {
        return PtMux.create(connection, scheduler, opener);
    }
}
