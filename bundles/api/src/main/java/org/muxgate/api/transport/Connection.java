package org.muxgate.api.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.muxgate.api.scheduler.Schedulable;

/**
 * A connection as a mux sees it: a socket behind a transport layer (raw TCP now,
 * TLS later), with the flags its I/O has raised. Created and owned by the
 * transport; a mux drives it, and asks the transport to close it.
 *
 * <p>Only the connection's worker thread ({@link #thread()}) calls these methods,
 * except where stated. No method blocks.
 */
public interface Connection {

    /** @return the worker thread whose poller watches the socket */
    int thread();

    /** @return the peer: the client of an accepted connection, the server of an outgoing one */
    InetSocketAddress peer();

    /**
     * Reads what the socket holds now into {@code into}, up to its remaining room.
     *
     * @return the bytes read; 0 if none is available (subscribe to {@link IoEvent#RECV});
     *         -1 once the peer shut its side down or an error happened ({@link #isError()})
     */
    int read(ByteBuffer into);

    /**
     * Writes what the socket accepts now from {@code from}.
     *
     * @return the bytes written, 0 when the socket is full (subscribe to
     *         {@link IoEvent#SEND}), or -1 after an error or a write shutdown
     */
    int write(ByteBuffer from);

    /**
     * Reads and discards what the socket holds now (an idle connection's unexpected
     * data), noting a read shutdown or an error in the flags.
     */
    void drain();

    /**
     * Asks for {@code waiter} to be woken once with {@code WOKEN_IO} when an event of
     * {@code events} happens. One waiter per event: a new one replaces the previous.
     *
     * @param events bits of {@link IoEvent}
     */
    void subscribe(int events, Schedulable waiter);

    /** Cancels the subscriptions of {@code waiter} to {@code events}; others are kept. */
    void unsubscribe(int events, Schedulable waiter);

    /**
     * @return whether {@code waiter} is still subscribed to every event of {@code events}:
     *         none of them happened since it subscribed, so trying that I/O now would
     *         only cost a system call that finds nothing
     */
    boolean isSubscribed(int events, Schedulable waiter);

    /** Sends a FIN after the data already written: the peer reads end of stream. */
    void shutdownWrite();

    /**
     * Closes the socket at once and releases everything the connection holds. The
     * waiters still subscribed are not woken. Safe to call twice.
     */
    void close();

    /** @return whether the socket failed (reset, refused, timed out) */
    boolean isError();

    /** @return whether the peer shut its side: nothing more will be read */
    boolean isReadShut();

    /** @return whether our side was shut: nothing more may be written */
    boolean isWriteShut();

    /** @return whether the connection is closed */
    boolean isClosed();

    /** @return the mux installed on the connection, or null before one is */
    Mux mux();

    /**
     * @return what the upper layer attached to the connection: the proxy's session
     *         for a frontend connection, its stream for a server connection; or null
     */
    Object owner();

    /** Attaches the upper layer's object to the connection: see {@link #owner()}. */
    void setOwner(Object owner);

    /**
     * Takes a cleared buffer of {@code tune.bufsize} bytes from the pool of the
     * connection's thread: a mux's input and output buffers come from there and go
     * back with {@link #releaseBuffer} as soon as they are empty.
     */
    ByteBuffer acquireBuffer();

    /** Gives back a buffer taken with {@link #acquireBuffer()}; it must not be used after. */
    void releaseBuffer(ByteBuffer buffer);
}
