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

    /**
     * The proxy is stopping (HAProxy's soft stop): the mux of a client connection
     * takes no new stream, lets those under way finish, and closes the connection
     * once they are done: h2 says so with GOAWAY NO_ERROR, h1 closes after the
     * response in progress, or at once when idle. The transport closes what is still
     * open at the end of its grace period. Called on the connection's thread; nothing
     * by default.
     */
    default void stopGracefully() {
    }

    /** @return the streams currently attached */
    int streams();

    /**
     * Moves the connection and the mux to the calling worker thread: the stream of
     * another thread found the connection idle in a list of the owner thread, and
     * calls this under that thread's idle-connections lock, with the connection
     * still in the list. The mux moves the socket's registration
     * ({@code takeover} of the transport), creates its I/O tasklet anew on the
     * calling thread, and leaves the old one without context, woken on the old
     * thread, so that it frees itself there. A takeover that would race with I/O
     * of the owner thread fails, and the connection stays with its owner untouched:
     * never do two threads I/O on one connection.
     *
     * @return whether the connection now belongs to the calling thread; a mux that
     *         cannot move returns false, and its connections are never shared
     */
    default boolean takeover() {
        return false;
    }
}
