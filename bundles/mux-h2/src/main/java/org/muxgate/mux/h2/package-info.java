/**
 * The HTTP/2 mux (HAProxy's mux_h2), for client and server connections: RFC 9113
 * frames, streams and flow control, and HPACK (RFC 7541) header compression,
 * converting h2 streams to and from the internal message form. Private to the bundle: other bundles reach it through the
 * {@code MuxProto} service.
 */
package org.muxgate.mux.h2;
