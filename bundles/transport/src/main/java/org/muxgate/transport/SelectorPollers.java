package org.muxgate.transport;

import org.muxgate.api.scheduler.Poller;
import org.muxgate.api.scheduler.PollerFactory;

/**
 * The poller factory the transport plugs into the scheduler: one NIO selector per
 * worker thread. Stateless; the scheduler calls it on each worker thread as it starts.
 */
public final class SelectorPollers implements PollerFactory {

    @Override
    public Poller newPoller(int thread) {
        return new SelectorPoller(thread);
    }
}
