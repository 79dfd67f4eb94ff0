package org.muxgate.api.transport;

/**
 * A protocol multiplexer attached to one connection: turns the connection's bytes
 * into streams (one for passthrough, many for HTTP/2). Created by a
 * {@link MuxProto}; called on the connection's thread only.
 */
public interface Mux {

    /**
     * Opens a stream on a backend connection for a stream of the proxy.
     *
     * @return the endpoint, or null if the connection cannot carry another stream
     */
    StreamEndpoint attach();

    /**
     * The transport tells the mux that the connection failed or was closed under it
     * (a mux bundle stopping, the proxy shutting down): the mux wakes its streams,
     * which see an error, and releases what it holds. The connection is already
     * closed when this is called.
     */
    void connectionClosed();

    /** @return the streams currently attached */
    int streams();
}
