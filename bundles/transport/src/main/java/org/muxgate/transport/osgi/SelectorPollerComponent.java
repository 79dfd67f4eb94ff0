package org.muxgate.transport.osgi;

import org.muxgate.api.scheduler.Poller;
import org.muxgate.api.scheduler.PollerFactory;
import org.muxgate.transport.SelectorPollers;
import org.osgi.service.component.annotations.Component;

/**
 * Registers the transport's selectors as the scheduler's {@link PollerFactory}.
 * Without references, so that the scheduler (which uses it) and the transport's
 * users (which use the scheduler) form no cycle: the scheduler restarts with it
 * when it appears.
 */
@Component(service = PollerFactory.class, immediate = true)
public final class SelectorPollerComponent implements PollerFactory {

    private final SelectorPollers pollers = new SelectorPollers();

    @Override
    public Poller newPoller(int thread) {
        return pollers.newPoller(thread);
    }
}
