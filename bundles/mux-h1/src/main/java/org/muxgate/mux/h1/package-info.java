/**
 * The HTTP/1.x mux (HAProxy's mux_h1): parses HTTP/1.0 and 1.1 requests and
 * responses into the internal message form and formats them back, with strict
 * framing, keep-alive, pipelining, interim responses and upgrades, on frontend and
 * backend connections. Private to the bundle: other bundles reach it through the
 * {@code MuxProto} service.
 */
package org.muxgate.mux.h1;
