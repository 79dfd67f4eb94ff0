/**
 * The transport: NIO pollers plugged into the scheduler, listeners, connections,
 * buffers and the mux registry. Plain Java; the proxy builds a
 * {@link org.muxgate.transport.Transport} per running configuration.
 *
 * <h2>Threads</h2>
 * Each worker thread polls its own selector ({@link org.muxgate.transport.SelectorPoller}).
 * A connection is registered in one of them and all its I/O runs on that thread:
 * readiness wakes the waiters subscribed to it, which run on the same thread
 * right after the poll. What other threads may do is named on each method.
 */
@Export
@Version("2.0.0")
package org.muxgate.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
