package org.muxgate.mux.pt.osgi;

import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.mux.pt.PtMuxProto;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Registers the passthrough mux as a {@link MuxProto} service. */
@Component(service = MuxProto.class, immediate = true)
public final class PtMuxComponent extends PtMuxProto {

    @Activate
    public PtMuxComponent(@Reference Scheduler scheduler) {
        super(scheduler);
    }
}
