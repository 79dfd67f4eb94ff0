package org.muxgate.proxy.config;

/**
 * The timeouts of HAProxy's {@code timeout} keyword. Each applies to the frontend
 * side, the backend side or both: a frontend keeps only the former, a backend only
 * the latter, a {@code defaults} section may set all.
 */
public enum TimeoutKind {
    /** Time to establish a connection to a server. */
    CONNECT("connect", false, true),
    /** Inactivity on the client side. */
    CLIENT("client", true, false),
    /** Inactivity on the server side. */
    SERVER("server", false, true),
    /** Inactivity of both sides once a tunnel is established. */
    TUNNEL("tunnel", false, true),
    /** Inactivity on the client side once the server has closed its side. */
    CLIENT_FIN("client-fin", true, false),
    /** Inactivity on the server side once the client has closed its side. */
    SERVER_FIN("server-fin", false, true),
    /** Time spent waiting in a queue for a connection slot. */
    QUEUE("queue", false, true),
    /** Time a health check may take once connected; {@code inter} when unset, as in HAProxy. */
    CHECK("check", false, true),
    /**
     * Time to receive a complete request's headers. HAProxy accepts it on both
     * sides; the frontend's value is the one used, since a request is read
     * before its backend is known.
     */
    HTTP_REQUEST("http-request", true, true),
    /** Time to wait for the next request on an idle connection; accepted on both sides, the frontend's is used. */
    HTTP_KEEP_ALIVE("http-keep-alive", true, true);

    private final String token;
    private final boolean frontend;
    private final boolean backend;

    TimeoutKind(String token, boolean frontend, boolean backend) {
        this.token = token;
        this.frontend = frontend;
        this.backend = backend;
    }

    /** The word following {@code timeout} in the configuration file. */
    public String token() {
        return token;
    }

    /** Whether a frontend (or the frontend part of a listen section) uses it. */
    public boolean appliesToFrontend() {
        return frontend;
    }

    /** Whether a backend (or the backend part of a listen section) uses it. */
    public boolean appliesToBackend() {
        return backend;
    }
}
