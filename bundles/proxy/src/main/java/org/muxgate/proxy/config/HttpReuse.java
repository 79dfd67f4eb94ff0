package org.muxgate.proxy.config;

/**
 * A backend's {@code http-reuse}: which idle server connections a request may
 * use, as HAProxy decides it. The first request of a client connection is the
 * one at risk: if the server closes an idle connection just as it is reused,
 * the client sees an error it did not cause, and a browser retries only the
 * requests after the first.
 */
public enum HttpReuse {
    /** Each client connection has its own server connection, kept for its next requests only. */
    NEVER("never"),
    /** A first request gets a new connection; later ones take any idle one (HAProxy's default). */
    SAFE("safe"),
    /** A first request takes only connections the server already kept alive once; later ones any. */
    AGGRESSIVE("aggressive"),
    /** Every request takes any idle connection. */
    ALWAYS("always");

    private final String token;

    HttpReuse(String token) {
        this.token = token;
    }

    /** The word used in the configuration file. */
    public String token() {
        return token;
    }
}
