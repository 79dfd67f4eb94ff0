package org.muxgate.api.transport;

/**
 * The proxy's side of a frontend connection: a frontend mux calls it for each
 * stream a client opens. Called on the connection's thread.
 */
@FunctionalInterface
public interface StreamOpener {

    /**
     * Creates a stream for a new incoming endpoint. The stream owns the endpoint from
     * then on and must {@link StreamEndpoint#detach(boolean) detach} it when done.
     *
     * @return whether a stream was created; if not, the mux closes the endpoint
     */
    boolean openStream(StreamEndpoint endpoint);

    /**
     * The frontend connection is closed: the proxy releases what it kept for it
     * beyond its streams (its session, such as a server connection kept for the
     * client's next request). A frontend mux calls it once, on the connection's
     * thread, when it closes the connection or learns that it was closed.
     */
    default void connectionEnded(Connection connection) {
        // Nothing is kept per connection unless the proxy says so.
    }
}
