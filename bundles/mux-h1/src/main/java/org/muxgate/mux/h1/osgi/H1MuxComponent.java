package org.muxgate.mux.h1.osgi;

import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.mux.h1.H1MuxProto;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Registers the HTTP/1.x mux as a {@link MuxProto} service. */
@Component(service = MuxProto.class, immediate = true)
public final class H1MuxComponent extends H1MuxProto {

    @Activate
    public H1MuxComponent(@Reference Scheduler scheduler) {
        super(scheduler);
    }
}
