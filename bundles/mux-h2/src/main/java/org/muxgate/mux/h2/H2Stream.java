package org.muxgate.mux.h2;

import java.nio.ByteBuffer;

import org.muxgate.api.http.HttpEndpoint;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;

/**
 * One HTTP/2 stream of a client connection, as the proxy's stream sees it: the
 * request arrives in {@link #rx}, demultiplexed there by the connection, and moves
 * to the proxy with {@link #receiveMessage}; the response goes out as frames with
 * {@link #sendMessage}, within the flow-control windows.
 *
 * <p>States (RFC 9113 5.1), from the server's side: open after the request's
 * HEADERS; half-closed (remote) once END_STREAM came ({@link #remoteEnded}); closed
 * once the response's END_STREAM went out ({@link #localEnded}) or a reset, either
 * way ({@link #resetCode}). A stream stays in the connection's table, counted
 * against its concurrency, until the proxy {@link #detach detaches} it: a client
 * resetting streams cannot make the proxy work on more streams than the limit
 * (CVE-2023-44487, rapid reset).
 *
 * <p>Threads: the connection's, as everything of a mux.
 */
final class H2Stream implements HttpEndpoint {

    final int id;
    private final H2Connection owner;
    /** The request as demultiplexed: its head, then its data and trailers, until the proxy takes them. */
    final HttpMessage rx;
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
    /** The response's HEADERS went out: what follows is data or trailers. */
    boolean headersSent;
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
            if (!rx.isEmpty() || isReset() || owner.failed()) {
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
        return remoteEnded && rx.isEmpty();
    }

    @Override
    public void detach(boolean keepConnection) {
        // A stream never decides for the connection: its other streams go on.
        owner.detach(this);
    }

    @Override
    public String toString() {
        return "h2 stream " + id;
    }
}
