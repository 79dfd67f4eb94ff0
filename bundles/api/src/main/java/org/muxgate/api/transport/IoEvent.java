package org.muxgate.api.transport;

/** The events a waiter subscribes to on a connection or a stream endpoint: bits to combine. */
public final class IoEvent {

    private IoEvent() {
    }

    /** Data, a read shutdown or an error can be received. */
    public static final int RECV = 1;
    /** Data can be sent, or a pending connect has completed or failed. */
    public static final int SEND = 2;
}
