/**
 * The passthrough mux (HAProxy's mux_pt): TCP bytes forwarded as they come, one
 * stream per connection, on frontend and backend connections. Private to the
 * bundle: other bundles reach it through the {@code MuxProto} service.
 */
package org.muxgate.mux.pt;
