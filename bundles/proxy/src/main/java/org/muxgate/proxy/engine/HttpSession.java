package org.muxgate.proxy.engine;

import java.net.InetAddress;

import org.muxgate.api.http.HttpMessage;
import org.muxgate.transport.NioConnection;

/**
 * What the proxy keeps for one client connection in HTTP mode between its
 * requests: with {@code http-reuse never}, the server connection of the last
 * exchange, when both sides allowed keep-alive, for the client's next request to
 * the same server (a server connection serves one client connection only); how
 * many requests came, for the reuse modes that treat the first one apart; and the
 * message a request is copied into while it goes on a reused server connection,
 * to be sent again on a new one if that connection turns out dead; and the
 * stream of the last exchange, which serves the next request.
 *
 * <p>Threads: the client connection's thread, which the kept server connection
 * belongs to as well.
 */
final class HttpSession {

    /** Idle, with its mux watching it; null if none. */
    private NioConnection kept;
    /** The client's address as {@code option forwardfor} writes it, made once per connection. */
    private String clientText;
    private int requests;
    /**
     * Made on first need, then reused by every request of the connection that finds it
     * free: an HTTP/1 connection has one request at a time, an HTTP/2 one several.
     */
    private HttpMessage retryCopy;
    /** The stream of an exchange that ended, asleep until the next request takes it; null if none. */
    private HttpStream spare;
    /** The client connection ended: nothing more is kept. */
    private boolean ended;

    /** @return {@code client} as text, computed for the first request of the connection only */
    String clientText(InetAddress client) {
        if (clientText == null && client != null) {
            clientText = client.getHostAddress();
        }
        return clientText;
    }

    /** Counts a new request. @return whether it is the client connection's first */
    boolean startRequest() {
        return ++requests == 1;
    }

    /**
     * @return a message without buffer for a copy of a request: the connection's own
     *         when no other request of it uses it (it has a buffer while in use), else
     *         a new one, for a concurrent request of an HTTP/2 connection
     */
    HttpMessage retryCopy(int maxHeaders) {
        if (retryCopy == null) {
            retryCopy = new HttpMessage(maxHeaders);
        }
        return retryCopy.hasBuffer() ? new HttpMessage(maxHeaders) : retryCopy;
    }

    /** @return the server connection kept from the last exchange, or null */
    NioConnection kept() {
        return kept;
    }

    /** Keeps {@code connection} for the next request, closing the one kept before if it differs. */
    void keep(NioConnection connection) {
        if (kept != null && kept != connection) {
            kept.requestClose();
        }
        kept = connection;
    }

    /** The kept connection was taken by a new exchange, or closed by the caller. */
    void forget() {
        kept = null;
    }

    /** @return the spare stream, now the caller's, or null */
    HttpStream takeSpare() {
        HttpStream stream = spare;
        spare = null;
        return stream;
    }

    /**
     * Keeps {@code stream}, whose exchange ended, for the next request.
     *
     * @return false when the session has a spare already (an HTTP/2 connection's
     *         streams end one after another) or its connection ended: the caller frees it
     */
    boolean offerSpare(HttpStream stream) {
        if (spare != null || ended) {
            return false;
        }
        spare = stream;
        return true;
    }

    /** The client connection ended: the kept server connection is closed, the spare stream killed. */
    void end() {
        ended = true;
        if (kept != null) {
            kept.requestClose();
            kept = null;
        }
        if (spare != null) {
            spare.discard();
            spare = null;
        }
    }
}
