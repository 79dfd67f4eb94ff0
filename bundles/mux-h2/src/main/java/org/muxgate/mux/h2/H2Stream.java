package org.muxgate.mux.h2;

import java.nio.ByteBuffer;

import org.muxgate.api.http.HttpEndpoint;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;

/**
 * One HTTP/2 stream, as the proxy's stream sees it: what the peer sends (the
 * request on a client connection, the response on a server connection) arrives in
 * {@link #rx}, demultiplexed there by the connection, and moves to the proxy with
 * {@link #receiveMessage}; what the proxy forwards goes out as frames with
 * {@link #sendMessage}, within the flow-control windows.
 *
 * <p>States (RFC 9113 5.1): open after the request's HEADERS; half-closed once
 * the peer's END_STREAM came ({@link #remoteEnded}) or ours went out ({@link
 * #localEnded}); closed once both did, or after a reset either way ({@link
 * #resetCode}). A stream stays in the connection's table, counted against its
 * concurrency, until the proxy {@link #detach detaches} it: a client resetting
 * streams cannot make the proxy work on more streams than the limit
 * (CVE-2023-44487, rapid reset).
 *
 * <p>A stream of a server connection gets its id, and its {@link #rx}, when its
 * request's HEADERS go out: ids must go out in increasing order, and streams may
 * send in another order than they attached.
 *
 * <p>Threads: the connection's, as everything of a mux.
 */
final class H2Stream implements HttpEndpoint {

    /** The stream's id; on a server connection 0 until its request's HEADERS go out. */
    int id;
    private final H2Connection owner;
    /**
     * The peer's message as demultiplexed: its head, then its data and trailers,
     * until the proxy takes them; on a server connection null until the request's
     * HEADERS went out (the response can only come after).
     */
    HttpMessage rx;
    /** What the peer may still send us on this stream; we restore it as the proxy consumes. */
    int receiveWindow;
    /** Bytes the proxy consumed that the peer has not been given back yet. */
    int consumedUnacknowledged;
    /** What we may still send on this stream; long since a peer's updates may overflow it (an error). */
    long sendWindow;
    /** The request's content-length, or -1, and the data received so far. */
    long expectedLength = -1;
    long receivedLength;
    boolean remoteEnded;
    boolean localEnded;
    /** Our HEADERS went out (a final response's, or the request's): what follows is data or trailers. */
    boolean headersSent;
    /** Server connection: the final response's HEADERS came, so a further block is trailers. */
    boolean finalResponseReceived;
    /** Server connection: the request is a HEAD, whose response has a content-length but no body. */
    boolean headRequest;
    /** Server connection: an interim response sits in {@link #rx}; the next head replaces it unless taken. */
    boolean interimInRx;
    /** The RST_STREAM code sent or received, -1 while the stream is not reset. */
    int resetCode = -1;
    /** Whether we reset it (else the client did, while the proxy held it: see {@link H2Connection}). */
    boolean resetByUs;
    /** The data bytes in {@link #rx}, not taken by the proxy yet. */
    int dataInRx;
    /** The proxy's stream owns the endpoint (it was opened, not yet detached). */
    boolean attached;
    Schedulable receiver;
    Schedulable sender;

    H2Stream(int id, H2Connection owner, HttpMessage rx, int receiveWindow, long sendWindow) {
        this.id = id;
        this.owner = owner;
        this.rx = rx;
        this.receiveWindow = receiveWindow;
        this.sendWindow = sendWindow;
    }

    boolean isReset() {
        return resetCode >= 0;
    }

    /** Wakes the proxy's stream waiting to receive, if it waits. */
    void wakeReceiver() {
        if (receiver != null) {
            Schedulable waiter = receiver;
            receiver = null;
            waiter.wakeup(TaskState.WOKEN_IO);
        }
    }

    /** Wakes the proxy's stream waiting to send, if it waits. */
    void wakeSender() {
        if (sender != null) {
            Schedulable waiter = sender;
            sender = null;
            waiter.wakeup(TaskState.WOKEN_IO);
        }
    }

    @Override
    public Connection connection() {
        return owner.connection();
    }

    @Override
    public int receiveMessage(HttpMessage into) {
        if (isReset() || owner.failed()) {
            return -1;
        }
        if (rx == null) {
            return 0;
        }
        boolean wasEnded = into.isEnded();
        int before = into.used();
        int moved = into.moveFrom(rx);
        owner.consumed(this, moved);
        boolean changed = into.used() != before || into.isEnded() != wasEnded;
        return changed ? Math.max(1, moved) : 0;
    }

    @Override
    public int sendMessage(HttpMessage from) {
        if (isReset() || owner.failed()) {
            return -1;
        }
        return owner.send(this, from);
    }

    @Override
    public int errorStatus() {
        // Malformed requests are answered by the connection before any stream opens.
        return 0;
    }

    /** An HTTP/2 stream carries messages only: no tunnel (extended CONNECT is not supported). */
    @Override
    public int receive(ByteBuffer into) {
        return -1;
    }

    @Override
    public int send(ByteBuffer from) {
        return -1;
    }

    @Override
    public void subscribe(int events, Schedulable waiter) {
        if ((events & IoEvent.RECV) != 0) {
            receiver = waiter;
            if ((rx != null && !rx.isEmpty()) || isReset() || owner.failed()) {
                wakeReceiver();
            }
        }
        if ((events & IoEvent.SEND) != 0) {
            sender = waiter;
            if (owner.canSend(this)) {
                wakeSender();
            }
        }
    }

    @Override
    public void unsubscribe(int events, Schedulable waiter) {
        if ((events & IoEvent.RECV) != 0 && receiver == waiter) {
            receiver = null;
        }
        if ((events & IoEvent.SEND) != 0 && sender == waiter) {
            sender = null;
        }
    }

    @Override
    public boolean isSubscribed(int events, Schedulable waiter) {
        return ((events & IoEvent.RECV) == 0 || receiver == waiter) && ((events & IoEvent.SEND) == 0 || sender == waiter);
    }

    /** Ends the response where it is: END_STREAM on an empty DATA frame. */
    @Override
    public void shutdownWrite() {
        owner.endResponse(this);
    }

    @Override
    public boolean isError() {
        return isReset() || owner.failed();
    }

    @Override
    public boolean isReadShut() {
        return remoteEnded && (rx == null || rx.isEmpty());
    }

    /**
     * {@inheritDoc}
     *
     * <p>A stream does not close the connection while other streams use it: on a
     * server connection, {@code keepConnection} false closes it once the last
     * stream is done.
     */
    @Override
    public void detach(boolean keepConnection) {
        owner.detach(this, keepConnection);
    }

    @Override
    public String toString() {
        return "h2 stream " + id;
    }
}
