package org.muxgate.api.transport;

/**
 * A protocol a mux bundle provides, registered as an OSGi service (the whiteboard
 * the transport's mux registry tracks). Immutable; any thread may call it.
 */
public interface MuxProto {

    /**
     * @return the name matched against a bind's or server's {@code proto} keyword and
     *         the ALPN result: {@code h2}, {@code h1}; {@code none} for passthrough
     */
    String token();

    /** @return what the mux carries */
    ProtoMode mode();

    /** @return which connections the mux can drive */
    ProtoSide side();

    /**
     * @return whether the mux serves the connections of its mode that name no
     *         {@code proto} and negotiated no ALPN protocol, as HAProxy's h1 and pt
     *         muxes do; a mux reached only by its token (h2) returns false
     */
    default boolean servesByDefault() {
        return true;
    }

    /**
     * Installs a new mux on a connection. Called on the connection's thread.
     *
     * @param connection established, without a mux
     * @param opener     for a frontend connection, where new streams go; null for a
     *                   backend connection, whose streams come from {@link Mux#attach()}
     * @return the mux, or null if it could not start (the transport then closes the connection)
     */
    Mux create(Connection connection, StreamOpener opener);
}
