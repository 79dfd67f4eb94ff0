package org.muxgate.api.transport;

/** Which connections a mux can drive: those accepted from clients, those made to servers, or both. */
public enum ProtoSide {
    /** Connections accepted by a frontend. */
    FRONTEND,
    /** Connections made to a backend's servers. */
    BACKEND,
    /** Both kinds. */
    BOTH;

    /** @return whether a mux of this side can drive a connection of {@code side} (FRONTEND or BACKEND) */
    public boolean covers(ProtoSide side) {
        return this == BOTH || this == side;
    }
}
