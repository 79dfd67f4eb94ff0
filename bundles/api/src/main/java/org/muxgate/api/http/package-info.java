/**
 * HTTP between the muxes and the proxy: the internal, version-independent message
 * form ({@link org.muxgate.api.http.HttpMessage}, HAProxy's HTX), the endpoint an
 * HTTP mux gives a stream ({@link org.muxgate.api.http.HttpEndpoint}) and what a
 * frontend HTTP mux learns of the proxy ({@link org.muxgate.api.http.HttpStreamOpener}).
 *
 * <h2>Threads</h2>
 * As for the transport: a message and an endpoint are used on their connection's
 * thread only.
 */
@Export
@Version("1.2.0")
package org.muxgate.api.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
