/**
 * The contract between the transport, the protocol multiplexers (muxes) and the
 * proxy: connections, the stream endpoints muxes give streams, and the
 * {@link org.muxgate.api.transport.MuxProto} service by which a mux bundle makes
 * its protocol known (HAProxy's {@code register_mux_proto}).
 *
 * <h2>Threads</h2>
 * A connection belongs to one worker thread: every method of
 * {@link org.muxgate.api.transport.Connection},
 * {@link org.muxgate.api.transport.Mux} and
 * {@link org.muxgate.api.transport.StreamEndpoint} is called on that thread only,
 * without locks, unless its comment names another caller.
 *
 * <h2>Wait events</h2>
 * An upper layer that cannot receive or send now subscribes a waiter (its tasklet,
 * or a stream's task) for {@link org.muxgate.api.transport.IoEvent#RECV} or
 * {@link org.muxgate.api.transport.IoEvent#SEND}. When the socket becomes ready the
 * waiter is woken once with {@code TaskState.WOKEN_IO} and forgotten: it retries its
 * I/O and subscribes again if it still cannot progress.
 */
@Export
@Version("1.5.0")
package org.muxgate.api.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
