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

    /**
     * @return the worker thread whose poller watches the socket. It changes only when
     *         a server connection idle on one thread is taken over by a stream of
     *         another (see {@link Mux#takeover()}); any thread may read it
     */
    int thread();

    /** @return the peer: the client of an accepted connection, the server of an outgoing one */
    InetSocketAddress peer();

    /** @return whether the connection speaks TLS (an {@code https} request's scheme on HTTP/2) */
    boolean isTls();

    /**
     * Reads what the socket holds now into {@code into}, up to its remaining room.
     *
     * @return the bytes read; 0 if none is available (subscribe to {@link IoEvent#RECV});
     *         -1 once the peer shut its side down or an error happened ({@link #isError()})
     */
    int read(ByteBuffer into);

    /**
     * Writes what the socket accepts now from {@code from}. Bytes not reported
     * written must be offered again, unchanged, at the head of the next write: over
     * TLS the connection may hold a record the socket took in part, and it counts
     * that record's bytes written only once the rest has left.
     *
     * @return the bytes written, 0 when the socket is full (subscribe to
     *         {@link IoEvent#SEND}), or -1 after an error or a write shutdown
     */
    int write(ByteBuffer from);

    /**
     * Writes {@code first} then {@code second} as {@link #write(ByteBuffer)} would
     * write the two joined, in one system call on plain TCP (a gathering write): a
     * message just longer than one buffer leaves in one segment, not a full one and a
     * runt, as HAProxy's {@code MSG_MORE} does. The same rule holds for bytes not
     * reported written: they are offered again, in the same two buffers.
     *
     * @return the bytes written from both, 0 when the socket is full, or -1 after an
     *         error or a write shutdown
     */
    int write(ByteBuffer first, ByteBuffer second);

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
     * Hands a client connection to the mux of another protocol, as HAProxy's h1 mux
     * does when a request begins with the HTTP/2 preface. Called by the installed mux,
     * on the connection's thread, with no stream attached. On success the connection
     * owns {@code alreadyRead}, a buffer of its pool holding the bytes the old mux read
     * and did not use (from position to limit), which the new mux reads first; the old
     * mux must then leave the connection alone (no I/O, no close, no end notice: the
     * new mux gives it).
     *
     * @param proto the new mux's token ({@code h2})
     * @return false, with nothing changed, when no mux for {@code proto} is available
     */
    boolean switchMux(String proto, ByteBuffer alreadyRead);

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

    // ---------------------------------------------------------------- idle server connections

    /**
     * @return whether this server connection goes to its server's idle lists, shared
     *         by every client and thread, once its streams detach ({@code http-reuse}
     *         other than {@code never}); false for a private one, which stays with the
     *         client that used it, and for a frontend connection
     */
    boolean isShared();

    /**
     * A backend mux whose streams all detached from a {@link #isShared() shared}
     * connection that can carry another stream offers it to its server's idle lists
     * of this thread: the safe list when it carried more than one stream (the server
     * kept it alive once already), else the idle list. The pool refuses it when it
     * holds enough ({@code pool-max-conn}, its estimate of the need) or file
     * descriptors are scarce; the mux then closes the connection.
     *
     * <p>Before calling, the mux sets {@code TaskState.USR1} on its I/O tasklet and
     * subscribes it to the connection's events: from the moment the connection is in
     * a list, a stream of another thread may take it over, and only that flag tells
     * the tasklet to check for it. On the connection's thread.
     *
     * @param safe whether the connection carried more than one stream
     * @return whether the connection is in a list now
     */
    boolean offerIdle(boolean safe);

    /**
     * A backend mux that multiplexes streams (h2) on a {@link #isShared() shared}
     * connection tells whether it can take another stream while it carries some: an
     * available connection is in its server's available list of this thread, where
     * streams of this thread look first, whatever the {@code http-reuse} mode but
     * {@code never} (HAProxy holds such connections safe). The list is the thread's
     * own, touched without lock: a connection in it is in use, so never taken over.
     * A connection whose streams all detached leaves it, for {@link #offerIdle} or
     * the close. Nothing happens for a private connection. On the connection's thread.
     *
     * @param available whether a stream may attach now, next to those attached
     */
    void setAvailable(boolean available);

    /**
     * The transport's part of {@link Mux#takeover()}: moves the socket's poller
     * registration and the connection's own tasklet to the calling worker thread,
     * which {@link #thread()} then names. Called by the mux, under the idle lock of
     * the owner thread, on the taking thread.
     *
     * @return false, with nothing changed, if the owner thread's poller is handing
     *         readiness to the connection at this very moment
     */
    boolean takeover();

    /**
     * The first call of a backend mux's I/O callback when its tasklet carries
     * {@code TaskState.USR1}. Takes the idle-connections lock of the calling thread
     * and checks the tasklet's context under it: null means that another thread took
     * the connection over, so the callback returns false and the tasklet must free
     * itself and touch nothing else. Otherwise the connection leaves its idle list
     * for the time of the callback, so that no other thread can take it meanwhile,
     * and the callback ends with {@link #endIdleIo()}.
     *
     * @return whether the connection still belongs to the caller
     */
    boolean beginIdleIo(Schedulable tasklet);

    /**
     * Ends an I/O callback begun with {@link #beginIdleIo}: a connection that was in
     * an idle list goes back into it if it is still open and no stream attached.
     */
    void endIdleIo();
}
