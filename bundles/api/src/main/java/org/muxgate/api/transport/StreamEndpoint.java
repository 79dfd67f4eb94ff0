package org.muxgate.api.transport;

import java.nio.ByteBuffer;

import org.muxgate.api.scheduler.Schedulable;

/**
 * One stream of a mux, as the proxy's stream sees it: where the stream receives
 * what a peer sent and sends what it forwards. Called on the connection's thread
 * only, by the stream that owns it.
 */
public interface StreamEndpoint {

    /** @return the connection carrying the stream */
    Connection connection();

    /**
     * Moves received payload into {@code into}, up to its remaining room.
     *
     * @return the bytes moved; 0 if none is available now (subscribe to
     *         {@link IoEvent#RECV}); -1 at end of stream or after an error ({@link #isError()})
     */
    int receive(ByteBuffer into);

    /**
     * Sends payload from {@code from}, as much as the connection accepts now.
     *
     * @return the bytes taken; 0 if nothing could be sent now (subscribe to
     *         {@link IoEvent#SEND}); -1 after an error
     */
    int send(ByteBuffer from);

    /** Subscribes {@code waiter} to this stream's events: see {@link Connection#subscribe}. */
    void subscribe(int events, Schedulable waiter);

    /** Cancels subscriptions made with {@link #subscribe}. */
    void unsubscribe(int events, Schedulable waiter);

    /** @return whether {@code waiter} still waits for {@code events}: see {@link Connection#isSubscribed} */
    boolean isSubscribed(int events, Schedulable waiter);

    /** Ends the stream in the sending direction, after what was sent: the peer reads end of stream. */
    void shutdownWrite();

    /** @return whether the stream failed */
    boolean isError();

    /** @return whether the peer ended its direction */
    boolean isReadShut();

    /**
     * The stream is done with the endpoint. The endpoint must not be used after.
     *
     * @param keepConnection a hint that the connection may stay open, idle, for a
     *                       later stream; false closes it
     */
    void detach(boolean keepConnection);
}
