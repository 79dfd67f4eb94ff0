package org.muxgate.mux.h2.osgi;

import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.mux.h2.H2MuxProto;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Registers the HTTP/2 mux as a {@link MuxProto} service. */
@Component(service = MuxProto.class, immediate = true)
public final class H2MuxComponent extends H2MuxProto {

    @Activate
    public H2MuxComponent(@Reference Scheduler scheduler) {
        super(scheduler);
    }
}
